// libFuzzer target for the pabulib reader. Properties checked on every input:
//  - the parser never crashes, leaks or hits undefined behaviour (ASan/UBSan);
//  - an accepted file round-trips: Parse(Write(e)) == e, and writing is stable;
//  - a rejected file's message starts with "fuzz.pb:" and a line number;
//  - small accepted elections run through greedy, MES and Phragmén within budget.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "communitise/pb/election.h"
#include "communitise/pb/rules.h"

namespace pb = communitise::pb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = pb::ParsePabulib(text, "fuzz.pb");
  if (!parsed.ok()) {
    const std::string& msg = parsed.error().public_message;
    if (msg.rfind("fuzz.pb:", 0) != 0 || msg.size() < 10 || msg[8] < '0' || msg[8] > '9') {
      std::abort();
    }
    return 0;
  }
  std::string written = pb::WritePabulib(*parsed);
  auto again = pb::ParsePabulib(written, "rewritten.pb");
  if (!again.ok() || !(*again == *parsed)) std::abort();
  if (pb::WritePabulib(*again) != written) std::abort();
  const pb::Election& e = *parsed;
  if (e.voters.size() <= 64 && e.projects.size() <= 16) {
    pb::GreedyOptions greedy;
    auto g = pb::Greedy(e, greedy);
    if (!g.ok() || g->total_cost > e.budget) std::abort();
    auto m = pb::EqualShares(e, pb::Utility::kCost, pb::Completion::kNone);
    if (!m.ok() || m->total_cost > e.budget) std::abort();
    auto ph = pb::SequentialPhragmen(e);
    if (!ph.ok() || ph->total_cost > e.budget) std::abort();
  }
  return 0;
}
