// SQL shared by the membership use cases. Internal to src/app.
#ifndef COMMUNITISE_APP_MEMBERSHIPS_STORE_H_
#define COMMUNITISE_APP_MEMBERSHIPS_STORE_H_

#include <optional>
#include <string_view>

#include "communitise/app/memberships.h"

namespace communitise::app::memberships_store {

inline constexpr std::string_view kColumns =
    "SELECT m.id, m.programme_id, p.name, m.user_id, u.display_name, m.status, m.basis, a.name, "
    "m.postcode, m.statement, u.email, m.reason, m.created_at, m.decided_at "
    "FROM memberships m JOIN programmes p ON p.id = m.programme_id "
    "JOIN users u ON u.id = m.user_id LEFT JOIN areas a ON a.id = m.area_id";

std::optional<MembershipStatus> ParseStatus(std::string_view text);
// A row of kColumns. Personal fields (postcode, statement, email) are filled only when
// `personal` is true.
Membership FromRow(const storage::Row& r, bool personal);

}  // namespace communitise::app::memberships_store

#endif  // COMMUNITISE_APP_MEMBERSHIPS_STORE_H_
