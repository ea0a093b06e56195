// libFuzzer target for the sortition CSV readers. The input is split at the first NUL
// byte into a quotas file and a respondents file; both readers must return a value or
// an error — never crash, hang or read out of bounds — and whatever they accept must
// survive a write/read round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "communitise/sortition/csv_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace communitise::sortition;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  const std::string_view quotas_text = input.substr(0, split);
  const std::string_view people_text =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

  auto quotas = ReadQuotasCsv(quotas_text, "quotas.csv");
  if (!quotas.ok()) return 0;
  auto again = ReadQuotasCsv(WriteQuotasCsv(*quotas), "again.csv");
  if (!again.ok() || !(*again == *quotas)) std::abort();

  for (UnknownValues policy : {UnknownValues::kError, UnknownValues::kExclude}) {
    RespondentsOptions options;
    options.unknown_values = policy;
    auto people = ReadRespondentsCsv(people_text, "people.csv", *quotas, options);
    if (!people.ok()) continue;
    auto round = ReadRespondentsCsv(WriteRespondentsCsv(*quotas, people->people),
                                    "round.csv", *quotas);
    if (!round.ok() || round->people.size() != people->people.size()) std::abort();
    for (size_t i = 0; i < people->people.size(); ++i) {
      if (round->people[i].id != people->people[i].id ||
          round->people[i].values != people->people[i].values) {
        std::abort();
      }
    }
  }
  return 0;
}
