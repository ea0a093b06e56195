// Use cases: open a motion, vote, close it (the engine's tally under the constitution in
// force when it opened), answer a recommendation, record delivery of an obligation, and
// the public list of decisions.
#include "../common/util.h"
#include "../constitutions/store.h"
#include "communitise/app/forums.h"
#include "communitise/deliberation/decision_tally.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {
namespace {

namespace dl = communitise::deliberation;
using nlohmann::json;

constexpr int64_t kDay = 24 * 60 * 60;

constexpr std::string_view kMotionColumns =
    "SELECT m.id, m.forum_id, f.programme_id, f.name, m.title, m.text, m.status, m.opened_at, "
    "m.closed_at, m.constitution_version, m.outcome, m.response_due, "
    "(SELECT COUNT(*) FROM forum_motion_votes v WHERE v.motion_id = m.id), "
    "r.decision, r.reasons, r.at "
    "FROM forum_motions m JOIN forums f ON f.id = m.forum_id "
    "LEFT JOIN forum_responses r ON r.motion_id = m.id";

std::optional<MotionOutcome> ParseOutcome(std::string_view s) {
  for (auto v : {MotionOutcome::kOpen, MotionOutcome::kBinding, MotionOutcome::kRecommendation,
                 MotionOutcome::kNotCarried}) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

Motion FromRow(const storage::Row& r, int64_t now) {
  Motion m;
  m.id = r.Int(0);
  m.forum_id = r.Int(1);
  m.programme_id = r.Int(2);
  m.forum_name = r.Text(3);
  m.title = r.Text(4);
  m.text = r.Text(5);
  m.outcome = ParseOutcome(r.Text(6)).value_or(MotionOutcome::kOpen);
  m.opened_at = r.Int(7);
  m.closed_at = r.OptInt(8);
  m.constitution_version = static_cast<int>(r.Int(9));
  json o = json::parse(r.Text(10), nullptr, false);
  if (o.is_object()) {
    m.eligible = o.value("eligible", int64_t{0});
    m.for_votes = o.value("for", int64_t{0});
    m.against = o.value("against", int64_t{0});
    m.abstain = o.value("abstain", int64_t{0});
    m.quorum_percent = o.value("quorum_percent", 0);
    m.threshold_percent = o.value("threshold_percent", 0);
    m.quorate = o.value("quorate", false);
    m.explanation = o.value("explanation", "");
  }
  m.response_due = r.OptInt(11);
  m.votes_cast = r.Int(12);
  if (!r.IsNull(13)) m.response = PublicResponse{r.Text(13), r.Text(14), r.Int(15)};
  m.overdue = m.outcome == MotionOutcome::kRecommendation && !m.response && m.response_due &&
              now > *m.response_due;
  return m;
}

Result<Motion> LoadMotion(storage::Tx& tx, int64_t motion_id, int64_t now) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kMotionColumns) + " WHERE m.id = :id",
                                         {motion_id}));
  if (!row) return Error::NotFound("No such motion");
  Motion m = FromRow(*row, now);
  ASSIGN_OR_RETURN(auto updates, tx.Query("SELECT id, progress_percent, note, evidence, at FROM "
                                          "forum_delivery_updates WHERE motion_id = :m ORDER BY id",
                                          {motion_id}));
  for (const auto& u : updates) {
    m.delivery.push_back({u.Int(0), static_cast<int>(u.Int(1)), u.Text(2), u.Text(3), u.Int(4)});
  }
  return m;
}

}  // namespace

std::string_view ToString(MotionOutcome v) {
  switch (v) {
    case MotionOutcome::kOpen: return "open";
    case MotionOutcome::kBinding: return "binding";
    case MotionOutcome::kRecommendation: return "recommendation";
    case MotionOutcome::kNotCarried: return "not_carried";
  }
  return "open";
}

Result<Motion> Forums::OpenMotion(const Actor* actor, int64_t forum_id, const MotionForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Motion out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    std::vector<FieldError> errors;
    const std::string title = internal::Trim(form.title), text = internal::Trim(form.text);
    internal::CheckLength(errors, "title", "the motion's title", title, 1, 200);
    internal::CheckLength(errors, "text", "the motion", text, 1, 10000);
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    ASSIGN_OR_RETURN(auto constitution, constitutions_store::InForceAt(tx, f.programme_id, now));
    if (!constitution) return Error::Conflict("The programme has no constitution in force");
    ASSIGN_OR_RETURN(int64_t id,
                     tx.Insert("INSERT INTO forum_motions (forum_id, title, text, status, "
                               "opened_at, constitution_version, created_by) VALUES (:f, :t, :x, "
                               "'open', :o, :v, :by) RETURNING id",
                               {forum_id, title, text, now, constitution->version,
                                actor->user_id}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, f.programme_id, "forum.motion.open",
                                    "forum_motion:" + std::to_string(id),
                                    {{"forum_id", forum_id},
                                     {"title", title},
                                     {"constitution_version", constitution->version}}));
    ASSIGN_OR_RETURN(out, LoadMotion(tx, id, now));
    return Status::Ok();
  }));
  return out;
}

Status Forums::VoteMotion(const Actor* actor, int64_t motion_id, std::string_view choice) {
  if (!actor) return Error::Unauthenticated("Sign in to vote");
  if (choice != "for" && choice != "against" && choice != "abstain") {
    return Error::Field("choice", "Choose for, against or abstain");
  }
  const int64_t now = clock_.NowSeconds();
  return db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Motion m, LoadMotion(tx, motion_id, now));
    if (m.outcome != MotionOutcome::kOpen) return Error::Conflict("Voting on this motion has closed");
    ASSIGN_OR_RETURN(auto member, forums_store::ActiveMemberId(tx, m.forum_id, actor->user_id));
    if (!member) return Error::Forbidden("Only members of this forum vote on its motions");
    RETURN_IF_ERROR(tx.Exec("DELETE FROM forum_motion_votes WHERE motion_id = :m AND "
                            "member_id = :x",
                            {motion_id, *member}));
    RETURN_IF_ERROR(tx.Exec("INSERT INTO forum_motion_votes (motion_id, member_id, choice, at) "
                            "VALUES (:m, :x, :c, :t)",
                            {motion_id, *member, std::string(choice), now}));
    // Who voted is recorded; how they voted stays out of the public history.
    return internal::Audit(tx, now, actor, m.programme_id, "forum.motion.vote",
                           "forum_motion:" + std::to_string(motion_id), nlohmann::json::object());
  });
}

Result<Motion> Forums::CloseMotion(const Actor* actor, int64_t motion_id) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Motion out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Motion m, LoadMotion(tx, motion_id, now));
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, m.forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    if (m.outcome != MotionOutcome::kOpen) return Error::Conflict("This motion is already closed");
    // The rule is the version that was in force when the vote opened (recorded then),
    // whatever has changed since — even an amendment made in the same second.
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(constitutions_store::kColumns) +
                                               " WHERE programme_id = :g AND version = :v",
                                           {f.programme_id, m.constitution_version}));
    if (!row) return Error::Internal("the motion's constitution version is missing");
    ASSIGN_OR_RETURN(Constitution constitution_row, constitutions_store::FromRow(*row));
    const Constitution* constitution = &constitution_row;
    const ConstitutionRules& rules = constitution->rules;
    ASSIGN_OR_RETURN(auto member_rows, tx.Query("SELECT id FROM forum_members WHERE forum_id = :f "
                                                "AND active = 1",
                                                {f.id}));
    std::vector<std::string> members;
    for (const auto& r : member_rows) members.push_back(std::to_string(r.Int(0)));
    ASSIGN_OR_RETURN(auto vote_rows, tx.Query("SELECT member_id, choice FROM forum_motion_votes "
                                              "WHERE motion_id = :m ORDER BY member_id",
                                              {motion_id}));
    std::vector<dl::MemberVote> votes;
    for (const auto& r : vote_rows) {
      const std::string c = r.Text(1);
      votes.push_back({std::to_string(r.Int(0)), c == "for"       ? dl::Choice::kFor
                                                 : c == "against" ? dl::Choice::kAgainst
                                                                  : dl::Choice::kAbstain});
    }
    dl::DecisionRule rule;
    rule.quorum = {rules.quorum_percent, 100};
    MotionOutcome outcome = MotionOutcome::kNotCarried;
    dl::MemberTally tally;
    int threshold_percent = 50;
    if (f.binding) {
      rule.threshold = {rules.binding_threshold_percent, 100};
      rule.comparison = dl::ThresholdComparison::kAtLeast;
      rule.binding = true;
      ASSIGN_OR_RETURN(tally, dl::TallyMemberVotes(rule, members, {}, votes));
      threshold_percent = rules.binding_threshold_percent;
      if (tally.outcome.binding) outcome = MotionOutcome::kBinding;
    }
    if (outcome != MotionOutcome::kBinding) {
      dl::DecisionRule majority = rule;
      majority.threshold = {1, 2};
      majority.comparison = dl::ThresholdComparison::kMoreThan;
      majority.binding = false;
      dl::MemberTally m2;
      ASSIGN_OR_RETURN(m2, dl::TallyMemberVotes(majority, members, {}, votes));
      if (m2.outcome.passed) {
        outcome = MotionOutcome::kRecommendation;
        if (f.binding) {
          m2.outcome.explanation = tally.outcome.explanation + " " + m2.outcome.explanation +
                                   " It is therefore a recommendation, which the body must "
                                   "answer in public.";
        }
        tally = m2;
        threshold_percent = 50;
      } else if (!f.binding) {
        tally = m2;
      }
    }
    const auto& o = tally.outcome;
    json record{{"eligible", o.eligible},
                {"for", o.counted.for_votes},
                {"against", o.counted.against},
                {"abstain", o.counted.abstain},
                {"quorate", o.quorate},
                {"quorum_percent", rules.quorum_percent},
                {"threshold_percent", threshold_percent},
                {"explanation", o.explanation}};
    std::optional<int64_t> due;
    if (outcome == MotionOutcome::kRecommendation) due = now + rules.response_days * kDay;
    RETURN_IF_ERROR(tx.Exec("UPDATE forum_motions SET status = :s, closed_at = :t, outcome = :o, "
                            "response_due = :d, constitution_version = :v WHERE id = :id",
                            {std::string(ToString(outcome)), now, record.dump(),
                             storage::Opt(due), constitution->version, motion_id}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, f.programme_id, "forum.motion.close",
                                    "forum_motion:" + std::to_string(motion_id),
                                    {{"outcome", ToString(outcome)},
                                     {"tally", record},
                                     {"constitution_version", constitution->version}}));
    ASSIGN_OR_RETURN(out, LoadMotion(tx, motion_id, now));
    return Status::Ok();
  }));
  return out;
}

Result<Motion> Forums::GetMotion(const Actor* actor, int64_t motion_id) {
  const int64_t now = clock_.NowSeconds();
  Motion out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, LoadMotion(tx, motion_id, now));
    if (actor) {
      ASSIGN_OR_RETURN(auto mine, tx.QueryOne("SELECT v.choice FROM forum_motion_votes v JOIN "
                                              "forum_members x ON x.id = v.member_id WHERE "
                                              "v.motion_id = :m AND x.user_id = :u",
                                              {motion_id, actor->user_id}));
      if (mine) out.my_choice = mine->Text(0);
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Motion>> Forums::Motions(int64_t forum_id) {
  const int64_t now = clock_.NowSeconds();
  std::vector<Motion> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kMotionColumns) +
                                             " WHERE m.forum_id = :f ORDER BY m.id DESC",
                                         {forum_id}));
    for (const auto& r : rows) out.push_back(FromRow(r, now));
    return Status::Ok();
  }));
  return out;
}

Result<Motion> Forums::Respond(const Actor* actor, int64_t motion_id, const ResponseForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Motion out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Motion m, LoadMotion(tx, motion_id, now));
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, m.forum_id));
    if (!CanRespond(actor, f.public_body_id, f.programme_id)) {
      return Error::Forbidden("Only the public body's officers answer recommendations");
    }
    if (m.outcome != MotionOutcome::kRecommendation) {
      return Error::Conflict("Only recommendations need a response");
    }
    if (m.response) return Error::Conflict("This recommendation has already been answered");
    std::vector<FieldError> errors;
    if (form.decision != "accept" && form.decision != "accept_in_part" && form.decision != "reject") {
      errors.push_back({"decision", "Choose accept, accept in part or reject"});
    }
    const std::string reasons = internal::Trim(form.reasons);
    internal::CheckLength(errors, "reasons", "the reasons", reasons, 1, 10000);
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    RETURN_IF_ERROR(tx.Exec("INSERT INTO forum_responses (motion_id, decision, reasons, "
                            "created_by, at) VALUES (:m, :d, :r, :by, :t)",
                            {motion_id, form.decision, reasons, actor->user_id, now}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, f.programme_id, "forum.recommendation.respond",
                                    "forum_motion:" + std::to_string(motion_id),
                                    {{"decision", form.decision},
                                     {"late", m.response_due && now > *m.response_due}}));
    ASSIGN_OR_RETURN(out, LoadMotion(tx, motion_id, now));
    return Status::Ok();
  }));
  return out;
}

Result<Motion> Forums::AddDeliveryUpdate(const Actor* actor, int64_t motion_id,
                                         const DeliveryForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Motion out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Motion m, LoadMotion(tx, motion_id, now));
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, m.forum_id));
    if (!CanRespond(actor, f.public_body_id, f.programme_id)) return Error::Forbidden();
    const bool accepted = m.response && m.response->decision != "reject";
    if (m.outcome != MotionOutcome::kBinding && !accepted) {
      return Error::Conflict("Only binding decisions and accepted recommendations are delivered");
    }
    std::vector<FieldError> errors;
    if (form.progress_percent < 0 || form.progress_percent > 100) {
      errors.push_back({"progress_percent", "Enter progress from 0 to 100"});
    }
    const std::string note = internal::Trim(form.note), evidence = internal::Trim(form.evidence);
    internal::CheckLength(errors, "note", "what has been done", note, 1, 5000);
    internal::CheckLength(errors, "evidence", "the evidence", evidence, 0, 5000);
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    RETURN_IF_ERROR(tx.Insert("INSERT INTO forum_delivery_updates (motion_id, progress_percent, "
                              "note, evidence, created_by, at) VALUES (:m, :p, :n, :e, :by, :t) "
                              "RETURNING id",
                              {motion_id, form.progress_percent, note, evidence, actor->user_id,
                               now}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, f.programme_id, "forum.delivery.update",
                                    "forum_motion:" + std::to_string(motion_id),
                                    {{"progress_percent", form.progress_percent}}));
    ASSIGN_OR_RETURN(out, LoadMotion(tx, motion_id, now));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Motion>> Forums::Decisions(int64_t programme_id) {
  const int64_t now = clock_.NowSeconds();
  std::vector<Motion> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kMotionColumns) +
                                             " WHERE f.programme_id = :g AND m.status IN "
                                             "('binding', 'recommendation') ORDER BY m.closed_at "
                                             "DESC, m.id DESC",
                                         {programme_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(Motion m, LoadMotion(tx, r.Int(0), now));
      out.push_back(std::move(m));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
