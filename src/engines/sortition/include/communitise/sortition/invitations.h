// The invitation lottery of a resident panel: which addresses of a published list are
// sent an invitation, drawn so that anyone holding the list and the published seed can
// redo the draw.
//
// Address lists are CSV with a header row: an `id` column (unique, non-empty; any case,
// also accepted as `address_id`), a `postcode` column, and any other columns, which are
// the address lines in column order (empty ones are skipped). Rows keep file order;
// that order is the order the draw refers to.
//
// DrawInvitations(n, count, seed), with Rng(seed) (random.h): take the indices 0 … n−1
// and run `count` steps of Fisher–Yates: for j in 0 … count−1, r = j + Below(n − j),
// swap positions j and r. The first `count` positions, in that order, are the invited
// addresses (draw order).
//
// Thread safety: pure functions. Errors: ParseAddressCsv returns kInvalidArgument with
// "FILE:LINE: what is wrong"; DrawInvitations REQUIRES 0 <= count <= n.
#ifndef COMMUNITISE_SORTITION_INVITATIONS_H_
#define COMMUNITISE_SORTITION_INVITATIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/core/result.h"

namespace communitise::sortition {

struct AddressRow {
  std::string id;
  std::vector<std::string> lines;  // address lines, non-empty
  std::string postcode;            // as written in the file (trimmed)
  int line = 0;                    // line of the file the row starts on
};

// At most this many rows are accepted (a borough's whole address list fits easily).
inline constexpr size_t kMaxAddresses = 1'000'000;

Result<std::vector<AddressRow>> ParseAddressCsv(std::string_view text,
                                                std::string_view file_name);

// Indices into the list, in draw order. REQUIRES: 0 <= count <= n.
std::vector<int> DrawInvitations(int n, int count, uint64_t seed);

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_INVITATIONS_H_
