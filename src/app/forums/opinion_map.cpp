// Use cases: post statements, vote agree / disagree / pass, and the opinion map (the
// deliberation engine's; nothing about grouping is decided here).
#include <fmt/format.h>

#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include "../common/util.h"
#include "communitise/app/forums.h"
#include "communitise/deliberation/opinion_map.h"
#include "communitise/deliberation/opinion_map_svg.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {
namespace {

namespace dl = communitise::deliberation;

// The map's seed is fixed so the same votes always give the same picture.
constexpr uint64_t kMapSeed = 7;

std::string Percent(int part, int whole) {
  return whole == 0 ? "0%" : fmt::format("{}%", (100 * part + whole / 2) / whole);
}

}  // namespace

// Maps by forum, each with the map_version it was computed at. Lookups and inserts
// hold mu_ briefly; computing a map holds only that forum's `computing` mutex, so a
// slow map never delays another forum's.
class Forums::MapCache {
 public:
  struct Slot {
    std::mutex computing;  // held by the one request computing this forum's map
    std::shared_ptr<const OpinionMapView> view;  // GUARDED_BY(MapCache::mu_)
    int64_t version = -1;                        // GUARDED_BY(MapCache::mu_)
    std::list<int64_t>::iterator lru;            // GUARDED_BY(MapCache::mu_)
  };

  // The slot of a forum (made when missing), marked most recently used.
  std::shared_ptr<Slot> SlotFor(int64_t forum_id) {
    std::lock_guard lock(mu_);
    auto it = slots_.find(forum_id);
    if (it != slots_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second->lru);
      return it->second;
    }
    if (slots_.size() >= kMapCacheForums) {
      slots_.erase(lru_.back());
      lru_.pop_back();
    }
    auto slot = std::make_shared<Slot>();
    lru_.push_front(forum_id);
    slot->lru = lru_.begin();
    slots_.emplace(forum_id, slot);
    return slot;
  }

  // The kept map when it is at least as new as `version` (a map computed meanwhile from a
  // later snapshot serves a request that read an earlier version just as well).
  std::shared_ptr<const OpinionMapView> Get(Slot& slot, int64_t version) {
    std::lock_guard lock(mu_);
    return slot.version >= version ? slot.view : nullptr;
  }

  void Put(Slot& slot, int64_t version, std::shared_ptr<const OpinionMapView> view) {
    std::lock_guard lock(mu_);
    if (version < slot.version) return;
    slot.version = version;
    slot.view = std::move(view);
  }

  std::atomic<uint64_t> computations{0};

 private:
  std::mutex mu_;
  std::unordered_map<int64_t, std::shared_ptr<Slot>> slots_;  // GUARDED_BY(mu_)
  std::list<int64_t> lru_;                                     // GUARDED_BY(mu_)
};

Forums::Forums(storage::Database& db, Clock& clock)
    : db_(db), clock_(clock), map_cache_(std::make_unique<MapCache>()) {}

Forums::~Forums() = default;

uint64_t Forums::MapComputations() const { return map_cache_->computations.load(); }

bool Forums::CanTakePartInMap(const Actor* actor, const Forum& forum) {
  if (!actor || actor->user_id == 0) return false;
  if (forum.community_statements) return true;
  bool member = false;
  (void)db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto id, forums_store::ActiveMemberId(tx, forum.id, actor->user_id));
    member = id.has_value();
    return Status::Ok();
  });
  return member || CanOrganise(actor, forum);
}

Result<StatementView> Forums::PostStatement(const Actor* actor, int64_t forum_id,
                                            std::string_view text) {
  if (!actor) return Error::Unauthenticated("Sign in to add a statement");
  ASSIGN_OR_RETURN(Forum f, Get(forum_id));
  if (!CanTakePartInMap(actor, f)) return Error::Forbidden("Only members of this forum take part");
  const std::string t = internal::Trim(text);
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "text", "your statement", t, 3, 280);
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  const int64_t now = clock_.NowSeconds();
  StatementView out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t id, tx.Insert("INSERT INTO forum_statements (forum_id, author_id, "
                                           "text, created_at) VALUES (:f, :a, :t, :c) RETURNING id",
                                           {forum_id, actor->user_id, t, now}));
    out.id = id;
    out.text = t;
    RETURN_IF_ERROR(tx.Exec("UPDATE forums SET map_version = map_version + 1 WHERE id = :f",
                            {forum_id}));
    return internal::Audit(tx, now, actor, f.programme_id, "forum.statement.post",
                           "forum_statement:" + std::to_string(id), {{"forum_id", forum_id}});
  }));
  return out;
}

Status Forums::VoteStatement(const Actor* actor, int64_t statement_id, int vote) {
  if (!actor) return Error::Unauthenticated("Sign in to vote");
  if (vote < -1 || vote > 1) return Error::Field("vote", "Choose agree, disagree or pass");
  int64_t forum_id = 0;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT forum_id FROM forum_statements WHERE id = :id",
                                           {statement_id}));
    if (!row) return Error::NotFound("No such statement");
    forum_id = row->Int(0);
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(Forum f, Get(forum_id));
  if (!CanTakePartInMap(actor, f)) return Error::Forbidden("Only members of this forum take part");
  const int64_t now = clock_.NowSeconds();
  // Statement votes are not audited one by one: they are opinions for the map, not
  // decisions, and the map is recomputed from the latest votes.
  return db_.Transact([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("UPDATE forums SET map_version = map_version + 1 WHERE id = :f",
                            {forum_id}));
    RETURN_IF_ERROR(tx.Exec("DELETE FROM forum_statement_votes WHERE statement_id = :s AND "
                            "user_id = :u",
                            {statement_id, actor->user_id}));
    return tx
        .Exec("INSERT INTO forum_statement_votes (statement_id, user_id, vote, at) VALUES "
              "(:s, :u, :v, :t)",
              {statement_id, actor->user_id, vote, now})
        .status();
  });
}

namespace {

// The map of a forum from one snapshot of its statements and votes, with the version
// that snapshot carries. No per-person data: StatementView::my_vote stays empty.
Result<std::pair<int64_t, OpinionMapView>> ComputeMap(storage::Database& db, const Forum& f) {
  const int64_t forum_id = f.id;
  OpinionMapView view;
  int64_t version = 0;
  std::vector<dl::VoteRecord> records;
  std::map<int64_t, int32_t> participant;
  RETURN_IF_ERROR(db.Read([&](storage::Tx& tx) -> Status {
    view = OpinionMapView{};
    records.clear();
    participant.clear();
    ASSIGN_OR_RETURN(auto v, tx.QueryOne("SELECT map_version FROM forums WHERE id = :f",
                                         {forum_id}));
    if (!v) return Error::NotFound("No such forum");
    version = v->Int(0);
    ASSIGN_OR_RETURN(auto statements, tx.Query("SELECT id, text FROM forum_statements WHERE "
                                               "forum_id = :f ORDER BY id",
                                               {forum_id}));
    std::map<int64_t, int> index;
    for (const auto& r : statements) {
      StatementView s;
      s.id = r.Int(0);
      s.index = static_cast<int>(view.statements.size());
      s.text = r.Text(1);
      index[s.id] = s.index;
      view.statements.push_back(std::move(s));
    }
    ASSIGN_OR_RETURN(auto votes, tx.Query("SELECT v.statement_id, v.user_id, v.vote FROM "
                                          "forum_statement_votes v JOIN forum_statements s ON "
                                          "s.id = v.statement_id WHERE s.forum_id = :f "
                                          "ORDER BY v.user_id, v.statement_id",
                                          {forum_id}));
    for (const auto& r : votes) {
      const int64_t user = r.Int(1);
      auto [it, added] = participant.try_emplace(user, static_cast<int32_t>(participant.size()));
      const int s = index.at(r.Int(0));
      const int v = static_cast<int>(r.Int(2));
      records.push_back({it->second, s, static_cast<dl::Vote>(v)});
      StatementView& sv = view.statements[s];
      (v > 0 ? sv.agree : v < 0 ? sv.disagree : sv.pass)++;
    }
    return Status::Ok();
  }));
  view.participants = static_cast<int>(participant.size());
  ASSIGN_OR_RETURN(auto matrix,
                   dl::VoteMatrix::FromVotes(view.participants,
                                             static_cast<int32_t>(view.statements.size()), records));
  dl::OpinionMapOptions options;
  options.seed = kMapSeed;
  ASSIGN_OR_RETURN(dl::OpinionMap map, dl::ComputeOpinionMap(matrix, options));
  view.groups = static_cast<int>(map.groups.size());
  view.silhouette = map.silhouette;
  dl::SvgOptions svg;
  svg.title = "Opinion map of " + f.name;
  svg.id_prefix = "opinion-map-" + std::to_string(forum_id);
  view.svg = dl::RenderOpinionMapSvg(map, svg);
  for (const auto& g : map.groups) {
    OpinionMapView::GroupRow row{g.label, g.size, {}, {}};
    for (const auto& r : g.representative) {
      (r.direction == dl::Direction::kAgree ? row.agrees_with : row.disagrees_with)
          .push_back(view.statements[r.statement].text);
    }
    view.group_rows.push_back(std::move(row));
  }
  auto by_group = [&](int statement) {
    std::vector<std::string> out;
    const auto& st = map.statements[statement];
    for (size_t g = 0; g < st.by_group.size(); ++g) {
      const auto& c = st.by_group[g];
      out.push_back("Group " + map.groups[g].label + ": " + Percent(c.agree, c.seen()) +
                    " agree, " + Percent(c.disagree, c.seen()) + " disagree");
    }
    return out;
  };
  for (const auto& c : map.consensus) {
    view.consensus.push_back({view.statements[c.statement].text,
                              c.direction == dl::Direction::kAgree ? "agree" : "disagree",
                              by_group(c.statement)});
  }
  for (const auto& d : map.divisive) {
    view.divisive.push_back({view.statements[d.statement].text, "", by_group(d.statement)});
  }
  return std::make_pair(version, std::move(view));
}

}  // namespace

Result<std::shared_ptr<const OpinionMapView>> Forums::SharedMap(const Forum& f) {
  int64_t version = 0;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto v, tx.QueryOne("SELECT map_version FROM forums WHERE id = :f", {f.id}));
    if (!v) return Error::NotFound("No such forum");
    version = v->Int(0);
    return Status::Ok();
  }));
  auto slot = map_cache_->SlotFor(f.id);
  if (auto kept = map_cache_->Get(*slot, version)) return kept;
  // One request per forum computes; the others wait here and then find its result.
  std::lock_guard computing(slot->computing);
  if (auto kept = map_cache_->Get(*slot, version)) return kept;
  ASSIGN_OR_RETURN(auto computed, ComputeMap(db_, f));
  ++map_cache_->computations;
  auto view = std::make_shared<const OpinionMapView>(std::move(computed.second));
  // The snapshot may be newer than the version read above; keep it under its own.
  map_cache_->Put(*slot, computed.first, view);
  return view;
}

Result<OpinionMapView> Forums::OpinionMap(const Actor* actor, int64_t forum_id) {
  ASSIGN_OR_RETURN(Forum f, Get(forum_id));
  ASSIGN_OR_RETURN(auto shared, SharedMap(f));
  OpinionMapView view = *shared;
  if (actor && actor->user_id != 0) {
    std::map<int64_t, int> mine;
    RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT v.statement_id, v.vote FROM "
                                           "forum_statement_votes v JOIN forum_statements s ON "
                                           "s.id = v.statement_id WHERE s.forum_id = :f AND "
                                           "v.user_id = :u",
                                           {forum_id, actor->user_id}));
      for (const auto& r : rows) mine[r.Int(0)] = static_cast<int>(r.Int(1));
      return Status::Ok();
    }));
    for (auto& s : view.statements) {
      if (auto it = mine.find(s.id); it != mine.end()) s.my_vote = it->second;
    }
  }
  return view;
}

}  // namespace communitise::app
