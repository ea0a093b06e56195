#include "communitise/app/types.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/util.h"

namespace communitise::app {
namespace {

TEST(DepthTest, IsTheDeepestMethodInUse) {
  EXPECT_EQ(DeriveDepth({Method::kOperationalEngagement}), Method::kOperationalEngagement);
  EXPECT_EQ(DeriveDepth({Method::kOperationalEngagement, Method::kNonBindingDeliberation}),
            Method::kNonBindingDeliberation);
  EXPECT_EQ(DeriveDepth({Method::kFormalGovernance, Method::kOperationalEngagement}),
            Method::kFormalGovernance);
  EXPECT_EQ(DeriveDepth({Method::kBindingDeliberation, Method::kNonBindingDeliberation}),
            Method::kBindingDeliberation);
  EXPECT_EQ(DepthLevel(Method::kOperationalEngagement), 1);
  EXPECT_EQ(DepthLevel(Method::kFormalGovernance), 4);
}

TEST(QuadrantTest, FollowsFromNatureAndNetwork) {
  using Q = std::vector<Quadrant>;
  EXPECT_EQ(DeriveQuadrants(ServiceNature::kDiscretionary, NetworkKind::kGeographic),
            Q{Quadrant::kGeographicDiscretionary});
  EXPECT_EQ(DeriveQuadrants(ServiceNature::kCore, NetworkKind::kNeedInterest),
            Q{Quadrant::kNeedInterestCore});
  EXPECT_EQ(DeriveQuadrants(ServiceNature::kBoth, NetworkKind::kGeographic),
            (Q{Quadrant::kGeographicDiscretionary, Quadrant::kGeographicCore}));
  EXPECT_EQ(DeriveQuadrants(ServiceNature::kBoth, NetworkKind::kNeedInterest),
            (Q{Quadrant::kNeedInterestDiscretionary, Quadrant::kNeedInterestCore}));
}

TEST(NamesTest, RoundTripAndRejectUnknown) {
  for (Role r : AllRoles()) EXPECT_EQ(ParseRole(ToString(r)), r);
  for (Method m : AllMethods()) EXPECT_EQ(ParseMethod(ToString(m)), m);
  EXPECT_FALSE(ParseRole("superuser").has_value());
  EXPECT_FALSE(ParseMethod("Binding_Deliberation").has_value());
  EXPECT_EQ(ParseServiceNature("both"), ServiceNature::kBoth);
  EXPECT_EQ(ParseNetworkKind("need_interest"), NetworkKind::kNeedInterest);
  EXPECT_FALSE(ParseNetworkKind("").has_value());
}

TEST(ActorTest, ProgrammeGrantDoesNotReachTheWholeBody) {
  Actor a;
  a.user_id = 5;
  a.roles = {{Role::kOfficer, 1, 10}, {Role::kFacilitator, 2, 0}};
  EXPECT_TRUE(a.Has(Role::kOfficer, 1, 10));
  EXPECT_FALSE(a.Has(Role::kOfficer, 1, 11));
  EXPECT_FALSE(a.Has(Role::kOfficer, 1));
  EXPECT_TRUE(a.Has(Role::kFacilitator, 2, 99));  // body-wide grant covers programmes
  EXPECT_FALSE(a.Has(Role::kFacilitator, 3, 99));
  EXPECT_EQ(a.AuditName(), "user:5");
  EXPECT_EQ(SystemActor().AuditName(), "system");
}

TEST(TextTest, Utf8IsValidated) {
  using internal::ValidUtf8;
  EXPECT_TRUE(ValidUtf8("Café £100 — 日本 😀"));
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_FALSE(ValidUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(ValidUtf8("\xC3"));          // truncated
  EXPECT_FALSE(ValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(ValidUtf8("\xFF"));
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "name", "your name", "\xFF" "Ann", 1, 100);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(internal::Slugify("Riverside Area Action Partnership!"),
            "riverside-area-action-partnership");
}

// Random codes: the length asked for, hex only, across the pool's refills, and never
// the same twice (64-bit codes: a repeat among 20,000 would be a fault, not chance).
TEST(RandomHexTest, GivesFreshHexOfTheLengthAskedAcrossRefills) {
  for (size_t bytes : {size_t{0}, size_t{1}, size_t{8}, size_t{100}, size_t{5000}}) {
    const std::string hex = internal::RandomHex(bytes);
    EXPECT_EQ(hex.size(), 2 * bytes);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) EXPECT_TRUE(seen.insert(internal::RandomHex(8)).second);
}

}  // namespace
}  // namespace communitise::app
