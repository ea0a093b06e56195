#include "communitise/deliberation/opinion_map_svg.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "communitise/deliberation/planted_conversation.h"

namespace communitise::deliberation {
namespace {

std::size_t CountOf(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// Unclustered voters outside the clustered participants' bounding box.
std::size_t OutsideFrame(const OpinionMap& map) {
  double lo_x = 1e300, hi_x = -1e300, lo_y = 1e300, hi_y = -1e300;
  for (const ParticipantPlacement& p : map.participants) {
    if (!p.clustered) continue;
    lo_x = std::min(lo_x, p.position.x);
    hi_x = std::max(hi_x, p.position.x);
    lo_y = std::min(lo_y, p.position.y);
    hi_y = std::max(hi_y, p.position.y);
  }
  std::size_t n = 0;
  for (const ParticipantPlacement& p : map.participants) {
    if (!p.clustered && p.votes > 0 &&
        (p.position.x < lo_x || p.position.x > hi_x || p.position.y < lo_y ||
         p.position.y > hi_y)) {
      ++n;
    }
  }
  return n;
}

OpinionMap PlantedMap(std::int32_t participants) {
  PlantedConversationSpec spec;
  spec.participants = participants;
  spec.statements = 40;
  spec.groups = 2;
  spec.min_votes_each = 3;
  spec.max_votes_each = 25;
  auto c = GeneratePlantedConversation(spec);
  EXPECT_TRUE(c.ok());
  auto m = VoteMatrix::FromVotes(spec.participants, spec.statements, c->votes);
  EXPECT_TRUE(m.ok());
  auto map = ComputeOpinionMap(*m, {});
  EXPECT_TRUE(map.ok());
  return std::move(map).value();
}

TEST(OpinionMapSvgTest, AccessibleStructure) {
  const OpinionMap map = PlantedMap(500);
  ASSERT_EQ(map.groups.size(), 2u);
  SvgOptions options;
  options.title = "Parks <& play> map";
  options.id_prefix = "parks";
  const std::string svg = RenderOpinionMapSvg(map, options);
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"parks-title parks-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"parks-title\">Parks &lt;&amp; play&gt; map</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"parks-desc\">500 participants voted on 40 statements."),
            std::string::npos);
  EXPECT_NE(svg.find("form 2 opinion groups"), std::string::npos);
  EXPECT_NE(svg.find(">Group A (" + std::to_string(map.groups[0].size) + ")</text>"),
            std::string::npos);
  EXPECT_NE(svg.find(">Group B (" + std::to_string(map.groups[1].size) + ")</text>"),
            std::string::npos);
  // Everyone voted at least 3 times; only far-out unclustered voters are left out.
  const std::size_t outside = OutsideFrame(map);
  EXPECT_LT(outside, 10u);
  EXPECT_EQ(CountOf(svg, "<circle"), 500u - outside);
  EXPECT_EQ(CountOf(svg, "class=\"group group-"), 2u);
  EXPECT_NE(svg.find("class=\"unclustered\""), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(OpinionMapSvgTest, ThinsLargeMapsAndSaysSo) {
  const OpinionMap map = PlantedMap(2000);
  SvgOptions options;
  options.max_points = 300;
  options.show_unclustered = false;
  const std::string svg = RenderOpinionMapSvg(map, options);
  const std::size_t circles = CountOf(svg, "<circle");
  EXPECT_LE(circles, 300u);
  EXPECT_GE(circles, 150u);
  EXPECT_NE(svg.find("One point in"), std::string::npos);
  EXPECT_EQ(svg.find("class=\"unclustered\""), std::string::npos);
}

TEST(OpinionMapSvgTest, FarOutSparseVotersDoNotShrinkTheGroups) {
  OpinionMap map = PlantedMap(300);
  double max_x = 0;
  for (const ParticipantPlacement& p : map.participants) {
    if (p.clustered) max_x = std::max(max_x, p.position.x);
  }
  ParticipantPlacement stray;
  stray.votes = 1;
  stray.position = {std::abs(max_x) * 1000 + 1000, 0};
  map.participants.push_back(stray);
  map.num_participants += 1;
  const std::size_t outside = OutsideFrame(map);
  ASSERT_GE(outside, 1u);
  const std::string svg = RenderOpinionMapSvg(map, {});
  EXPECT_NE(svg.find(" " + std::to_string(outside) + " participant"), std::string::npos);
  EXPECT_NE(svg.find("outside the picture."), std::string::npos);
  EXPECT_EQ(CountOf(svg, "<circle"), 301u - outside);
}

TEST(OpinionMapSvgTest, EmptyMapStillDescribesItself) {
  const std::string svg = RenderOpinionMapSvg(OpinionMap{}, {});
  EXPECT_NE(svg.find("Too few votes to form opinion groups yet."), std::string::npos);
  EXPECT_EQ(CountOf(svg, "<circle"), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace communitise::deliberation
