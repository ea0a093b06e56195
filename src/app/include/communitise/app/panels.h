// Panels: resident panels chosen by sortition — an address list, a public invitation
// lottery, registration by invitation code, quotas, fair selection run in the
// background, the panel lottery and replacement of drop-outs.
//
// The flow an organiser follows: Create (name, size, quotas as the sortition engine's
// `category,feature,min,max` CSV) → ImportAddresses (CSV: id, address lines, postcode;
// every postcode must be in the body's imported areas) → PublishInvitationSeed (the
// seed is public from then on and cannot change) → DrawInvitations (the lottery of
// sortition/invitations.h over the list in file order; each invited address gets a
// unique code) → Letters → people Register with a code → StartSelection (LEXIMIN by
// default; a job row with status and progress, run by a worker thread) → DrawPanel
// with a published seed → ReplaceMember for drop-outs.
//
// Selection jobs outlive the process that runs them. A runner claims a job by writing
// its own id and a heartbeat into the row (every few seconds while it computes). A job
// whose heartbeat has gone stale — its server crashed or was killed — is claimed again
// by the next runner that looks (a server looks at start, through ResumeSelections, and
// then every few seconds), and computed from the start. A job is started at most
// kMaxSelectionAttempts times; after that it fails with a message saying so, and an
// organiser may stop (CancelSelection) a queued or running job at any time, so no job
// blocks its panel for ever.
//
// Reproducibility: anyone holding the address list and the published seed can redo the
// invitation draw (`communitise panel draw-invitations`); anyone holding the published
// distribution and the draw seed can redo the panel lottery (sortition/lottery.h).
// A replacement uses the draw seed plus the number of earlier replacements.
//
// Privacy: demographic answers (features) and availability are visible only to the
// officers, facilitators and admins of the programme's body or programme and site
// admins (panels_permissions::CanSeeDemographics) — never in the public pages, the
// audit log or to any other role. Public views give counts per quota value and
// anonymised probabilities.
//
// Ownership: holds references to the Database and Clock and owns the selection worker
// and heartbeat threads (started on first use or by ResumeSelections; the destructor
// stops the job in progress at its next step, puts it back in the queue for the next
// start, and joins them). Thread safety: safe for concurrent use.
//
// Form field names: "name", "panel_size", "quotas" (CSV text), "codes_per_household",
// "file", "seed", "count", "code", "availability", "consent", feature fields by
// category name, "algorithm" (leximin | legacy), "reason".
#ifndef COMMUNITISE_APP_PANELS_H_
#define COMMUNITISE_APP_PANELS_H_

#include <cstdint>
#include <map>
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

struct PanelValue {
  std::string name;
  int min = 0;
  int max = 0;
  std::optional<double> population_percent;  // when quotas were derived from figures
};

struct PanelCategory {
  std::string name;
  std::vector<PanelValue> values;
};

struct Panel {
  int64_t id = 0;
  int64_t programme_id = 0;
  int64_t public_body_id = 0;
  std::string programme_slug;
  std::string name;
  int panel_size = 0;
  std::vector<PanelCategory> categories;
  int codes_per_household = 1;
  std::optional<std::string> invitation_seed;  // public once published
  std::optional<int64_t> invitation_seed_published_at;
  std::optional<int64_t> invitations_drawn_at;
  std::optional<std::string> draw_seed;  // the panel lottery's seed, public
  std::optional<int64_t> drawn_at;
  int64_t address_count = 0;
  int64_t invitation_count = 0;
  int64_t respondent_count = 0;
  int64_t created_at = 0;
};

struct CreatePanelForm {
  std::string name;              // "name": 1..200
  int panel_size = 0;            // "panel_size": 2..1,000
  std::string quotas_csv;        // "quotas": category,feature,min,max
  int codes_per_household = 1;   // "codes_per_household": 1..10
};

// One line per value: "category,value,percent" of the population. The quotas become
// [floor(p·k/100), ceil(p·k/100)] for a panel of k. Errors: "population" field errors.
Result<std::vector<PanelCategory>> QuotasFromPopulation(std::string_view population_csv,
                                                        int panel_size);

struct AddressImport {
  int64_t addresses = 0;
  std::map<std::string, int64_t> by_area;  // area name -> addresses
};

struct InvitationLetter {
  int draw_order = 0;
  std::string address_ref;
  std::vector<std::string> lines;
  std::string postcode;
  std::string area_name;
  std::string code;
};

// The public record of the invitation draw: address ids in draw order.
struct InvitationDraw {
  std::string seed;
  int64_t published_at = 0;
  int64_t drawn_at = 0;
  int64_t list_size = 0;
  std::vector<std::string> address_refs;
};

struct RegisterForm {
  std::string code;                              // "code"
  std::map<std::string, std::string> features;  // category name -> value name
  std::string availability;                      // "availability": 0..500
  bool consent = false;                          // "consent": required
};

struct Respondent {
  int64_t id = 0;
  int64_t panel_id = 0;
  int64_t user_id = 0;
  std::string display_name;
  std::string area_name;
  std::map<std::string, std::string> features;  // demographic: see header comment
  std::string availability;                     // personal
  int64_t created_at = 0;
  std::string member_status;  // "" (not on the panel), "selected", "replacement", "dropped_out"
};

enum class SelectionStatus { kQueued, kRunning, kDone, kInfeasible, kFailed };
// "queued" "running" "done" "infeasible" "failed"
std::string_view ToString(SelectionStatus v);

struct SelectionProgress {
  int stage = 0;
  int round = 0;
  int panels = 0;
  int fixed_types = 0;
  int types = 0;
  double value = 0;
};

struct QuotaChangeView {
  std::string category, value;
  int old_min = 0, old_max = 0, new_min = 0, new_max = 0;
};

// How many times a selection job is started (first run and resumptions) before it fails.
inline constexpr int kMaxSelectionAttempts = 3;

struct Selection {
  int64_t id = 0;
  int64_t panel_id = 0;
  SelectionStatus status = SelectionStatus::kQueued;
  std::string algorithm;  // "leximin" | "legacy"
  SelectionProgress progress;
  int64_t created_at = 0;
  std::optional<int64_t> finished_at;
  int attempts = 0;                      // times a runner has started it
  std::optional<int64_t> heartbeat_at;   // last sign of life of the runner computing it
  bool stalled = false;  // running, but its runner has stopped: it will be resumed
  double seconds = 0;  // wall time of the computation
  // Done: the published distribution — probabilities per respondent (respondent ids in
  // pool order, as `respondent_ids`), sorted anonymised probabilities and the panels.
  std::vector<int64_t> respondent_ids;
  std::vector<double> probabilities;
  double min_probability = 0;
  double max_probability = 0;
  int distribution_panels = 0;
  std::string distribution_json;  // types and weighted compositions (the public record)
  // Infeasible: the diagnosis and the smallest relaxation.
  std::string summary;
  std::vector<std::string> conflicts;
  std::vector<QuotaChangeView> changes;
  std::string error;  // failed: a public message
};

struct MakeUpRow {
  std::string category, value;
  int min = 0, max = 0;
  int panel = 0;  // current panel members with this value
  std::optional<double> population_percent;
};

struct PanelMember {
  int64_t id = 0;
  int64_t respondent_id = 0;
  int64_t user_id = 0;
  std::string display_name;
  std::string status;  // "selected" | "replacement" | "dropped_out"
  std::string note;
  int64_t at = 0;
};

class SelectionRunner;

class Panels {
 public:
  Panels(storage::Database& db, Clock& clock);
  ~Panels();
  Panels(const Panels&) = delete;
  Panels& operator=(const Panels&) = delete;

  // Officers, facilitators and admins of the programme. Errors: kInvalidArgument
  // (fields; "quotas" carries the CSV's FILE:LINE message), kForbidden, kNotFound.
  Result<Panel> Create(const Actor* actor, int64_t programme_id, const CreatePanelForm& form);
  // Replaces the quotas (same categories and values once people have registered).
  Result<Panel> SetQuotas(const Actor* actor, int64_t panel_id,
                          const std::vector<PanelCategory>& categories);
  // Public.
  Result<Panel> Get(int64_t panel_id);
  Result<std::vector<Panel>> ListForProgramme(int64_t programme_id);

  // Organisers; before the invitation draw only. Errors: kInvalidArgument "FILE:LINE:
  // what" (field "file"), kConflict (already drawn), kForbidden, kNotFound.
  Result<AddressImport> ImportAddresses(const Actor* actor, int64_t panel_id,
                                        std::string_view csv_text, std::string_view file_name);
  // Organisers: fixes and publishes the seed (a whole number 0..2^64−1). Errors:
  // kInvalidArgument (field "seed"), kConflict when already published.
  Result<Panel> PublishInvitationSeed(const Actor* actor, int64_t panel_id,
                                      std::string_view seed);
  // Organisers: draws `count` addresses with the published seed. Errors: field "count",
  // kConflict (no seed, no addresses, already drawn).
  Result<InvitationDraw> DrawInvitations(const Actor* actor, int64_t panel_id, int count);
  // Public once drawn. Errors: kNotFound (no such panel or not drawn yet).
  Result<InvitationDraw> GetInvitationDraw(int64_t panel_id);
  // Organisers: the letters, in draw order.
  Result<std::vector<InvitationLetter>> Letters(const Actor* actor, int64_t panel_id);

  // Signed-in people with a code. Errors: kUnauthenticated; kInvalidArgument (fields
  // "code", "consent", and one per category name); kConflict (already registered).
  Result<Respondent> Register(const Actor* actor, const RegisterForm& form);
  // The panel a code invites to (public; reveals nothing else). Errors: field "code".
  Result<Panel> PanelForCode(std::string_view code);
  // The actor's own registration, with their answers. Errors: kUnauthenticated.
  Result<std::optional<Respondent>> MyRegistration(const Actor* actor, int64_t panel_id);
  // Demographic data: CanSeeDemographics only. Errors: kForbidden, kNotFound.
  Result<std::vector<Respondent>> ListRespondents(const Actor* actor, int64_t panel_id);
  // The same as CSV (id, name, area, one column per category, availability, status).
  Result<std::string> ExportRespondentsCsv(const Actor* actor, int64_t panel_id);

  // Organisers: queues a selection over everyone registered now and returns at once;
  // the worker thread runs it. Errors: field "algorithm", kConflict (too few respondents,
  // a selection already queued or running, panel already drawn).
  Result<Selection> StartSelection(const Actor* actor, int64_t panel_id,
                                   std::string_view algorithm);
  // Public (anonymised: respondent_ids are cleared for callers who may not see them).
  Result<Selection> GetSelection(const Actor* actor, int64_t selection_id);
  Result<std::optional<Selection>> LatestSelection(const Actor* actor, int64_t panel_id);
  // Blocks until the worker has no queued or running job (tests, the CLI, benchmarks).
  void WaitForSelections();
  // Starts the worker, which resumes jobs left queued, or running by a runner that has
  // stopped (see the header comment), and keeps looking for such jobs. Servers call it
  // at start; command-line tools that only read the database do not.
  void ResumeSelections();
  // Organisers: stops a queued or running job; it fails with "Stopped by an organiser"
  // and the panel may start another. Errors: kForbidden, kNotFound, kConflict (finished).
  Result<Selection> CancelSelection(const Actor* actor, int64_t selection_id);

  // Organisers: draws the panel from a finished selection with a seed that is
  // published with it. Errors: field "seed", kConflict (not done, already drawn).
  Result<std::vector<PanelMember>> DrawPanel(const Actor* actor, int64_t panel_id,
                                             int64_t selection_id, std::string_view seed);
  // Organisers: marks a member as dropped out and draws a replacement keeping the
  // quotas. Errors: kConflict when no one can replace them; kNotFound.
  Result<PanelMember> ReplaceMember(const Actor* actor, int64_t panel_id, int64_t member_id,
                                    std::string_view reason);
  // Public: names of the current panel (people consented to this at registration).
  Result<std::vector<PanelMember>> Members(int64_t panel_id);
  // Public: the current panel's make-up against the quotas and population.
  Result<std::vector<MakeUpRow>> MakeUp(int64_t panel_id);

  // Whether the actor may see demographic data of this panel.
  bool CanSeeDemographics(const Actor* actor, const Panel& panel) const;
  bool CanOrganise(const Actor* actor, const Panel& panel) const;

  // Claims the job — queued, or running with a stale heartbeat — for this object's
  // runner and computes it (the worker calls this). Returns Ok without doing anything
  // when the job is not claimable (finished, or another live runner holds it). Engine
  // failures are recorded in the job row; errors returned are the database's.
  Status RunSelection(int64_t selection_id);
  // Ids of the jobs RunSelection would claim now, oldest first.
  Result<std::vector<int64_t>> ClaimableSelections();

 private:
  storage::Database& db_;
  Clock& clock_;
  std::unique_ptr<SelectionRunner> runner_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_PANELS_H_
