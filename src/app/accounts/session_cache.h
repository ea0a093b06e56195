// SessionCache: sessions recently read from the database, so that a signed-in request
// does not cost a database round trip (a ballot box at full load would spend more time
// resolving sessions than storing ballots). Internal to accounts.
//
// Keyed by the SHA-256 of the token, like the sessions table, so the cache holds no
// live token either. An entry is used only while
//   - the session has not expired (checked on every hit against the Clock), and
//   - it was read from the database less than kRecheckSeconds ago;
// after that the session is read again. In this process the cache is exact: signing
// out, signing in or up over a session, and granting a role drop the affected entries
// in the same call that changes the database. Another server sharing the database (or a
// command-line grant) is seen within kRecheckSeconds; use cases that must not act on a
// session ended elsewhere check Actor::session_id in their own transaction (ballots do).
//
// Thread safety: safe for concurrent use.
#ifndef COMMUNITISE_APP_ACCOUNTS_SESSION_CACHE_H_
#define COMMUNITISE_APP_ACCOUNTS_SESSION_CACHE_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "communitise/app/accounts.h"

namespace communitise::app {

class SessionCache {
 public:
  static constexpr int64_t kRecheckSeconds = 10;
  static constexpr size_t kMaxEntries = 200000;

  // The cached session for this token hash, if usable at `now`.
  std::optional<Session> Find(const std::string& token_hash, int64_t now);
  // Counts erasures. Take it before reading a session from the database and pass it to
  // Put: a read that overlapped a sign-out or grant is then not cached.
  uint64_t Epoch();
  // Remembers a session read from the database at `now`, unless anything was erased
  // since `epoch` was taken.
  void Put(const std::string& token_hash, const Session& session, int64_t now, uint64_t epoch);
  // Forgets one session (signed out, or replaced by signing in or up). Call after the
  // change committed.
  void Erase(const std::string& token_hash);
  // Forgets every session of one person (their roles changed). After the commit, too.
  void EraseUser(int64_t user_id);

 private:
  struct Entry {
    Session session;
    int64_t read_at = 0;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  uint64_t epoch_ = 0;                               // GUARDED_BY(mu_)
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_ACCOUNTS_SESSION_CACHE_H_
