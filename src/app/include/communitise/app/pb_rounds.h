// PbRounds: participatory budgeting on a programme's fund, end to end — a round opened
// by an officer, residents' proposals and groups' bids, screening, secret ballots,
// results computed by the PB engine (communitise_pb), awards and their delivery.
//
// Phases, in order: "proposals" → "screening" → "voting" → "results" → "delivery".
// Officers (and admins) of the programme's body move a round forward one phase at a
// time. The only phase that may be reopened is "proposals" (from "screening", before
// any project was decided): once ballots exist or results are published, going back
// would change what voters saw. Every change is audited in the same transaction.
//
// Screening has two steps. An officer checks each submitted project (eligible or not,
// optionally adjusting its cost with a reason); then a member of the round's screening
// panel — a designated set of programme members chosen when the round is opened —
// accepts it to the ballot or not, always with a reason that is public. A panel member
// who declared a conflict of interest on a project, or who proposed it, cannot decide it.
//
// Ballots are secret. pb_ballots holds the choices with no user id; a ballot is found
// again only through a keyed hash of (round, user) under a server secret kept in the
// database, and pb_participation records who took part. Each cast returns a receipt
// code (20 hex digits: the ballot's id under a keyed permutation, then a random
// verifier for this cast); anyone can look it up (CheckReceipt) to see the ballot is
// counted, and only the latest cast's code is valid. A ballot may
// be changed until the close (CastBallotForm::replace). Ballots are written by one
// writer thread that commits many voters' ballots in one transaction (group commit);
// CastBallot returns only after that transaction committed, so an acknowledged ballot
// is durable.
//
// Bids before a panel. A forum of the programme (a resident panel, a citizens'
// assembly…) may be a round's screening body instead of named members: its active
// members at the time of each decision are the screening panel, so replacements join
// and drop-outs leave. With OpenRoundForm::panel_decides the round has no public ballot
// (the NCIL model of Barking & Dagenham): after the officers' checks the forum
// discusses each bid (Discuss, public) and decides it — fund or do not fund, with a
// public reason (Decide) — keeping the funded total within the fund and each split;
// from screening the round goes straight to results, where the funded bids become
// awards with the same delivery records as a ballot's. Conflicts of interest work as in
// screening: a member who proposed a bid or declared an interest in it neither discusses
// nor decides it, and declared interests are public (Interests).
//
// Paper ballots: an officer enters a batch; a second, different officer confirms it;
// only confirmed batches count.
//
// Money is integer pence throughout.
//
// Ownership: holds references to the Database and Clock; owns the ballot writer thread
// (joined by the destructor). Thread safety: safe for concurrent use.
//
// Form field names: "title", "budget_pence", "proposals_close", "voting_opens",
// "voting_closes", "screeners" (emails), "screening_forum_id", "panel_decides",
// "splits"; "kind" (proposal | bid),
// "org_name", "org_number", "summary", "cost_pence", "area", "theme", "outcomes",
// "submit" (false keeps a draft); "eligible", "cost_pence", "cost_reason", "note";
// "decision" (accept | reject; fund | decline for a deciding panel), "reason";
// "declaration"; "text" (discussion); "choices", "points", "replace"; "phase".
#ifndef COMMUNITISE_APP_PB_ROUNDS_H_
#define COMMUNITISE_APP_PB_ROUNDS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

enum class PbPhase { kProposals, kScreening, kVoting, kResults, kDelivery };
// "proposals" "screening" "voting" "results" "delivery"
std::string_view ToString(PbPhase v);
std::optional<PbPhase> ParsePbPhase(std::string_view text);
std::string_view Label(PbPhase v);

// draft → submitted → (checked) eligible | ineligible → accepted | rejected;
// withdrawn from draft/submitted. "funded" is in PbProject::funded after results.
enum class PbProjectStatus { kDraft, kSubmitted, kEligible, kIneligible, kAccepted, kRejected, kWithdrawn };
std::string_view ToString(PbProjectStatus v);
std::string_view Label(PbProjectStatus v);

struct PbSplit {
  std::string kind;  // "area" | "theme"
  std::string name;
  int64_t amount_pence = 0;
};

struct PbRound {
  int64_t id = 0;
  int64_t programme_id = 0;
  int64_t public_body_id = 0;
  std::string programme_name;
  std::string programme_slug;
  std::string title;
  int64_t budget_pence = 0;
  PbPhase phase = PbPhase::kProposals;
  std::string rule;          // constitution's pb_rule at opening: greedy | equal_shares | phragmen
  std::string ballot_type;   // approval | knapsack | cumulative | ranking
  int approval_min = 1;      // approval/ranking: fewest projects on a ballot
  int approval_max = 0;      // approval/ranking: most projects, 0 = no limit
  int points = 0;            // cumulative: points each voter shares out
  int constitution_version = 0;
  int64_t proposals_close = 0, voting_opens = 0, voting_closes = 0;
  std::vector<PbSplit> splits;
  std::vector<int64_t> screeners;  // user ids of the screening panel
  std::optional<int64_t> published_at;
  int64_t ballots = 0;       // counted ballots (online + confirmed paper)
  int64_t created_at = 0;
  // A forum as the screening body: `screeners` are then its active members.
  std::optional<int64_t> screening_forum_id;
  std::string screening_forum_name;
  bool panel_decides = false;  // no ballot: the forum decides which bids are funded
};

struct PbProject {
  int64_t id = 0;
  int64_t round_id = 0;
  std::string kind;          // proposal | bid
  int64_t proposer_id = 0;
  std::string proposer_name;
  std::string org_name, org_number;  // bids only
  std::string title, summary, area, theme, outcomes;
  int64_t cost_pence = 0;       // after any officer adjustment
  int64_t requested_pence = 0;  // as proposed
  std::string cost_reason;      // why the cost was adjusted
  PbProjectStatus status = PbProjectStatus::kDraft;
  std::string check_note;       // officer's eligibility/feasibility note
  std::string screening_reason; // the panel's public reason
  std::optional<int64_t> votes; // after results
  std::optional<bool> funded;   // after results
  std::string story;            // after results: why funded or not, how close
  struct Attachment {
    int64_t id = 0;
    std::string filename, content_type;
    int64_t size_bytes = 0;
  };
  std::vector<Attachment> attachments;
  int64_t created_at = 0, updated_at = 0;
};

struct OpenRoundForm {
  std::string title;                 // 1..200
  int64_t budget_pence = 0;          // > 0
  std::vector<PbSplit> splits;       // optional; amounts sum to at most the budget
  int64_t proposals_close = 0;       // > now
  int64_t voting_opens = 0;          // >= proposals_close
  int64_t voting_closes = 0;         // > voting_opens
  std::vector<std::string> screeners;  // emails of active programme members (1+)
  // The ballot's limits; -1 takes the constitution's (approval_minimum, approval_limit,
  // points), which is what a round normally does.
  int approval_min = -1;             // approval/ranking: fewest projects, >= 1
  int approval_max = -1;             // approval/ranking: most projects, 0 = no limit
  int points = -1;                   // cumulative ballots: 1..1,000
  // "screening_forum_id": a forum of the programme screens instead of `screeners`.
  std::optional<int64_t> screening_forum_id;
  // "panel_decides": that forum decides which bids are funded; no voting phase, and the
  // voting dates are not asked for.
  bool panel_decides = false;
};

struct ProjectForm {
  std::string kind = "proposal";  // proposal | bid
  std::string title;              // 1..200
  std::string summary;            // 1..5,000
  int64_t cost_pence = 0;         // > 0, <= round budget
  std::string area, theme;        // 0..200
  std::string outcomes;           // 0..5,000
  std::string org_name;           // bids: 1..200
  std::string org_number;         // bids: charity or company number, 6..12 [A-Z0-9]
  bool submit = true;             // false: keep as draft
};

struct AttachmentForm {
  std::string filename, content_type, data;  // data: raw bytes, at most 5 MB
};

struct CheckForm {
  bool eligible = true;
  std::optional<int64_t> cost_pence;  // adjusted cost; needs cost_reason
  std::string cost_reason;
  std::string note;                   // required when not eligible
};

struct ScreenForm {
  std::string decision;  // accept | reject
  std::string reason;    // 1..2,000, public
};

struct CastBallotForm {
  std::vector<int64_t> choices;  // project ids; in rank order for ranking ballots
  std::vector<int64_t> points;   // cumulative: aligned with choices
  bool replace = false;          // true to change an existing ballot
};

// What the ballot writer found of a session it read (PbRounds::CastBallotWithSessionToken).
enum class SessionCheck { kOk, kNoSession, kCsrfMismatch };

struct BallotReceipt {
  std::string code;
  bool replaced = false;
};

// A histogram: how many values fell at or under each bound and above the last.
struct Histogram {
  std::vector<double> bounds;    // increasing upper bounds
  std::vector<uint64_t> counts;  // bounds.size() + 1, not cumulative
  uint64_t count = 0;
  double sum = 0;
  explicit Histogram(std::vector<double> upper_bounds = {})
      : bounds(std::move(upper_bounds)), counts(bounds.size() + 1, 0) {}
  void Add(double value);
};

// What the ballot box has done since the server started, for monitoring (/metrics).
struct BallotBoxStats {
  uint64_t ballots_recorded = 0;  // new or changed, committed and flushed
  uint64_t ballots_refused = 0;   // by the rules, the round or the session check
  uint64_t ballots_failed = 0;    // a database failure: the voter was told to try again
  size_t waiting = 0;             // ballots queued for the next transaction now
  Histogram transaction_seconds;  // a batch's reading, deciding, writing and commit
  Histogram flush_seconds;        // making committed batches durable
  Histogram batch_ballots;        // ballots in a batch
};

struct ReceiptStatus {
  int64_t round_id = 0;
  std::string round_title;
  bool counted = false;  // in the count (online, or a confirmed paper batch)
  bool closed = false;   // voting closed; the result includes it
};

struct PaperBatch {
  int64_t id = 0;
  int64_t round_id = 0;
  std::string label;
  int ballots = 0;
  int64_t entered_by = 0;
  std::optional<int64_t> confirmed_by;
  std::string status;  // pending | confirmed
  int64_t created_at = 0;
};

struct PaperBatchForm {
  std::string label;  // 1..200, e.g. "Library drop box, week 1"
  std::vector<CastBallotForm> ballots;
};

struct PbProjectResult {
  int64_t project_id = 0;
  std::string title;
  int64_t cost_pence = 0;
  int64_t votes = 0;
  bool funded = false;
  std::string story;
  int part = 0;  // index into PbResults::parts (-1: in no part of a split fund)
};

// One part of the fund, decided on its own: the whole fund of an unsplit round, or one
// split (an area or theme) of a split round, or what the splits leave over.
struct PbPartResult {
  std::string kind;  // "" (unsplit), "area", "theme", "whole" (the rest of a split fund)
  std::string name;  // "" for an unsplit round
  int64_t budget_pence = 0;
  int64_t spent_pence = 0;
  int64_t voters = 0;  // counted ballots that chose any project in this part
};

struct PbResults {
  int64_t round_id = 0;
  std::string rule;           // the engine's rule name, e.g. "greedy", "mes/cost/add1"
  int64_t budget_pence = 0;
  int64_t spent_pence = 0;    // over every part
  int64_t ballots = 0;
  int64_t published_at = 0;
  double compute_seconds = 0;  // time the engine took (not stored; 0 when read back)
  std::vector<PbPartResult> parts;        // one for an unsplit round
  std::vector<PbProjectResult> projects;  // by votes descending
};

struct PbAward {
  int64_t id = 0;
  int64_t round_id = 0;
  int64_t project_id = 0;
  std::string title, org_name, org_number, summary;
  int64_t amount_pence = 0;
  int64_t spent_pence = 0;
  int progress_percent = 0;
  std::string status;  // in_progress | completed
  int64_t awarded_at = 0, updated_at = 0;
  struct Update {
    int64_t id = 0;
    std::string kind;  // milestone | progress | spend | completed
    std::string text, evidence;
    int64_t amount_pence = 0;
    int64_t at = 0;
  };
  std::vector<Update> updates;
};

// A panel's decision on one bid in a round it decides.
struct PanelDecisionForm {
  std::string decision;  // "decision": fund | decline
  std::string reason;    // "reason": 1..2,000, public
};

// One contribution to a screening body's discussion of a project (public).
struct PbDiscussionEntry {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string author;
  std::string text;
  int64_t at = 0;
};

// A declared interest in a project (public).
struct PbInterest {
  std::string name;
  std::string declaration;
  int64_t at = 0;
};

struct AwardUpdateForm {
  std::string kind;          // milestone | progress | spend | completed
  std::string text;          // 1..2,000
  int64_t amount_pence = 0;  // spend: > 0
  int progress_percent = -1; // progress: 0..100
  std::string evidence;      // 0..1,000 (link or description)
};

class PbRounds {
 public:
  PbRounds(storage::Database& db, Clock& clock);
  ~PbRounds();
  PbRounds(const PbRounds&) = delete;
  PbRounds& operator=(const PbRounds&) = delete;

  // Officers/admins of the programme's body, and the programme's board members when
  // the constitution in force gives the board that power (pb_round_openers). Takes the
  // rule, the ballot and (unless the form sets them) the ballot's limits from the
  // constitution in force; the round keeps them, so a later amendment does not change
  // an open round. A split fund is split one way (all by area or all by theme).
  // Errors: kInvalidArgument (fields), kForbidden, kNotFound, kConflict (no constitution).
  Result<PbRound> Open(const Actor* actor, int64_t programme_id, const OpenRoundForm& form);
  // Public.
  Result<PbRound> Get(int64_t round_id);
  Result<std::vector<PbRound>> ListForProgramme(int64_t programme_id);
  // Officers: next phase (or back from screening to proposals). Entering "results"
  // computes and publishes the outcome; entering "delivery" needs published results.
  // Errors: kForbidden, kNotFound, kConflict (not allowed from this phase).
  Result<PbRound> SetPhase(const Actor* actor, int64_t round_id, std::string_view phase);

  // Active members of the programme, during "proposals", before proposals_close. In a
  // split round the project's area (or theme) must name one of the splits, unless the
  // splits leave part of the fund over for projects in none of them.
  // Errors: kInvalidArgument (fields), kForbidden, kConflict (closed), kNotFound.
  Result<PbProject> Submit(const Actor* actor, int64_t round_id, const ProjectForm& form);
  // The proposer, before the deadline, while draft or submitted.
  Result<PbProject> Edit(const Actor* actor, int64_t project_id, const ProjectForm& form);
  Result<PbProject> Withdraw(const Actor* actor, int64_t project_id);
  Status Attach(const Actor* actor, int64_t project_id, const AttachmentForm& form);
  // Public: a project (drafts only to their proposer and officers).
  Result<PbProject> GetProject(const Actor* actor, int64_t project_id);
  // Public list (drafts and withdrawn left out unless the actor is an officer).
  Result<std::vector<PbProject>> ListProjects(const Actor* actor, int64_t round_id);
  // Public: one attachment's bytes. Errors: kNotFound.
  Result<AttachmentForm> GetAttachment(const Actor* actor, int64_t attachment_id);

  // Officers, during "screening": eligibility/feasibility and cost adjustment.
  Result<PbProject> Check(const Actor* actor, int64_t project_id, const CheckForm& form);
  // Screening panel members, during "screening", on eligible projects they did not
  // propose and declared no conflict on. Errors: kForbidden (with the reason).
  Result<PbProject> Screen(const Actor* actor, int64_t project_id, const ScreenForm& form);
  // Anyone signed in declares a conflict of interest on a project.
  Status DeclareConflict(const Actor* actor, int64_t project_id, std::string_view declaration);

  // Active members, during "voting" and before voting_closes; validated against the
  // round's ballot rules (field "choices"). Errors: kConflict (not voting, or already voted and !replace),
  // kForbidden (not a member),
  // kInvalidArgument (the ballot breaks the rules).
  // Waits for the group commit that stores the ballot.
  Result<BallotReceipt> CastBallot(const Actor* actor, int64_t round_id, const CastBallotForm& form);
  // The same without waiting: `done` is called exactly once with what CastBallot would
  // return — on the calling thread for an input error, otherwise on the ballot writer's
  // thread once the transaction holding the ballot committed (or failed). `done` must
  // be quick (every voter of the batch waits behind it) and must not wait on PbRounds.
  using BallotDone = std::function<void(Result<BallotReceipt>)>;
  void CastBallotAsync(const Actor* actor, int64_t round_id, const CastBallotForm& form,
                       BallotDone done);
  // The same for a sign-in session that has not been read yet (not in memory): instead
  // of a read of its own for every such voter, the writer reads the sessions of the
  // whole batch by their tokens' hashes in the batch's transaction. `csrf_token` is the
  // token the request carried. `done` gets, beside the outcome, what reading the
  // session decided: kNoSession (no live session has this token) or kCsrfMismatch (the
  // token is not the session's), and the outcome then means nothing and the caller
  // answers as it would have after reading the session; or kOk and the outcome is what
  // CastBallotAsync would have given the session's actor.
  using SessionBallotDone = std::function<void(Result<BallotReceipt>, SessionCheck)>;
  void CastBallotWithSessionToken(std::string_view token, std::string csrf_token,
                                  int64_t round_id, const CastBallotForm& form,
                                  SessionBallotDone done);
  // The ballot box's counters and timings. Public (no voter is named).
  BallotBoxStats BallotBox() const;
  // Whether the actor has voted in the round.
  Result<bool> HasVoted(const Actor* actor, int64_t round_id);
  // Public. Takes a 20-digit code, or a 16-digit one given before codes named their
  // ballot; case, spaces and dashes do not matter. Errors: kInvalidArgument (not a
  // code), kNotFound (no ballot, or not its latest receipt).
  Result<ReceiptStatus> CheckReceipt(std::string_view code);

  // Officers, during "voting".
  Result<PaperBatch> EnterPaperBatch(const Actor* actor, int64_t round_id, const PaperBatchForm& form);
  // A different officer. Errors: kForbidden (same officer), kConflict (confirmed).
  Result<PaperBatch> ConfirmPaperBatch(const Actor* actor, int64_t batch_id);
  Result<std::vector<PaperBatch>> ListPaperBatches(const Actor* actor, int64_t round_id);

  // Public once published. Errors: kConflict (not yet published).
  Result<PbResults> Results(int64_t round_id);
  // Public once published: the anonymised ballots in pabulib format, which recompute
  // to the published outcome with the same rule (`communitise pb outcome`, pabutools).
  // A split round has one file per part (PbResults::parts), as pabulib has one file per
  // district of a city: `part` picks it. Errors: kConflict (not published; or a split
  // round without `part`), kNotFound (no such part).
  Result<std::string> ExportPabulib(int64_t round_id, std::optional<int> part = std::nullopt);
  // Public: every project of the round as CSV.
  Result<std::string> ExportProjectsCsv(int64_t round_id);

  // Public.
  Result<std::vector<PbAward>> Awards(int64_t round_id);
  Result<PbAward> GetAward(int64_t award_id);
  // Officers, or the proposer of the funded project.
  Result<PbAward> UpdateAward(const Actor* actor, int64_t award_id, const AwardUpdateForm& form);
  // Public: awards in the 360Giving standard.
  Result<std::string> Export360GivingJson(int64_t round_id);
  Result<std::string> Export360GivingCsv(int64_t round_id);

  // Computes the outcome of a closed round in memory without publishing (benchmarks).
  Result<PbResults> ComputeResults(int64_t round_id);

  // Bids before a panel (see the header comment). Members of the screening body and
  // the round's officers and facilitators, during screening, on projects they did not
  // propose and declared no interest in. Errors: field "text"; kForbidden (with why);
  // kConflict (not in screening).
  Result<PbDiscussionEntry> Discuss(const Actor* actor, int64_t project_id, std::string_view text);
  // Public, oldest first.
  Result<std::vector<PbDiscussionEntry>> Discussion(int64_t project_id);
  Result<std::vector<PbInterest>> Interests(int64_t project_id);
  // A member of the deciding forum, during screening, on a checked project. Errors:
  // fields "decision", "reason"; kForbidden (with why); kConflict (not a panel-decided
  // round, not in screening, not checked, already decided, not eligible, or funding it
  // would spend more than the fund or its split — the message says by how much).
  Result<PbProject> Decide(const Actor* actor, int64_t project_id, const PanelDecisionForm& form);
  // Public: the rounds a forum screens or decides, newest first.
  Result<std::vector<PbRound>> ScreenedBy(int64_t forum_id);
  // Public: what the projects the panel has decided to fund cost together.
  Result<int64_t> FundedByPanel(int64_t round_id);

  // Whether the actor may run the round (open, phases, checks, paper batches).
  static bool CanRun(const Actor* actor, const PbRound& round);

 private:
  class BallotWriter;
  struct Keys;  // the ballot-key secret and the receipt codes' key
  // The keys, read from the database (and made there the first time) once.
  Result<const Keys*> BallotKeys();
  Result<PbResults> ComputeAndStore(const Actor* actor, int64_t round_id, storage::Tx& tx);
  // Publishes a panel-decided round's outcome: funded flags, stories from the reasons,
  // awards for the funded bids, the results record and its audit entry.
  Result<PbResults> StorePanelDecisions(const Actor* actor, int64_t round_id, storage::Tx& tx);

  storage::Database& db_;
  Clock& clock_;
  std::mutex keys_mu_;
  std::unique_ptr<const Keys> keys_;  // guarded by keys_mu_; never changed once set
  std::unique_ptr<BallotWriter> writer_;  // after keys_: its ballots use them
};

class App;

// A voter made for a rehearsal or load test, with a signed-in session.
struct RehearsalVoter {
  int64_t user_id = 0;
  std::string email;
  std::string session_token;  // the cookie value
  std::string csrf_token;
};
// Officers/admins (the CLI's system actor): creates `count` (1..200,000) accounts
// "<prefix>N@<domain>" sharing one password (hashed once with argon2id, so thousands
// are made in seconds), makes each an active member of the programme (basis
// "rehearsal") and signs each in. For rehearsing a round and for load tests before a
// real one; the accounts are ordinary accounts and are audited as one batch.
// Errors: kInvalidArgument, kForbidden, kNotFound, kConflict (an email exists).
Result<std::vector<RehearsalVoter>> CreateRehearsalVoters(App& app, const Actor* actor,
                                                          int64_t programme_id, int count,
                                                          const std::string& email_prefix,
                                                          const std::string& password);

// Demo data: a finished round on the programme (voters who join by `postcode`, bids,
// screening, ballots and published results), made through the use cases above.
// REQUIRES: `officer` may run rounds on the programme.
Status SeedDemoPbRound(App& app, const Actor& officer, int64_t programme_id,
                       const std::string& postcode);

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_PB_ROUNDS_H_
