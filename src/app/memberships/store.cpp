#include "store.h"

namespace communitise::app {

std::string_view ToString(MembershipStatus v) {
  switch (v) {
    case MembershipStatus::kActive: return "active";
    case MembershipStatus::kPending: return "pending";
    case MembershipStatus::kRejected: return "rejected";
    case MembershipStatus::kLeft: return "left";
  }
  return "";
}

namespace memberships_store {

std::optional<MembershipStatus> ParseStatus(std::string_view text) {
  for (auto s : {MembershipStatus::kActive, MembershipStatus::kPending, MembershipStatus::kRejected,
                 MembershipStatus::kLeft}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

Membership FromRow(const storage::Row& r, bool personal) {
  Membership m;
  m.id = r.Int(0);
  m.programme_id = r.Int(1);
  m.programme_name = r.Text(2);
  m.user_id = r.Int(3);
  m.display_name = r.Text(4);
  m.status = ParseStatus(r.Text(5)).value_or(MembershipStatus::kPending);
  m.basis = r.Text(6);
  m.area_name = r.OptText(7);
  if (personal) {
    m.postcode = r.OptText(8);
    m.statement = r.OptText(9);
    m.email = r.OptText(10);
  }
  m.reason = r.Text(11);
  m.created_at = r.Int(12);
  m.decided_at = r.OptInt(13);
  return m;
}

}  // namespace memberships_store
}  // namespace communitise::app
