#include "communitise/core/clock.h"

#include <gtest/gtest.h>

namespace communitise {
namespace {

TEST(ClockTest, FormatsUtc) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1795601715), "2026-11-25T10:15:15Z");
  EXPECT_EQ(FormatLongDate(1795601715), "25 November 2026");
}

TEST(ClockTest, UtcMidnightOfRealDatesOnly) {
  EXPECT_EQ(UtcMidnight(1970, 1, 1), 0);
  EXPECT_EQ(UtcMidnight(2026, 11, 25), 1795564800);
  EXPECT_EQ(FormatIso8601(*UtcMidnight(2028, 2, 29)), "2028-02-29T00:00:00Z");
  EXPECT_EQ(UtcMidnight(2026, 2, 29), std::nullopt);
  EXPECT_EQ(UtcMidnight(2026, 13, 1), std::nullopt);
  EXPECT_EQ(UtcMidnight(2026, 0, 1), std::nullopt);
  EXPECT_EQ(UtcMidnight(2026, 4, 31), std::nullopt);
  EXPECT_EQ(UtcMidnight(0, 1, 1), std::nullopt);
  EXPECT_EQ(UtcMidnight(2026, -1, -5), std::nullopt);
}

TEST(ClockTest, ManualClockAdvances) {
  ManualClock clock(100);
  clock.Advance(50);
  EXPECT_EQ(clock.NowSeconds(), 150);
  SystemClock system;
  EXPECT_GT(system.NowSeconds(), 1700000000);
}

}  // namespace
}  // namespace communitise
