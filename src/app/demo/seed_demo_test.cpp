#include "communitise/app/demo.h"

#include "../app_test_support.h"
#include "communitise/storage/audit.h"

namespace communitise::app {
namespace {

using testing::AppTest;

class SeedDemoTest : public AppTest {};

TEST_P(SeedDemoTest, SeedsTwoProgrammesFromTheReportOnceAndTheLoginsWork) {
  auto summary = SeedDemo(db(), clock_);
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  const int64_t audit_rows = AuditCount();
  auto again = SeedDemo(db(), clock_);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(AuditCount(), audit_rows);  // idempotent
  EXPECT_EQ(again->logins.size(), summary->logins.size());

  auto aap = app().programmes().GetBySlug(summary->programme_slugs.at(0));
  ASSERT_TRUE(aap.ok());
  EXPECT_EQ(aap->scope.depth, Method::kFormalGovernance);
  EXPECT_EQ(aap->annual_budget_pence, 10'000'000);
  EXPECT_EQ(aap->scope.quadrants, std::vector<Quadrant>{Quadrant::kGeographicDiscretionary});
  EXPECT_EQ(app().constitutions().Current(aap->id)->rules.board, (BoardComposition{7, 7, 7}));
  EXPECT_EQ(aap->member_count, 7);  // a resident and the six voters of the demo PB round

  auto panel = app().programmes().GetBySlug(summary->programme_slugs.at(1));
  ASSERT_TRUE(panel.ok());
  EXPECT_EQ(panel->scope.depth, Method::kNonBindingDeliberation);
  EXPECT_EQ(panel->areas.size(), 2u);

  for (const DemoLogin& login : summary->logins) {
    auto in = app().accounts().SignIn("", {login.email, login.password}, "127.0.0.1");
    EXPECT_TRUE(in.ok()) << login.email << ": " << in.error().ToString();
  }
  auto verify = storage::VerifyAuditLog(db());
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

COMMUNITISE_APP_BACKENDS(SeedDemoTest);

}  // namespace
}  // namespace communitise::app
