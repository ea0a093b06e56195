#include <gtest/gtest.h>

#include "communitise/app/public_bodies.h"

namespace communitise::app {
namespace {

TEST(PostcodeTest, Normalises) {
  EXPECT_EQ(NormalisePostcode("dh1 3le"), "DH1 3LE");
  EXPECT_EQ(NormalisePostcode("DH13LE"), "DH1 3LE");
  EXPECT_EQ(NormalisePostcode("  sw1a   1aa "), "SW1A 1AA");
  EXPECT_EQ(NormalisePostcode("IG117DA"), "IG11 7DA");
  EXPECT_EQ(NormalisePostcode("M1 1AE"), "M1 1AE");
  EXPECT_EQ(NormalisePostcode("EC1A1BB"), "EC1A 1BB");
}

TEST(PostcodeTest, RejectsWhatIsNotAPostcode) {
  EXPECT_EQ(NormalisePostcode(""), "");
  EXPECT_EQ(NormalisePostcode("DH1"), "");
  EXPECT_EQ(NormalisePostcode("12345"), "");
  EXPECT_EQ(NormalisePostcode("DH1 3L"), "");
  EXPECT_EQ(NormalisePostcode("DH1-3LE"), "");
  EXPECT_EQ(NormalisePostcode("ABCDE 1AA"), "");
  EXPECT_EQ(NormalisePostcode("DHX 3LE"), "");  // outward code needs a digit
}

TEST(PostcodeCsvTest, ReadsOnsStyleColumns) {
  const std::string csv =
      "pcd,pcds,dointr,doterm,wd23cd,wd24cd,wd24nm\r\n"
      "DH1 3LE,dh1 3le,199906,,E05000001,E05008918,\"Durham, South\"\r\n"
      "DH1 3LF,DH1 3LF,199906,,E05000001,E05008918,\"Durham, South\"\r\n"
      "DH1 9ZZ,DH1 9ZZ,199906,201001,E05000001,E05008918,\"Durham, South\"\r\n"
      "DH2 1AA,DH2 1AA,199906,,E05000002,E05008919,Pelton\r\n";
  auto rows = ParsePostcodeAreaCsv(csv, "wards.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 3u);  // the terminated postcode is skipped
  EXPECT_EQ((*rows)[0].postcode, "DH1 3LE");
  EXPECT_EQ((*rows)[0].area_code, "E05008918");  // newest ward column wins
  EXPECT_EQ((*rows)[0].area_name, "Durham, South");
  EXPECT_EQ((*rows)[2].area_name, "Pelton");
  EXPECT_EQ((*rows)[2].line, 5);
}

TEST(PostcodeCsvTest, OswardWithoutNameUsesTheCode) {
  auto rows = ParsePostcodeAreaCsv("postcode,osward\nDH1 3LE,E05008918\n", "f.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ((*rows)[0].area_name, "E05008918");
}

void ExpectError(const std::string& csv, const std::string& expected_prefix) {
  auto rows = ParsePostcodeAreaCsv(csv, "wards.csv");
  ASSERT_FALSE(rows.ok()) << "accepted: " << csv;
  EXPECT_EQ(rows.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(rows.error().public_message.rfind(expected_prefix, 0), 0u)
      << rows.error().public_message;
  ASSERT_EQ(rows.error().fields.size(), 1u);
  EXPECT_EQ(rows.error().fields[0].field, "file");
}

TEST(PostcodeCsvTest, ErrorsNameFileAndLine) {
  ExpectError("", "wards.csv:1: the file is empty");
  ExpectError("pcds,wd24nm\nDH1 3LE,Durham\n", "wards.csv:1: no ward code column");
  ExpectError("ward,wd24cd\nx,E05000001\n", "wards.csv:1: no postcode column");
  ExpectError("pcds,wd24cd\n", "wards.csv:1: no postcode rows");
  ExpectError("pcds,wd24cd\nDH1 3LE,E05000001\nNOT A POSTCODE,E05000001\n",
              "wards.csv:3: \"NOT A POSTCODE\" is not a valid postcode");
  ExpectError("pcds,wd24cd\nDH1 3LE,E05000001,extra\n", "wards.csv:2: expected 2 fields, found 3");
  ExpectError("pcds,wd24cd\nDH1 3LE,\n", "wards.csv:2: the ward code is empty");
  ExpectError("pcds,wd24cd\nDH1 3LE,\"E0500\n0001\n", "wards.csv:2: a quoted field is never closed");
  ExpectError("pcds,wd24cd\nDH1 3LE,E05000001\ndh13le,E05000002\n",
              "wards.csv:3: DH1 3LE is already in ward E05000001 (line 2)");
  ExpectError("pcds,wd24cd,wd24nm\nDH1 3LE,E1,One\nDH1 3LF,E1,Uno\n",
              "wards.csv:3: ward E1 is named \"One\"");
}

TEST(PostcodeCsvTest, LineNumbersCountNewlinesInsideQuotes) {
  auto rows = ParsePostcodeAreaCsv("pcds,wd24cd,wd24nm\nDH1 3LE,E1,\"Two\nlines\"\nBAD,E1,x\n",
                                   "f.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().public_message.rfind("f.csv:4:", 0), 0u) << rows.error().public_message;
}

}  // namespace
}  // namespace communitise::app
