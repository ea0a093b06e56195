#include "communitise/core/clock.h"

#include <chrono>
#include <ctime>

namespace communitise {

int64_t SystemClock::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {
std::tm ToUtc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string FormatIso8601(int64_t seconds) {
  std::tm tm = ToUtc(seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string FormatLongDate(int64_t seconds) {
  static constexpr const char* kMonths[] = {"January", "February", "March",     "April",
                                            "May",     "June",     "July",      "August",
                                            "September", "October", "November", "December"};
  std::tm tm = ToUtc(seconds);
  return std::to_string(tm.tm_mday) + " " + kMonths[tm.tm_mon] + " " +
         std::to_string(tm.tm_year + 1900);
}

std::optional<int64_t> UtcMidnight(int year, int month, int day) {
  using namespace std::chrono;
  year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                      std::chrono::day(static_cast<unsigned>(day))};
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || !date.ok()) {
    return std::nullopt;
  }
  return sys_days(date).time_since_epoch().count() * int64_t{86400};
}

}  // namespace communitise
