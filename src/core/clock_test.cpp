#include "communitise/core/clock.h"

#include <gtest/gtest.h>

namespace communitise {
namespace {

TEST(ClockTest, FormatsUtc) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1795601715), "2026-11-25T10:15:15Z");
  EXPECT_EQ(FormatLongDate(1795601715), "25 November 2026");
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
