// Forums: the places where residents deliberate — roundtables, workshops, deliberative
// gatherings, citizens' assemblies, resident panels, citizen commissioners — with their
// members (from a drawn panel, or added from a trained pool), sessions with agendas,
// published evidence and speakers, attendance, training records, an opinion map of
// short statements, and motions whose outcome is computed.
//
// Decisions: a motion records when it opened; at close the quorum and thresholds come
// from Constitutions::InForceAt(programme, opened_at), so an amendment made while the
// vote is open never changes its rule. The tally is the deliberation engine's
// (exact integer arithmetic). In a binding forum (the programme uses binding
// deliberation and the forum was created binding) a motion that is quorate and reaches
// binding_threshold_percent (at least) binds the body: it becomes an obligation with a
// public delivery record. Otherwise a motion that is quorate and carried by more than
// half of the votes cast is a recommendation, which the body must answer in public
// (accept / accept in part / reject, with reasons) within response_days of the close;
// an unanswered recommendation past that date is overdue. Anything else is not carried.
//
// Opinion map: members post statements and vote agree / disagree / pass (the latest vote
// counts); when the organiser opens it to the community, any signed-in person may. The
// map is the deliberation engine's (PCA + clustering as Polis). It is computed once per
// change, not per request: every statement and vote bumps the forum's map_version in
// the same transaction, and a map computed from a snapshot is kept (per forum, in
// memory) with the version it was computed at. A request reads the version, serves the
// kept map when it matches, and otherwise one request computes it while the others for
// that forum wait for it. The version lives in the database, so several servers over
// one database never serve a map older than the votes they can see.
//
// Ownership: holds references to the Database and Clock; owns the map cache (at most
// kMapCacheForums forums, least recently used dropped first). Thread safety: safe for
// concurrent use.
//
// Form field names: "kind", "name", "purpose", "panel_id", "binding",
// "community_statements", "title", "starts_at", "place", "agenda", "author", "body",
// "course", "completed_on", "accredited", "text", "vote", "choice", "decision",
// "reasons", "progress_percent", "note", "evidence".
#ifndef COMMUNITISE_APP_FORUMS_H_
#define COMMUNITISE_APP_FORUMS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

// Stored by name: "roundtable" "workshop" "deliberative_gathering" "citizens_assembly"
// "resident_panel" "citizen_commissioners".
enum class ForumKind {
  kRoundtable,
  kWorkshop,
  kDeliberativeGathering,
  kCitizensAssembly,
  kResidentPanel,
  kCitizenCommissioners,
};
std::string_view ToString(ForumKind v);
std::string_view Label(ForumKind v);
std::optional<ForumKind> ParseForumKind(std::string_view text);
const std::vector<ForumKind>& AllForumKinds();

struct Forum {
  int64_t id = 0;
  int64_t programme_id = 0;
  int64_t public_body_id = 0;
  std::string programme_slug;
  std::string programme_name;
  std::optional<int64_t> panel_id;
  ForumKind kind = ForumKind::kRoundtable;
  std::string name;
  std::string purpose;
  bool binding = false;
  bool community_statements = false;
  int64_t member_count = 0;
  int64_t created_at = 0;
};

struct CreateForumForm {
  std::string kind;                 // "kind"
  std::string name;                 // "name": 1..200
  std::string purpose;              // "purpose": 0..2,000
  std::optional<int64_t> panel_id;  // "panel_id": members come from this drawn panel
  bool binding = false;             // "binding": needs binding deliberation in the programme
  bool community_statements = false;  // "community_statements"
};

struct ForumMember {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string display_name;
  std::string source;  // "panel" | "pool"
  bool active = true;
  int sessions_attended = 0;
};

struct Evidence {
  int64_t id = 0;
  int64_t session_id = 0;
  std::string kind;  // "evidence" | "speaker"
  std::string title;
  std::string author;
  std::string body;
  std::optional<std::string> file_name;
  std::optional<std::string> file_type;
  int64_t created_at = 0;
};

struct EvidenceForm {
  std::string kind = "evidence";  // "kind": evidence | speaker
  std::string title;              // 1..200
  std::string author;             // 0..200: who wrote it or who spoke
  std::string body;               // 1..50,000
  std::string file_name;          // optional upload
  std::string file_type;
  std::string file_data;          // at most 2 MB
};

struct ForumSession {
  int64_t id = 0;
  int64_t forum_id = 0;
  std::string title;
  int64_t starts_at = 0;
  std::string place;
  std::string agenda;
  std::vector<Evidence> evidence;
  std::vector<int64_t> attended;  // member ids
};

struct SessionForm {
  std::string title;   // 1..200
  int64_t starts_at = 0;
  std::string place;   // 0..200
  std::string agenda;  // 1..10,000
};

struct TrainingRecord {
  int64_t id = 0;
  int64_t member_id = 0;
  std::string display_name;
  std::string course;
  int64_t completed_on = 0;
  bool accredited = false;
};

struct TrainingForm {
  int64_t member_id = 0;
  std::string course;  // 1..200
  int64_t completed_on = 0;
  bool accredited = false;
};

struct StatementView {
  int64_t id = 0;
  int index = 0;  // position in the opinion map (0-based, by id)
  std::string text;
  int agree = 0, disagree = 0, pass = 0;
  std::optional<int> my_vote;  // -1, 0, +1
};

// What a page needs of the opinion map.
struct OpinionMapView {
  std::vector<StatementView> statements;
  int participants = 0;
  int groups = 0;
  double silhouette = 0;
  std::string svg;  // accessible SVG from the engine
  struct GroupRow {
    std::string label;
    int size = 0;
    std::vector<std::string> agrees_with;     // representative statements
    std::vector<std::string> disagrees_with;
  };
  std::vector<GroupRow> group_rows;
  struct StatementRow {
    std::string text;
    std::string direction;  // consensus: "agree" | "disagree"; divisive: ""
    std::vector<std::string> by_group;  // "A: 80% agree, 10% disagree"
  };
  std::vector<StatementRow> consensus;
  std::vector<StatementRow> divisive;
};

enum class MotionOutcome { kOpen, kBinding, kRecommendation, kNotCarried };
// "open" "binding" "recommendation" "not_carried"
std::string_view ToString(MotionOutcome v);

struct DeliveryUpdate {
  int64_t id = 0;
  int progress_percent = 0;
  std::string note;
  std::string evidence;
  int64_t at = 0;
};

struct PublicResponse {
  std::string decision;  // accept | accept_in_part | reject
  std::string reasons;
  int64_t at = 0;
};

struct Motion {
  int64_t id = 0;
  int64_t forum_id = 0;
  int64_t programme_id = 0;
  std::string forum_name;
  std::string title;
  std::string text;
  MotionOutcome outcome = MotionOutcome::kOpen;
  int64_t opened_at = 0;
  std::optional<int64_t> closed_at;
  int constitution_version = 0;  // the version in force when the vote opened
  int64_t votes_cast = 0;        // while open: how many members have voted
  // Closed: the tally.
  int64_t eligible = 0, for_votes = 0, against = 0, abstain = 0;
  int quorum_percent = 0, threshold_percent = 0;
  bool quorate = false;
  std::string explanation;
  std::optional<int64_t> response_due;
  bool overdue = false;
  std::optional<PublicResponse> response;
  std::vector<DeliveryUpdate> delivery;
  std::optional<std::string> my_choice;  // the actor's own vote
};

struct MotionForm {
  std::string title;  // 1..200
  std::string text;   // 1..10,000
};

struct ResponseForm {
  std::string decision;  // "decision": accept | accept_in_part | reject
  std::string reasons;   // "reasons": 1..10,000
};

struct DeliveryForm {
  int progress_percent = 0;  // 0..100
  std::string note;          // 1..5,000
  std::string evidence;      // 0..5,000
};

class Forums {
 public:
  // How many forums' opinion maps are kept in memory.
  static constexpr size_t kMapCacheForums = 256;

  Forums(storage::Database& db, Clock& clock);
  ~Forums();
  Forums(const Forums&) = delete;
  Forums& operator=(const Forums&) = delete;

  // Officers, facilitators and admins of the programme. A forum with a panel takes the
  // panel's current members. Errors: kInvalidArgument (fields; "binding" when the
  // programme does not use binding deliberation; "panel_id" for a panel of another
  // programme or not drawn), kForbidden, kNotFound.
  Result<Forum> Create(const Actor* actor, int64_t programme_id, const CreateForumForm& form);
  Result<Forum> Get(int64_t forum_id);
  Result<std::vector<Forum>> ListForProgramme(int64_t programme_id);
  // Public: names, source and attendance of members.
  Result<std::vector<ForumMember>> Members(int64_t forum_id);
  // Organisers: adds a person from the trained pool (or anyone) by user id.
  Result<ForumMember> AddMember(const Actor* actor, int64_t forum_id, int64_t user_id);
  // Organisers: brings the member list in line with the panel (replacements join,
  // drop-outs become inactive).
  Status SyncWithPanel(const Actor* actor, int64_t forum_id);

  Result<ForumSession> AddSession(const Actor* actor, int64_t forum_id, const SessionForm& form);
  Result<std::vector<ForumSession>> Sessions(int64_t forum_id);
  Result<ForumSession> GetSession(int64_t session_id);
  // Organisers: evidence and speakers are published as soon as they are added.
  Result<Evidence> AddEvidence(const Actor* actor, int64_t session_id, const EvidenceForm& form);
  // Public: an uploaded file. Errors: kNotFound.
  Result<std::pair<Evidence, std::string>> EvidenceFile(int64_t evidence_id);
  // Organisers: replaces the attendance of a session.
  Status RecordAttendance(const Actor* actor, int64_t session_id,
                          const std::vector<int64_t>& member_ids);
  Result<TrainingRecord> AddTraining(const Actor* actor, int64_t forum_id, const TrainingForm& form);
  Result<std::vector<TrainingRecord>> Training(int64_t forum_id);

  // Members (and, when opened, any signed-in person) post and vote on statements.
  Result<StatementView> PostStatement(const Actor* actor, int64_t forum_id, std::string_view text);
  Status VoteStatement(const Actor* actor, int64_t statement_id, int vote);
  Result<OpinionMapView> OpinionMap(const Actor* actor, int64_t forum_id);
  bool CanTakePartInMap(const Actor* actor, const Forum& forum);
  // How many times an opinion map has been computed (not served from the cache).
  uint64_t MapComputations() const;

  // Organisers open a motion; members vote; organisers close it (the tally is computed).
  Result<Motion> OpenMotion(const Actor* actor, int64_t forum_id, const MotionForm& form);
  // Active members only; a member may change their vote while it is open.
  Status VoteMotion(const Actor* actor, int64_t motion_id, std::string_view choice);
  Result<Motion> CloseMotion(const Actor* actor, int64_t motion_id);
  Result<Motion> GetMotion(const Actor* actor, int64_t motion_id);
  Result<std::vector<Motion>> Motions(int64_t forum_id);
  // Officers and admins of the body answer a recommendation (once).
  Result<Motion> Respond(const Actor* actor, int64_t motion_id, const ResponseForm& form);
  // Officers and admins record progress on an obligation.
  Result<Motion> AddDeliveryUpdate(const Actor* actor, int64_t motion_id, const DeliveryForm& form);
  // Public: every recommendation and obligation of a programme, newest first, with
  // `overdue` set for unanswered recommendations past their date.
  Result<std::vector<Motion>> Decisions(int64_t programme_id);

  bool CanOrganise(const Actor* actor, const Forum& forum) const;
  bool CanRespond(const Actor* actor, int64_t public_body_id, int64_t programme_id) const;

 private:
  class MapCache;
  Result<std::shared_ptr<const OpinionMapView>> SharedMap(const Forum& forum);

  storage::Database& db_;
  Clock& clock_;
  std::unique_ptr<MapCache> map_cache_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_FORUMS_H_
