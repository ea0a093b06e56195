#include "communitise/web/pictures.h"

#include <gtest/gtest.h>

namespace communitise::web {
namespace {

using app::Method;
using app::Quadrant;

int Count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (auto p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

TEST(PicturesTest, QuadrantFillsOnlyTheProgrammesQuadrants) {
  std::string svg = QuadrantSvg({Quadrant::kGeographicDiscretionary, Quadrant::kGeographicCore}, "q");
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"q-title\">"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"q-desc\">"), std::string::npos);
  EXPECT_EQ(Count(svg, "This programme</text>"), 2);
  EXPECT_EQ(Count(svg, "fill=\"#1d70b8\""), 2);
  EXPECT_EQ(svg.find("style="), std::string::npos);  // CSP forbids inline styles
}

TEST(PicturesTest, ArrowMarksCurrentDepthAndDescribesHistory) {
  std::string svg = ArrowSvg({{1'700'000'000, Method::kNonBindingDeliberation},
                              {1'760'000'000, Method::kFormalGovernance}},
                             "a");
  EXPECT_NE(svg.find("Depth on the arrow of participation: Formal governance"), std::string::npos);
  EXPECT_NE(svg.find("step 4 of 4"), std::string::npos);
  EXPECT_NE(svg.find("Non-binding deliberation from"), std::string::npos);
  EXPECT_EQ(Count(svg, ">Now</text>"), 1);
  EXPECT_EQ(Count(svg, ">Before</text>"), 1);
  EXPECT_EQ(Count(svg, "r=\"16\""), 1);  // one large marker: the current step
}

}  // namespace
}  // namespace communitise::web
