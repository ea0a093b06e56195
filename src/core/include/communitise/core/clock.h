// Clock: the one way code outside src/web and src/cli learns the time.
//
// Use cases take a Clock& so tests can fix or advance time (deadlines for responses,
// sign-in throttling, phase dates) without sleeping. SystemClock reads the real time;
// ManualClock is set by tests. Times are UTC seconds since the Unix epoch.
//
// Thread safety: SystemClock is stateless; ManualClock is safe for concurrent use.
#ifndef COMMUNITISE_CORE_CLOCK_H_
#define COMMUNITISE_CORE_CLOCK_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace communitise {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since 1970-01-01T00:00:00Z.
  virtual int64_t NowSeconds() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now) : now_(now) {}
  int64_t NowSeconds() const override { return now_.load(); }
  void Set(int64_t now) { now_.store(now); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

// "2026-11-25T10:21:55Z"
std::string FormatIso8601(int64_t seconds);
// "25 November 2026" (GOV.UK date style)
std::string FormatLongDate(int64_t seconds);
// Seconds since the epoch at 00:00 UTC on a calendar date (proleptic Gregorian), or
// nullopt when the date does not exist (30 February, month 13, year outside 1..9999).
std::optional<int64_t> UtcMidnight(int year, int month, int day);

}  // namespace communitise

#endif  // COMMUNITISE_CORE_CLOCK_H_
