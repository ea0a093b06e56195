#include "communitise/core/csv.h"

#include <gtest/gtest.h>

#include "communitise/core/text.h"

namespace communitise {
namespace {

std::string ErrorOf(const Status& s) { return s.ok() ? "" : s.error().public_message; }

TEST(CsvTest, QuotesLineBreaksBlankLinesAndLineNumbers) {
  auto r = ParseCsv("\xEF\xBB\xBF" "a, b \r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\n,,\nlast,1", "f.csv");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*r)[1].fields[0], "x, \"y\"");
  EXPECT_EQ((*r)[1].fields[1], "two\nlines");
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[2].line, 6);
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"last", "1"}));
}

TEST(CsvTest, MalformedQuotingNamesTheLine) {
  EXPECT_EQ(ErrorOf(ParseCsv("a\n\"open", "f.csv").status()),
            "f.csv:2: a quoted field is never closed");
  EXPECT_EQ(ErrorOf(ParseCsv("a\nb\nx\"y\"", "f.csv").status()),
            "f.csv:3: a quote inside an unquoted field");
  EXPECT_EQ(ErrorOf(ParseCsv("\"a\"b", "f.csv").status()), "f.csv:1: text after a closing quote");
}

TEST(CsvTest, FieldsRoundTrip) {
  for (std::string v : {"plain", "a,b", "say \"hi\"", "two\nlines", " edge ", ""}) {
    auto r = ParseCsv(CsvField(v) + ",end\n", "f.csv");
    ASSERT_TRUE(r.ok()) << v;
    ASSERT_EQ(r->size(), 1u) << v;
    EXPECT_EQ((*r)[0].fields[0], v);
  }
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
}

TEST(TextTest, TrimLowerAndUtf8) {
  EXPECT_EQ(Trim("  a b\t\n"), "a b");
  EXPECT_EQ(AsciiLower("PCDS WD24CD Ä"), "pcds wd24cd Ä");
  EXPECT_EQ(CharCount("Łódź"), 4u);
  EXPECT_TRUE(ValidUtf8("Łódź"));
  EXPECT_FALSE(ValidUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(ValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(ValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(ValidUtf8("\xE2\x82"));          // cut short
}

TEST(TextTest, LinesDropLineEndsAndKeepEmptyLinesInside) {
  EXPECT_TRUE(Lines("").empty());
  EXPECT_EQ(Lines("a"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Lines("a\r\n\nb\n"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Lines("\r\n"), (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace communitise
