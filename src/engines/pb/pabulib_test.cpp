#include <gtest/gtest.h>

#include "communitise/pb/election.h"

namespace communitise::pb {
namespace {

constexpr char kSmall[] =
    "\xEF\xBB\xBFMETA\r\n"
    "key;value\r\n"
    "description;\"A test; with a semicolon\"\r\n"
    "budget;100,50\r\n"
    "vote_type;cumulative\r\n"
    "PROJECTS\r\n"
    "cost;project_id;name;votes\r\n"
    "10,25;a;\"Park \"\"green\"\"\";None\r\n"
    "90;b;Bench;3\r\n"
    "VOTES\r\n"
    "voter_id;points;vote;age\r\n"
    "1;2,1;b,a;30\r\n"
    "2;;;None\r\n";

TEST(PabulibTest, ReadsQuirks) {
  auto r = ParsePabulib(kSmall, "small.pb");
  ASSERT_TRUE(r.ok()) << r.error().public_message;
  const Election& e = *r;
  EXPECT_EQ(e.cost_decimals, 2);
  EXPECT_EQ(e.budget, 10050);
  EXPECT_EQ(e.vote_type, VoteType::kCumulative);
  ASSERT_EQ(e.projects.size(), 2u);
  EXPECT_EQ(e.projects[0].id, "a");
  EXPECT_EQ(e.projects[0].cost, 1025);
  EXPECT_FALSE(e.projects[0].votes.has_value());
  EXPECT_EQ(e.projects[1].votes, 3);
  EXPECT_EQ(e.projects[0].cells[2], "Park \"green\"");
  EXPECT_EQ(*e.Meta("description"), "A test; with a semicolon");
  ASSERT_EQ(e.voters.size(), 2u);
  EXPECT_EQ(e.voters[0].vote, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(e.voters[0].points, (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(e.voters[1].vote.empty());
  EXPECT_EQ(e.FormatMoney(1025), "10.25");
}

TEST(PabulibTest, RoundTrips) {
  auto r = ParsePabulib(kSmall, "small.pb");
  ASSERT_TRUE(r.ok());
  std::string written = WritePabulib(*r);
  auto again = ParsePabulib(written, "written.pb");
  ASSERT_TRUE(again.ok()) << again.error().public_message;
  EXPECT_EQ(*r, *again);
}

void ExpectError(const std::string& text, const std::string& message) {
  auto r = ParsePabulib(text, "bad.pb");
  ASSERT_FALSE(r.ok()) << "accepted: " << text;
  EXPECT_EQ(r.error().public_message, message);
}

TEST(PabulibTest, ReportsFileAndLine) {
  const std::string head = "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n";
  ExpectError(head + "a;x\nVOTES\nvoter_id;vote\n", "bad.pb:6: cost 'x' is not a non-negative number");
  ExpectError(head + "a;1\nVOTES\nvoter_id;vote\n1;b\n",
              "bad.pb:9: vote names unknown project 'b'");
  ExpectError(head + "a;1\na;2\nVOTES\nvoter_id;vote\n", "bad.pb:7: project 'a' appears twice");
  ExpectError(head + "a;1\nVOTES\nvoter_id;vote\n1;a,a\n",
              "bad.pb:9: vote names project 'a' twice");
  ExpectError(head + "a;1;2\nVOTES\nvoter_id;vote\n",
              "bad.pb:6: project line has 3 cells, header has 2");
  ExpectError("META\nkey;value\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n",
              "bad.pb:1: META has no budget");
  ExpectError(head + "a;1\n", "bad.pb:1: no VOTES section");
  ExpectError(head + "\"a;1\n", "bad.pb:6: unterminated quoted cell");
  ExpectError("META\nkey;value\nbudget;1\nvote_type;scoring\nPROJECTS\nproject_id;cost\na;1\n"
              "VOTES\nvoter_id;vote\n1;a\n",
              "bad.pb:10: a scoring ballot needs points");
}

TEST(PabulibTest, BallotLimits) {
  auto e = ParsePabulib("META\nkey;value\nbudget;10\nmin_length;2\nmax_sum_cost;8\n"
                        "PROJECTS\nproject_id;cost\na;5\nb;4\nVOTES\nvoter_id;vote\n1;a\n2;a,b\n3;b\n",
                        "t.pb");
  ASSERT_TRUE(e.ok());
  auto limits = ReadBallotLimits(*e);
  ASSERT_TRUE(limits.ok());
  EXPECT_EQ(limits->min_length, 2);
  EXPECT_EQ(limits->max_sum_cost, 8);
  EXPECT_FALSE(limits->max_length.has_value());
  auto v = CountLimitViolations(*e, *limits);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], (std::pair<std::string, int64_t>{"min_length", 2}));
  EXPECT_EQ(v[1], (std::pair<std::string, int64_t>{"max_sum_cost", 1}));
}

TEST(PabulibTest, QuotedSectionNameIsData) {
  Election e;
  e.meta = {{"budget", "5"}};
  e.budget = 5;
  e.project_columns = {"project_id", "cost"};
  e.projects.push_back({"VOTES", 1, {}, {}, {}, {"", ""}});
  e.voter_columns = {"voter_id", "vote"};
  e.voters.push_back({"META", {}, {}, {"", ""}});
  auto r = ParsePabulib(WritePabulib(e), "x.pb");
  ASSERT_TRUE(r.ok()) << r.error().public_message;
  EXPECT_EQ(*r, e);
}

}  // namespace
}  // namespace communitise::pb
