#include "communitise/deliberation/opinion_map_svg.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(CountOf(svg, "<circle"), 500u);  // everyone voted at least 3 times
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

TEST(OpinionMapSvgTest, EmptyMapStillDescribesItself) {
  const std::string svg = RenderOpinionMapSvg(OpinionMap{}, {});
  EXPECT_NE(svg.find("Too few votes to form opinion groups yet."), std::string::npos);
  EXPECT_EQ(CountOf(svg, "<circle"), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace communitise::deliberation
