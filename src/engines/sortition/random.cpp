#include "communitise/sortition/random.h"

#include <cassert>

namespace communitise::sortition {
namespace {

uint64_t SplitMix64(uint64_t& z) {
  z += 0x9E3779B97F4A7C15ULL;
  uint64_t x = z;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(uint64_t seed) {
  for (uint64_t& s : s_) s = SplitMix64(seed);
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Below(uint64_t n) {
  assert(n > 0);
  // 2^64 mod n, computed without overflow as (2^64 − n) mod n.
  const uint64_t rejected = (0 - n) % n;
  const uint64_t limit = 0 - rejected;  // 2^64 − rejected, wraps to 0 when rejected == 0
  for (;;) {
    const uint64_t x = Next();
    if (rejected == 0 || x < limit) return x % n;
  }
}

double Rng::Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

}  // namespace communitise::sortition
