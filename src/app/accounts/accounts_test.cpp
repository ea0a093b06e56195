#include "communitise/app/accounts.h"

#include <set>

#include "../app_test_support.h"
#include "communitise/storage/audit.h"

namespace communitise::app {
namespace {

using testing::AppTest;

class AccountsTest : public AppTest {};

TEST_P(AccountsTest, SignUpReplacesTheAnonymousSessionAndSignsIn) {
  auto anon = app().accounts().StartAnonymousSession();
  ASSERT_TRUE(anon.ok()) << anon.error().ToString();
  EXPECT_EQ(anon->token.size(), 64u);
  EXPECT_EQ(anon->session.csrf_token.size(), 64u);
  auto resolved = app().accounts().ResolveSession(anon->token);
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->actor.has_value());
  EXPECT_TRUE(Accounts::CsrfMatches(*resolved, anon->session.csrf_token));
  EXPECT_FALSE(Accounts::CsrfMatches(*resolved, ""));
  EXPECT_FALSE(Accounts::CsrfMatches(*resolved, std::string(64, '0')));

  auto signed_up = app().accounts().SignUp(anon->token, {"Ann@Example.org", "a long password", "Ann"});
  ASSERT_TRUE(signed_up.ok()) << signed_up.error().ToString();
  EXPECT_NE(signed_up->token, anon->token);
  EXPECT_NE(signed_up->session.csrf_token, anon->session.csrf_token);
  ASSERT_TRUE(signed_up->session.actor.has_value());
  EXPECT_EQ(signed_up->session.actor->display_name, "Ann");
  // The old token is dead; the new one resolves to Ann.
  EXPECT_EQ(app().accounts().ResolveSession(anon->token).error().code, ErrorCode::kUnauthenticated);
  auto now_ann = app().accounts().ResolveSession(signed_up->token);
  ASSERT_TRUE(now_ann.ok());
  EXPECT_EQ(now_ann->actor->user_id, signed_up->session.actor->user_id);

  // Only a hash of the token is stored.
  ASSERT_TRUE(db().Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM sessions WHERE token_hash = :t",
                                           {signed_up->token}));
    EXPECT_EQ(row->Int(0), 0);
    return Status::Ok();
  }).ok());
}

TEST_P(AccountsTest, SignUpValidatesFieldsAndRejectsDuplicates) {
  auto bad = app().accounts().SignUp("", {"not-an-email", "short", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  std::set<std::string> fields;
  for (const auto& f : bad.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"email", "password", "name"}));

  ASSERT_TRUE(app().accounts().SignUp("", {"ann@example.org", "a long password", "Ann"}).ok());
  const int64_t audit_before = AuditCount();
  auto again = app().accounts().SignUp("", {" ANN@example.org", "another long one", "Ann 2"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  ASSERT_EQ(again.error().fields.size(), 1u);
  EXPECT_EQ(again.error().fields[0].field, "email");
  EXPECT_EQ(Count("users"), 1);
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_P(AccountsTest, SignInSignOutAndExpiry) {
  ASSERT_TRUE(app().accounts().SignUp("", {"ann@example.org", "a long password", "Ann"}).ok());
  auto wrong = app().accounts().SignIn("", {"ann@example.org", "wrong password"}, "10.0.0.1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  auto unknown = app().accounts().SignIn("", {"bob@example.org", "a long password"}, "10.0.0.1");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().public_message, wrong.error().public_message);

  auto in = app().accounts().SignIn("", {"ANN@example.org", "a long password"}, "10.0.0.1");
  ASSERT_TRUE(in.ok()) << in.error().ToString();
  ASSERT_TRUE(app().accounts().ResolveSession(in->token).ok());
  ASSERT_TRUE(app().accounts().SignOut(in->token).ok());
  EXPECT_FALSE(app().accounts().ResolveSession(in->token).ok());

  auto again = app().accounts().SignIn("", {"ann@example.org", "a long password"}, "10.0.0.1");
  ASSERT_TRUE(again.ok());
  clock_.Advance(kSessionLifetimeSeconds + 1);
  auto expired = app().accounts().ResolveSession(again->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
  EXPECT_FALSE(app().accounts().ResolveSession("not-a-token").ok());
}

TEST_P(AccountsTest, FailedSignInsAreThrottledPerEmail) {
  ASSERT_TRUE(app().accounts().SignUp("", {"ann@example.org", "a long password", "Ann"}).ok());
  for (int i = 0; i < kMaxFailuresPerEmail; ++i) {
    auto r = app().accounts().SignIn("", {"ann@example.org", "guess " + std::to_string(i)},
                                     "10.0.0." + std::to_string(i));
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  // Even the right password is refused while throttled…
  auto blocked = app().accounts().SignIn("", {"ann@example.org", "a long password"}, "10.9.9.9");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kTooManyRequests);
  // …until the window has passed.
  clock_.Advance(kThrottleWindowSeconds + 1);
  EXPECT_TRUE(app().accounts().SignIn("", {"ann@example.org", "a long password"}, "10.9.9.9").ok());
}

TEST_P(AccountsTest, FailedSignInsAreThrottledPerAddress) {
  for (int i = 0; i < kMaxFailuresPerAddress; ++i) {
    auto r = app().accounts().SignIn(
        "", {"person" + std::to_string(i) + "@example.org", "whatever pass"}, "192.0.2.7");
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthenticated) << i;
  }
  auto blocked =
      app().accounts().SignIn("", {"someone-else@example.org", "whatever pass"}, "192.0.2.7");
  EXPECT_EQ(blocked.error().code, ErrorCode::kTooManyRequests);
  auto elsewhere =
      app().accounts().SignIn("", {"someone-else@example.org", "whatever pass"}, "192.0.2.8");
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kUnauthenticated);
}

TEST_P(AccountsTest, RolesAndPersonalData) {
  const int64_t body = MakeCouncil();
  const Actor admin = MakeUser("admin@example.org", {Role::kAdmin}, body);
  const Actor officer = MakeUser("officer@example.org", {Role::kOfficer}, body);
  const Actor resident = MakeUser("resident@example.org");
  const Actor stranger = MakeUser("stranger@example.org");

  // Only admins grant roles.
  auto denied = app().accounts().GrantRole(&officer, {"resident@example.org", "officer", body, 0});
  EXPECT_EQ(denied.error().code, ErrorCode::kForbidden);
  ASSERT_TRUE(app().accounts().GrantRole(&admin, {"resident@example.org", "councillor", body, 0}).ok());
  auto unknown = app().accounts().GrantRole(&admin, {"nobody@example.org", "member", body, 0});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields.at(0).field, "email");
  auto bad_role = app().accounts().GrantRole(&admin, {"resident@example.org", "king", body, 0});
  EXPECT_EQ(bad_role.error().fields.at(0).field, "role");

  auto as_officer = app().accounts().GetUser(&officer, resident.user_id);
  ASSERT_TRUE(as_officer.ok());
  EXPECT_EQ(as_officer->email, "resident@example.org");
  ASSERT_EQ(as_officer->roles.size(), 1u);
  EXPECT_EQ(as_officer->roles[0].role, Role::kCouncillor);
  auto as_stranger = app().accounts().GetUser(&stranger, resident.user_id);
  ASSERT_TRUE(as_stranger.ok());
  EXPECT_FALSE(as_stranger->email.has_value());
  EXPECT_FALSE(app().accounts().GetUser(nullptr, resident.user_id)->email.has_value());
  EXPECT_EQ(app().accounts().GetUser(&resident, resident.user_id)->email, "resident@example.org");

  // Creating accounts directly is for site admins only.
  auto created = app().accounts().CreateUser(&admin, {"x@example.org", "a long password", "X"});
  EXPECT_EQ(created.error().code, ErrorCode::kForbidden);
  auto verify = storage::VerifyAuditLog(db());
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

COMMUNITISE_APP_BACKENDS(AccountsTest);

}  // namespace
}  // namespace communitise::app
