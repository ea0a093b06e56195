// Vocabulary shared by every application component: who is acting (Actor), their roles,
// and the programme concepts of the report (nature of service, network, methods, depth,
// quadrant). Plain values; safe to copy between threads.
//
// Enums stored on disk are stored by their text name (ToString/Parse below), so their
// numeric order is free; new values are added at the end all the same.
#ifndef COMMUNITISE_APP_TYPES_H_
#define COMMUNITISE_APP_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace communitise::app {

// Roles are granted per public body (programme_id == 0: across all its programmes) or
// per programme. A site admin (Actor::site_admin) may administer every public body.
enum class Role {
  kMember,               // "member": resident or service user taking part
  kOfficer,              // "officer": staff of the public body running programmes
  kFacilitator,          // "facilitator": runs forums and panels
  kCommunityResearcher,  // "community_researcher": logs what is heard on the ground
  kCouncillor,           // "councillor": elected member, sits on boards
  kPartner,              // "partner": partner organisation, sits on boards
  kAdmin,                // "admin": administers the public body (users, roles, areas)
  kBoardMember,          // "board_member": sits on a programme's board; the board's powers
                         // come from the constitution (e.g. opening PB rounds)
};
std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);
// Every role, in the order above (for forms and tests).
const std::vector<Role>& AllRoles();

struct RoleGrant {
  Role role = Role::kMember;
  int64_t public_body_id = 0;
  int64_t programme_id = 0;  // 0: the grant covers every programme of the body
};

// The person making a request, resolved from their session. nullptr means anonymous.
struct Actor {
  int64_t user_id = 0;  // 0 only for the system actor
  std::string display_name;
  bool site_admin = false;
  std::vector<RoleGrant> roles;
  // The signed-in session this actor was resolved from (0: none, e.g. the command line).
  // A use case that must not act on a session ended elsewhere checks it is still there
  // inside its own transaction (the ballot writer does).
  int64_t session_id = 0;

  // True when the actor holds `role` for this body (body-wide) or this programme.
  // programme_id == 0 asks about a body-wide grant only.
  bool Has(Role role, int64_t public_body_id, int64_t programme_id = 0) const;
  // How the audit log names this actor: "user:42" or "system".
  std::string AuditName() const;
};
// The actor used by command-line administration and demo seeding: a site admin.
Actor SystemActor();

// Question 1: nature of the service.
enum class ServiceNature { kDiscretionary, kCore, kBoth };  // "discretionary" "core" "both"
std::string_view ToString(ServiceNature v);
std::optional<ServiceNature> ParseServiceNature(std::string_view text);

// Question 2: nature of the commissioning network.
enum class NetworkKind { kGeographic, kNeedInterest };  // "geographic" "need_interest"
std::string_view ToString(NetworkKind v);
std::optional<NetworkKind> ParseNetworkKind(std::string_view text);

// Question 3: methods of power transfer, in arrow-of-participation order (shallowest
// first). "operational_engagement" "non_binding_deliberation" "binding_deliberation"
// "formal_governance".
enum class Method {
  kOperationalEngagement,
  kNonBindingDeliberation,
  kBindingDeliberation,
  kFormalGovernance,
};
std::string_view ToString(Method v);
std::optional<Method> ParseMethod(std::string_view text);
// Human label, e.g. "Binding deliberation".
std::string_view Label(Method v);
const std::vector<Method>& AllMethods();

// Question 4: depth on the arrow of participation, 1 (operational engagement) to 4
// (formal governance) — the deepest method in use. DERIVED, never entered.
// REQUIRES: !methods.empty().
Method DeriveDepth(const std::vector<Method>& methods);
// 1..4, the position of DeriveDepth(methods) on the arrow.
int DepthLevel(Method depth);

// The report's quadrants (nature × network). A programme of nature "both" spans two.
enum class Quadrant {
  kGeographicDiscretionary,    // "geographic_discretionary"
  kGeographicCore,             // "geographic_core"
  kNeedInterestDiscretionary,  // "need_interest_discretionary"
  kNeedInterestCore,           // "need_interest_core"
};
std::string_view ToString(Quadrant v);
// e.g. "Geographic / discretionary and non-core services"
std::string_view Label(Quadrant v);
std::vector<Quadrant> DeriveQuadrants(ServiceNature nature, NetworkKind network);

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_TYPES_H_
