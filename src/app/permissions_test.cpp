// Every role tries every permission-checked action; anything not expressly allowed
// must be refused (deny by default).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "accounts/permissions.h"
#include "constitutions/permissions.h"
#include "memberships/permissions.h"
#include "pb_rounds/permissions.h"
#include "programmes/permissions.h"
#include "public_bodies/permissions.h"

namespace communitise::app {
namespace {

constexpr int64_t kBody = 1, kOtherBody = 2, kProgramme = 10, kOtherProgramme = 11;
constexpr int64_t kTarget = 99;  // the person whose email is asked for

Actor WithRole(Role role, int64_t body = kBody, int64_t programme = 0) {
  Actor a;
  a.user_id = 7;
  a.display_name = "someone";
  a.roles = {{role, body, programme}};
  return a;
}

// action name → whether this actor may do it
std::map<std::string, bool> Can(const Actor* a) {
  using namespace accounts_permissions;
  using namespace public_bodies_permissions;
  using namespace programmes_permissions;
  using namespace constitutions_permissions;
  using namespace memberships_permissions;
  return {
      {"create_users", CanCreateUsers(a)},
      {"grant_role", CanGrantRole(a, kBody)},
      {"see_email", CanSeeEmail(a, kTarget, {kBody})},
      {"create_public_body", CanCreatePublicBody(a)},
      {"import_areas", CanImportAreas(a, kBody)},
      {"create_programme", CanCreateProgramme(a, kBody)},
      {"manage_programme", CanManageProgramme(a, kBody, kProgramme)},
      {"amend_constitution", CanAmendConstitution(a, kBody, kProgramme)},
      {"join", CanJoin(a)},
      {"decide_applications", CanDecideApplications(a, kBody, kProgramme)},
      {"see_members", CanSeeMembers(a, kBody, kProgramme)},
  };
}

void ExpectOnly(const Actor* a, const std::set<std::string>& allowed, const std::string& who) {
  for (const auto& [action, can] : Can(a)) {
    EXPECT_EQ(can, allowed.count(action) > 0) << who << " / " << action;
  }
}

TEST(PermissionsTest, AnonymousMayDoNothing) { ExpectOnly(nullptr, {}, "anonymous"); }

TEST(PermissionsTest, SignedInWithoutRolesMayOnlyJoin) {
  Actor a;
  a.user_id = 7;
  ExpectOnly(&a, {"join"}, "no roles");
}

TEST(PermissionsTest, EachBodyRole) {
  const std::set<std::string> staff = {"join", "see_email", "import_areas", "create_programme",
                                       "manage_programme", "amend_constitution",
                                       "decide_applications", "see_members"};
  std::map<Role, std::set<std::string>> expected = {
      {Role::kMember, {"join"}},
      {Role::kOfficer, staff},
      {Role::kFacilitator, {"join", "decide_applications", "see_members"}},
      {Role::kCommunityResearcher, {"join"}},
      {Role::kCouncillor, {"join"}},
      {Role::kPartner, {"join"}},
      {Role::kBoardMember, {"join"}},
      {Role::kAdmin, [&] {
         auto s = staff;
         s.insert("grant_role");
         return s;
       }()},
  };
  ASSERT_EQ(expected.size(), AllRoles().size());
  for (Role role : AllRoles()) {
    const Actor a = WithRole(role);
    ExpectOnly(&a, expected[role], std::string(ToString(role)));
  }
}

TEST(PermissionsTest, RolesInAnotherBodyGiveNothingHere) {
  for (Role role : AllRoles()) {
    const Actor a = WithRole(role, kOtherBody);
    ExpectOnly(&a, {"join"}, "other body " + std::string(ToString(role)));
  }
}

TEST(PermissionsTest, ProgrammeOfficerManagesOnlyThatProgramme) {
  const Actor a = WithRole(Role::kOfficer, kBody, kProgramme);
  EXPECT_TRUE(programmes_permissions::CanManageProgramme(&a, kBody, kProgramme));
  EXPECT_FALSE(programmes_permissions::CanManageProgramme(&a, kBody, kOtherProgramme));
  EXPECT_FALSE(programmes_permissions::CanCreateProgramme(&a, kBody));
  EXPECT_FALSE(public_bodies_permissions::CanImportAreas(&a, kBody));
  EXPECT_TRUE(constitutions_permissions::CanAmendConstitution(&a, kBody, kProgramme));
  EXPECT_FALSE(constitutions_permissions::CanAmendConstitution(&a, kBody, kOtherProgramme));
}

TEST(PermissionsTest, SiteAdminMayDoEverything) {
  Actor a;
  a.user_id = 1;
  a.site_admin = true;
  for (const auto& [action, can] : Can(&a)) EXPECT_TRUE(can) << action;
}

TEST(PermissionsTest, PeopleSeeTheirOwnEmail) {
  Actor a;
  a.user_id = kTarget;
  EXPECT_TRUE(accounts_permissions::CanSeeEmail(&a, kTarget, {}));
  a.user_id = kTarget + 1;
  EXPECT_FALSE(accounts_permissions::CanSeeEmail(&a, kTarget, {}));
}

TEST(PermissionsTest, OpeningARoundIsForOfficersAndForTheBoardOnlyWhenGivenThePower) {
  const Actor officer = WithRole(Role::kOfficer);
  const Actor board = WithRole(Role::kBoardMember, kBody, kProgramme);
  const Actor councillor = WithRole(Role::kCouncillor);
  for (RoundOpeners openers : {RoundOpeners::kOfficers, RoundOpeners::kOfficersAndBoard}) {
    EXPECT_TRUE(pb_permissions::CanOpenRounds(&officer, kBody, kProgramme, openers));
    EXPECT_FALSE(pb_permissions::CanOpenRounds(&councillor, kBody, kProgramme, openers));
    EXPECT_FALSE(pb_permissions::CanOpenRounds(nullptr, kBody, kProgramme, openers));
  }
  EXPECT_FALSE(pb_permissions::CanOpenRounds(&board, kBody, kProgramme, RoundOpeners::kOfficers));
  EXPECT_TRUE(
      pb_permissions::CanOpenRounds(&board, kBody, kProgramme, RoundOpeners::kOfficersAndBoard));
  // A board seat on one programme opens nothing on another; nor does it run rounds.
  EXPECT_FALSE(pb_permissions::CanOpenRounds(&board, kBody, kOtherProgramme,
                                             RoundOpeners::kOfficersAndBoard));
  EXPECT_FALSE(pb_permissions::CanRunRounds(&board, kBody, kProgramme));
}

}  // namespace
}  // namespace communitise::app
