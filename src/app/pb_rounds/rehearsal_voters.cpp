// Use case: an administrator creates signed-in voters in bulk to rehearse a round or
// load-test the ballot before a real one.
#include "../accounts/store.h"
#include "../common/util.h"
#include "../programmes/store.h"
#include "communitise/app/app.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"

namespace communitise::app {

Result<std::vector<RehearsalVoter>> CreateRehearsalVoters(App& app, const Actor* actor,
                                                          int64_t programme_id, int count,
                                                          const std::string& email_prefix,
                                                          const std::string& password) {
  std::vector<FieldError> errors;
  if (count < 1 || count > 200000) errors.push_back({"count", "Between 1 and 200,000"});
  if (email_prefix.empty() || email_prefix.find('@') == std::string::npos) {
    errors.push_back({"prefix", "Give a prefix with a domain, like voter@rehearsal.example"});
  }
  if (password.size() < 10) errors.push_back({"password", "At least 10 characters"});
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  const std::string local = email_prefix.substr(0, email_prefix.find('@'));
  const std::string domain = email_prefix.substr(email_prefix.find('@'));
  const int64_t now = app.clock().NowSeconds();
  std::vector<RehearsalVoter> out;
  constexpr int kChunk = 5000;  // one transaction per chunk keeps each commit short
  for (int start = 0; start < count; start += kChunk) {
    const int end = std::min(count, start + kChunk);
    std::vector<RehearsalVoter> chunk;
    RETURN_IF_ERROR(app.db().Transact([&](storage::Tx& tx) -> Status {
      chunk.clear();
      ASSIGN_OR_RETURN(Programme p, programmes_store::Load(tx, programme_id));
      if (!pb_permissions::CanRunRounds(actor, p.public_body_id, programme_id)) {
        return Error::Forbidden();
      }
      for (int i = start; i < end; ++i) {
        RehearsalVoter v;
        v.email = local + std::to_string(i + 1) + domain;
        ASSIGN_OR_RETURN(v.user_id, accounts_store::InsertUser(tx, v.email,
                                                               "Voter " + std::to_string(i + 1),
                                                               hash, false, now));
        RETURN_IF_ERROR(tx.Exec("INSERT INTO memberships (programme_id, user_id, status, basis, "
                                "reason, created_at, decided_at) VALUES (:p, :u, 'active', "
                                "'rehearsal', '', :t, :t2)",
                                {programme_id, v.user_id, now, now})
                            .status());
        ASSIGN_OR_RETURN(NewSession s, accounts_store::CreateSession(tx, v.user_id, now));
        v.session_token = s.token;
        v.csrf_token = s.session.csrf_token;
        chunk.push_back(std::move(v));
      }
      return internal::Audit(tx, now, actor, programme_id, "pb.rehearsal_voters.create",
                             "programme:" + std::to_string(programme_id),
                             {{"count", end - start}, {"first", start + 1}});
    }));
    for (auto& v : chunk) out.push_back(std::move(v));
  }
  // Otherwise a rehearsal on PostgreSQL would be planned for near-empty tables.
  RETURN_IF_ERROR(app.db().RefreshStatistics({"users", "sessions", "memberships"}));
  return out;
}

}  // namespace communitise::app
