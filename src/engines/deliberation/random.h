// SplitMix64: the deterministic generator behind every random choice in this engine.
//
// The standard library's distributions are implementation-defined, so the same seed could
// give different maps on different compilers; this generator and the helpers below are
// fully specified here, so a published seed reproduces a map anywhere.
// Not thread-safe: one instance per computation.
#ifndef COMMUNITISE_DELIBERATION_RANDOM_H_
#define COMMUNITISE_DELIBERATION_RANDOM_H_

#include <cstdint>

namespace communitise::deliberation {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n). REQUIRES: n > 0. The modulo bias (below 2^-40 for the
  // sizes used here) does not matter for seeding and synthetic data.
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }

 private:
  std::uint64_t state_;
};

}  // namespace communitise::deliberation

#endif  // COMMUNITISE_DELIBERATION_RANDOM_H_
