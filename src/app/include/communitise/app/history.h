// The public history of a programme: its audit log entries, newest first. Everything
// here is public (audit details carry no personal data by construction).
//
// Thread safety: safe for concurrent use.
#ifndef COMMUNITISE_APP_HISTORY_H_
#define COMMUNITISE_APP_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/storage/database.h"

namespace communitise::app {

struct HistoryEntry {
  int64_t seq = 0;
  int64_t at = 0;
  std::string actor;         // "user:42" / "system"
  std::string actor_name;    // display name, "System" for the system actor
  std::string action;        // "programme.create", "constitution.amend", …
  std::string description;   // a plain-English sentence for the page
  std::string subject;       // "programme:7"
  std::string details_json;
  std::string hash;
};

class History {
 public:
  explicit History(storage::Database& db) : db_(db) {}

  // Public. Up to `limit` (1..500) entries with seq < before_seq (when given).
  // Errors: kNotFound (no programme), kInvalidArgument (field "limit").
  Result<std::vector<HistoryEntry>> ForProgramme(int64_t programme_id, int limit = 100,
                                                 std::optional<int64_t> before_seq = std::nullopt);

 private:
  storage::Database& db_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_HISTORY_H_
