#include "communitise/http/forms.h"

#include <gtest/gtest.h>

namespace communitise::http {
namespace {

TEST(FormsTest, ParsesUrlEncodedWithRepeatedNames) {
  auto form = ParseUrlEncoded("name=Green+Spaces&methods=a&methods=b&empty=&flag&x=%C2%A3");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Get("name"), "Green Spaces");
  EXPECT_EQ(form->GetAll("methods"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(form->Get("empty"), "");
  EXPECT_EQ(form->Get("flag"), "");
  EXPECT_EQ(form->Get("x"), "\xC2\xA3");
  EXPECT_FALSE(form->Has("missing"));
}

TEST(FormsTest, RejectsBadEscapes) {
  auto form = ParseUrlEncoded("a=%4");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::kInvalidArgument);
}

TEST(FormsTest, ParsesMultipartWithFileAndFields) {
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
      "abc\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"wards.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n"
      "pcds,wd24cd\r\nDH1 3LE,E05008918\r\n"
      "--XyZ--\r\n";
  auto form = ParseMultipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(form.ok()) << form.error().public_message;
  EXPECT_EQ(form->fields.Get("csrf_token"), "abc");
  ASSERT_EQ(form->files.size(), 1u);
  EXPECT_EQ(form->files[0].field, "file");
  EXPECT_EQ(form->files[0].filename, "wards.csv");
  EXPECT_EQ(form->files[0].content_type, "text/csv");
  EXPECT_EQ(form->files[0].data, "pcds,wd24cd\r\nDH1 3LE,E05008918");
}

TEST(FormsTest, RejectsTruncatedMultipart) {
  auto no_boundary = ParseMultipart("multipart/form-data", "x");
  EXPECT_FALSE(no_boundary.ok());
  auto truncated = ParseMultipart("multipart/form-data; boundary=b",
                                  "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxx");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().public_message.find("ends too soon"), std::string::npos);
}

TEST(FormsTest, ParsesCookiesAndBuildsSetCookie) {
  auto cookies = ParseCookies("a=1; b=\"two\";bad; c = 3");
  ASSERT_EQ(cookies.size(), 3u);
  EXPECT_EQ(cookies[1].second, "two");
  EXPECT_EQ(FindCookie("a=1; c = 3", "c"), "3");
  EXPECT_FALSE(FindCookie("a=1", "b").has_value());
  EXPECT_EQ(SetCookieValue("s", "v", {.max_age_seconds = 60}),
            "s=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace communitise::http
