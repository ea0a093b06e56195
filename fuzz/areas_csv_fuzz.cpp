// libFuzzer target for area import: the postcode→area CSV reader (and core's CSV reader
// under it) must return rows or a `FILE:LINE:` error — never crash, hang or read out of
// bounds — and every row it accepts must hold a normalised postcode that normalises to
// itself, a non-empty ward code and UTF-8 text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "communitise/app/postcode_csv.h"
#include "communitise/core/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace communitise;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto rows = app::ParsePostcodeAreaCsv(input, "areas.csv");
  if (!rows.ok()) {
    if (rows.error().public_message.rfind("areas.csv:", 0) != 0) std::abort();
    return 0;
  }
  if (rows->empty()) std::abort();
  for (const auto& row : *rows) {
    if (row.postcode.empty() || app::NormalisePostcode(row.postcode) != row.postcode) {
      std::abort();
    }
    if (row.area_code.empty() || !ValidUtf8(row.area_code) || !ValidUtf8(row.area_name)) {
      std::abort();
    }
    if (row.line < 2) std::abort();
  }
  return 0;
}
