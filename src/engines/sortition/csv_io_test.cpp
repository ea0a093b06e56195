#include "communitise/sortition/csv_io.h"

#include <gtest/gtest.h>

namespace communitise::sortition {
namespace {

constexpr char kQuotas[] =
    "category,feature,min,max\n"
    "gender,female,1,2\n"
    "gender,male,1,2\n"
    "age,young,0,3\n"
    "age,old,0,3\n";

Quotas ReadQuotas() {
  auto q = ReadQuotasCsv(kQuotas, "q.csv");
  EXPECT_TRUE(q.ok());
  return *q;
}

std::string ErrorOf(const Status& s) { return s.ok() ? "" : s.error().public_message; }

TEST(QuotasCsvTest, BothFormats) {
  Quotas a = ReadQuotas();
  ASSERT_EQ(a.categories.size(), 2u);
  EXPECT_EQ(a.categories[0].values[1].name, "male");
  EXPECT_EQ(a.categories[1].values[0].max, 3);
  auto b = ReadQuotasCsv(
      "feature,value,min,max,min_flex,max_flex\nGender,Female,11,12,0,14\n", "f.csv");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->categories[0].values[0].min_flex, 0);
  EXPECT_EQ(b->categories[0].values[0].max_flex, 14);
  auto again = ReadQuotasCsv(WriteQuotasCsv(a), "w.csv");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, a);
}

TEST(QuotasCsvTest, MinAboveMaxNamesTheLine) {
  EXPECT_EQ(ErrorOf(ReadQuotasCsv("category,feature,min,max\ng,f,1,2\ng,m,3,2\n", "q.csv")
                        .status()),
            "q.csv:3: g/m: min 3 > max 2");
  EXPECT_EQ(ErrorOf(ReadQuotasCsv("category,feature,min,max\ng,f,x,2\n", "q.csv").status()),
            "q.csv:2: min 'x' is not a whole number >= 0");
}

TEST(RespondentsCsvTest, ReadsIdsFeaturesAndHouseholds) {
  RespondentsOptions o;
  o.household_columns = {"street", "postcode"};
  auto r = ReadRespondentsCsv(
      "ID,gender,age,street,postcode,email\n"
      "a1,female,young,1 High St,E1,x@y\n"
      "a2,male,old,1 High St,e1,\n"
      "a3,male,young,,,\n",
      "p.csv", ReadQuotas(), o);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->people.size(), 3u);
  EXPECT_EQ(r->people[1].id, "a2");
  EXPECT_EQ(r->people[1].values, (std::vector<int>{1, 1}));
  EXPECT_EQ(r->people[0].household, r->people[1].household);  // postcode case ignored
  EXPECT_TRUE(r->people[2].household.empty());
  EXPECT_EQ(r->people[2].line, 4);
}

TEST(RespondentsCsvTest, WithoutIdColumnRowNumbersCountFromOne) {
  auto r = ReadRespondentsCsv("gender,age\nfemale,old\nmale,young\n", "p.csv", ReadQuotas());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->people[0].id, "1");
  EXPECT_EQ(r->people[1].id, "2");
}

TEST(RespondentsCsvTest, BadFilesNameFileAndLine) {
  const Quotas q = ReadQuotas();
  EXPECT_EQ(ErrorOf(ReadRespondentsCsv("id,gender,age\n1,female,old\n2,other,old\n", "p.csv", q)
                        .status()),
            "p.csv:3: unknown value 'other' for 'gender' (respondent '2'); the quotas name "
            "no such value");
  EXPECT_EQ(ErrorOf(ReadRespondentsCsv("id,gender,age\n1,female,\n", "p.csv", q).status()),
            "p.csv:2: respondent '1' has no value for 'age'");
  EXPECT_EQ(ErrorOf(ReadRespondentsCsv("id,gender\n1,female\n", "p.csv", q).status()),
            "p.csv:1: no column for the quota category 'age'");
  EXPECT_EQ(ErrorOf(ReadRespondentsCsv("id,gender,age\nx,male,old\n\nx,female,old\n", "p.csv", q)
                        .status()),
            "p.csv:4: duplicate id 'x' (first on line 2)");
  EXPECT_EQ(ErrorOf(ReadRespondentsCsv("id,gender,age\nx,male\n", "p.csv", q).status()),
            "p.csv:2: expected 3 fields, found 2");
}

TEST(RespondentsCsvTest, UnknownValuesCanBeExcluded) {
  RespondentsOptions o;
  o.unknown_values = UnknownValues::kExclude;
  auto r = ReadRespondentsCsv("id,gender,age\n1,female,old\n2,other,old\n", "p.csv",
                              ReadQuotas(), o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->people.size(), 1u);
  ASSERT_EQ(r->excluded.size(), 1u);
  EXPECT_EQ(r->excluded[0], "2: gender 'other' has no quota");
}

TEST(RespondentsCsvTest, WriteThenReadRoundTrips) {
  const Quotas q = ReadQuotas();
  auto r = ReadRespondentsCsv("id,gender,age\n\"a,1\",female,old\nb,male,young\n", "p.csv", q);
  ASSERT_TRUE(r.ok());
  auto again = ReadRespondentsCsv(WriteRespondentsCsv(q, r->people), "w.csv", q);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->people[0].id, "a,1");
  EXPECT_EQ(again->people[1].values, r->people[1].values);
}

TEST(JsonTest, RoundTripAndFieldErrors) {
  Problem p;
  p.quotas = ReadQuotas();
  p.panel_size = 2;
  p.people = {{"a", {0, 1}, "h", 0}, {"b", {1, 0}, "", 0}, {"c", {1, 1}, "", 0}};
  auto back = ProblemFromJson(ProblemToJson(p));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->quotas, p.quotas);
  EXPECT_EQ(back->people, p.people);
  auto bad = ProblemFromJson(R"({"panel_size": 2, "categories": [], "people": [{"id": 1}]})");
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "people[0]");
  EXPECT_FALSE(ProblemFromJson("{not json").ok());
}

}  // namespace
}  // namespace communitise::sortition
