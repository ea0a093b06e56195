#include "communitise/app/types.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace communitise::app {
namespace {

template <typename E, size_t N>
std::optional<E> ParseBy(std::string_view text, const std::array<E, N>& all) {
  for (E e : all) {
    if (ToString(e) == text) return e;
  }
  return std::nullopt;
}

constexpr std::array kRoles = {Role::kMember,     Role::kOfficer, Role::kFacilitator,
                               Role::kCommunityResearcher, Role::kCouncillor,
                               Role::kPartner,    Role::kAdmin,   Role::kBoardMember};
constexpr std::array kNatures = {ServiceNature::kDiscretionary, ServiceNature::kCore,
                                 ServiceNature::kBoth};
constexpr std::array kNetworks = {NetworkKind::kGeographic, NetworkKind::kNeedInterest};
constexpr std::array kMethods = {Method::kOperationalEngagement, Method::kNonBindingDeliberation,
                                 Method::kBindingDeliberation, Method::kFormalGovernance};

}  // namespace

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kMember: return "member";
    case Role::kOfficer: return "officer";
    case Role::kFacilitator: return "facilitator";
    case Role::kCommunityResearcher: return "community_researcher";
    case Role::kCouncillor: return "councillor";
    case Role::kPartner: return "partner";
    case Role::kAdmin: return "admin";
    case Role::kBoardMember: return "board_member";
  }
  return "member";
}
std::optional<Role> ParseRole(std::string_view text) { return ParseBy(text, kRoles); }
const std::vector<Role>& AllRoles() {
  static const std::vector<Role> all(kRoles.begin(), kRoles.end());
  return all;
}

bool Actor::Has(Role role, int64_t public_body_id, int64_t programme_id) const {
  return std::any_of(roles.begin(), roles.end(), [&](const RoleGrant& g) {
    return g.role == role && g.public_body_id == public_body_id &&
           (g.programme_id == 0 || (programme_id != 0 && g.programme_id == programme_id));
  });
}

std::string Actor::AuditName() const {
  return user_id == 0 ? "system" : "user:" + std::to_string(user_id);
}

Actor SystemActor() {
  Actor a;
  a.user_id = 0;
  a.display_name = "System";
  a.site_admin = true;
  return a;
}

std::string_view ToString(ServiceNature v) {
  switch (v) {
    case ServiceNature::kDiscretionary: return "discretionary";
    case ServiceNature::kCore: return "core";
    case ServiceNature::kBoth: return "both";
  }
  return "discretionary";
}
std::optional<ServiceNature> ParseServiceNature(std::string_view text) {
  return ParseBy(text, kNatures);
}

std::string_view ToString(NetworkKind v) {
  return v == NetworkKind::kGeographic ? "geographic" : "need_interest";
}
std::optional<NetworkKind> ParseNetworkKind(std::string_view text) {
  return ParseBy(text, kNetworks);
}

std::string_view ToString(Method v) {
  switch (v) {
    case Method::kOperationalEngagement: return "operational_engagement";
    case Method::kNonBindingDeliberation: return "non_binding_deliberation";
    case Method::kBindingDeliberation: return "binding_deliberation";
    case Method::kFormalGovernance: return "formal_governance";
  }
  return "operational_engagement";
}
std::optional<Method> ParseMethod(std::string_view text) { return ParseBy(text, kMethods); }
std::string_view Label(Method v) {
  switch (v) {
    case Method::kOperationalEngagement: return "Operational engagement";
    case Method::kNonBindingDeliberation: return "Non-binding deliberation";
    case Method::kBindingDeliberation: return "Binding deliberation";
    case Method::kFormalGovernance: return "Formal governance";
  }
  return "";
}
const std::vector<Method>& AllMethods() {
  static const std::vector<Method> all(kMethods.begin(), kMethods.end());
  return all;
}

Method DeriveDepth(const std::vector<Method>& methods) {
  assert(!methods.empty());
  // The arrow runs from shallow to deep in enum order; depth is the deepest in use.
  return *std::max_element(methods.begin(), methods.end());
}

int DepthLevel(Method depth) { return static_cast<int>(depth) + 1; }

std::string_view ToString(Quadrant v) {
  switch (v) {
    case Quadrant::kGeographicDiscretionary: return "geographic_discretionary";
    case Quadrant::kGeographicCore: return "geographic_core";
    case Quadrant::kNeedInterestDiscretionary: return "need_interest_discretionary";
    case Quadrant::kNeedInterestCore: return "need_interest_core";
  }
  return "";
}

std::string_view Label(Quadrant v) {
  switch (v) {
    case Quadrant::kGeographicDiscretionary:
      return "Geographic / discretionary and non-core services";
    case Quadrant::kGeographicCore: return "Geographic / core services";
    case Quadrant::kNeedInterestDiscretionary:
      return "Service need or interest / discretionary and non-core services";
    case Quadrant::kNeedInterestCore: return "Service need or interest / core services";
  }
  return "";
}

std::vector<Quadrant> DeriveQuadrants(ServiceNature nature, NetworkKind network) {
  const bool geo = network == NetworkKind::kGeographic;
  std::vector<Quadrant> out;
  if (nature != ServiceNature::kCore) {
    out.push_back(geo ? Quadrant::kGeographicDiscretionary : Quadrant::kNeedInterestDiscretionary);
  }
  if (nature != ServiceNature::kDiscretionary) {
    out.push_back(geo ? Quadrant::kGeographicCore : Quadrant::kNeedInterestCore);
  }
  return out;
}

}  // namespace communitise::app
