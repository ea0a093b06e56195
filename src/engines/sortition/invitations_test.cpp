#include "communitise/sortition/invitations.h"

#include <gtest/gtest.h>

#include <set>

#include "communitise/sortition/random.h"

namespace communitise::sortition {
namespace {

TEST(ParseAddressCsv, ReadsIdsLinesAndPostcodes) {
  auto rows = ParseAddressCsv(
      "ID,Line 1,Line 2,Postcode\r\nA1,1 High St,,IG11 7LU\n"
      "A2,\"Flat 2, Ash House\",Barking,ig11 8aa\n\n",
      "a.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].id, "A1");
  EXPECT_EQ((*rows)[0].lines, std::vector<std::string>{"1 High St"});
  EXPECT_EQ((*rows)[1].lines, (std::vector<std::string>{"Flat 2, Ash House", "Barking"}));
  EXPECT_EQ((*rows)[1].postcode, "ig11 8aa");
  EXPECT_EQ((*rows)[1].line, 3);
}

TEST(ParseAddressCsv, ErrorsNameFileAndLine) {
  EXPECT_EQ(ParseAddressCsv("", "a.csv").error().public_message,
            "a.csv:1: the file is empty; expected a header row");
  EXPECT_EQ(ParseAddressCsv("id,line\nA,x\n", "a.csv").error().public_message,
            "a.csv:1: no postcode column");
  EXPECT_EQ(ParseAddressCsv("id,line,postcode\nA,x,P\nA,y,Q\n", "a.csv").error().public_message,
            "a.csv:3: the id A appears twice");
  EXPECT_EQ(ParseAddressCsv("id,line,postcode\nA,x\n", "a.csv").error().public_message,
            "a.csv:2: expected 3 fields, found 2");
  EXPECT_EQ(ParseAddressCsv("id,line,postcode\nA,,P\n", "a.csv").error().public_message,
            "a.csv:2: no address lines");
  EXPECT_EQ(ParseAddressCsv("id,line,postcode\nA,\"x,P\n", "a.csv").error().public_message,
            "a.csv:2: a quoted field is never closed");
  EXPECT_EQ(ParseAddressCsv("id,line,postcode\n", "a.csv").error().public_message,
            "a.csv:1: no addresses after the header row");
}

TEST(DrawInvitations, FollowsTheSpecifiedFisherYates) {
  const int n = 1000, count = 100;
  const std::vector<int> drawn = DrawInvitations(n, count, 20261125);
  ASSERT_EQ(drawn.size(), 100u);
  EXPECT_EQ(std::set<int>(drawn.begin(), drawn.end()).size(), 100u);
  // Recomputed here from the specification in the header.
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  Rng rng(20261125);
  for (int j = 0; j < count; ++j) std::swap(order[j], order[j + rng.Below(n - j)]);
  EXPECT_EQ(drawn, std::vector<int>(order.begin(), order.begin() + count));
  EXPECT_EQ(DrawInvitations(n, count, 20261125), drawn);
  EXPECT_NE(DrawInvitations(n, count, 20261126), drawn);
  EXPECT_EQ(DrawInvitations(5, 5, 1).size(), 5u);
  EXPECT_TRUE(DrawInvitations(5, 0, 1).empty());
}

}  // namespace
}  // namespace communitise::sortition
