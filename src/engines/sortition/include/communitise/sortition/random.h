// The seeded generator behind every random choice in the sortition engine, specified
// so that anyone can re-implement it and reproduce a published draw:
//
//   seeding: state s[0..3] = four successive outputs of SplitMix64 started at `seed`
//            (z += 0x9E3779B97F4A7C15; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
//             z = (z ^ (z >> 27)) * 0x94D049BB133111EB; out = z ^ (z >> 31));
//   Next():  xoshiro256** (Blackman & Vigna 2018): result = rotl(s1 * 5, 7) * 9, then
//            t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
//            s3 = rotl(s3, 45);
//   Below(n): x = Next() until x < 2^64 − (2^64 mod n); return x mod n (no bias);
//   Unit():  (Next() >> 11) · 2^−53, uniform on [0, 1).
//
// Standard-library distributions are not used because their output differs between
// implementations. Thread safety: one generator per thread.
#ifndef COMMUNITISE_SORTITION_RANDOM_H_
#define COMMUNITISE_SORTITION_RANDOM_H_

#include <cstdint>

namespace communitise::sortition {

class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  // REQUIRES: n > 0. Uniform on [0, n).
  uint64_t Below(uint64_t n);
  double Unit();

 private:
  uint64_t s_[4];
};

}  // namespace communitise::sortition

#endif  // COMMUNITISE_SORTITION_RANDOM_H_
