// libFuzzer target for the invitation address-list parser: any input gives a list or an
// error (never a crash, hang or out-of-bounds read); an accepted list has unique,
// non-empty ids and postcodes, at least one address line each, and rows in file order;
// the draw over it returns distinct indices in range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "communitise/sortition/invitations.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace communitise::sortition;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto rows = ParseAddressCsv(input, "addresses.csv");
  if (!rows.ok()) {
    if (rows.error().public_message.rfind("addresses.csv:", 0) != 0) std::abort();
    return 0;
  }
  std::set<std::string> ids;
  int last_line = 0;
  for (const auto& r : *rows) {
    if (r.id.empty() || r.postcode.empty() || r.lines.empty() || r.line <= last_line) std::abort();
    if (!ids.insert(r.id).second) std::abort();
    last_line = r.line;
  }
  const int n = static_cast<int>(rows->size());
  const auto drawn = DrawInvitations(n, n / 2, size);
  std::set<int> seen(drawn.begin(), drawn.end());
  if (seen.size() != drawn.size() || (!drawn.empty() && (*seen.begin() < 0 || *seen.rbegin() >= n))) {
    std::abort();
  }
  return 0;
}
