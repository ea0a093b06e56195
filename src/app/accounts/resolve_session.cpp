// Use case: turn a cookie token into the session and (if signed in) the actor.
#include "../common/util.h"
#include "communitise/app/accounts.h"
#include "session_cache.h"
#include "store.h"

namespace communitise::app {

namespace {
constexpr std::string_view kSelectSession =
    "SELECT id, user_id, csrf_token, expires_at FROM sessions WHERE token_hash = :h";

bool WellFormedToken(std::string_view token) {
  if (token.size() != 64) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

Accounts::Accounts(storage::Database& db, Clock& clock)
    : db_(db), clock_(clock), sessions_(std::make_unique<SessionCache>()) {}

Accounts::~Accounts() = default;

Result<Session> Accounts::ResolveSession(std::string_view token) {
  if (!WellFormedToken(token)) return Error::Unauthenticated("Your session has ended");
  const int64_t now = clock_.NowSeconds();
  const std::string hash = internal::Sha256Hex(token);
  if (auto cached = sessions_->Find(hash, now)) return std::move(*cached);
  const uint64_t epoch = sessions_->Epoch();
  Session out;
  bool found = false;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(kSelectSession, {hash}));
    if (!row || row->Int(3) <= now) return Status::Ok();
    found = true;
    out.id = row->Int(0);
    out.csrf_token = row->Text(2);
    out.expires_at = row->Int(3);
    if (auto user_id = row->OptInt(1)) {
      ASSIGN_OR_RETURN(Actor a, accounts_store::LoadActor(tx, *user_id));
      a.session_id = out.id;
      out.actor = std::move(a);
    }
    return Status::Ok();
  }));
  if (!found) return Error::Unauthenticated("Your session has ended");
  sessions_->Put(hash, out, now, epoch);
  return out;
}

std::optional<Session> Accounts::CachedSession(std::string_view token) {
  if (!WellFormedToken(token)) return std::nullopt;
  return sessions_->Find(internal::Sha256Hex(token), clock_.NowSeconds());
}

bool Accounts::CsrfMatches(const Session& session, std::string_view submitted) {
  return internal::ConstantTimeEquals(session.csrf_token, submitted);
}

Result<Actor> Accounts::LoadActor(int64_t user_id) {
  Actor out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, accounts_store::LoadActor(tx, user_id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
