#include "communitise/sortition/report.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace communitise::sortition {
namespace {

TEST(ReportTest, SelfContainedPageWithBothCharts) {
  Problem p = testing::MakeProblem({{"gender <&>", {{"f", 1, 2}, {"m", 1, 2}}}},
                                   {{"f"}, {"m"}, {"m"}, {"f"}}, 2);
  ReportInput in;
  in.title = "Test";
  in.problem = &p;
  in.leximin = {0.5, 0.5, 0.5, 0.5};
  in.legacy = {0.7, 0.3, 0.4, 0.6};
  in.legacy_draws = 100;
  in.panel = {0, 1};
  const std::string html = RenderReportHtml(in);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_NE(html.find("gender &lt;&amp;&gt;"), std::string::npos);
  EXPECT_NE(html.find("LEXIMIN (exact)"), std::string::npos);
  EXPECT_NE(html.find("legacy (100 draws)"), std::string::npos);
  EXPECT_NE(html.find("1 on panel (quota 1–2), 2 in pool"), std::string::npos);
  EXPECT_NE(html.find("30.0%"), std::string::npos);  // legacy lowest chance
}

}  // namespace
}  // namespace communitise::sortition
