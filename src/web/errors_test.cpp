#include "communitise/web/errors.h"

#include <gtest/gtest.h>

namespace communitise::web {
namespace {

TEST(ErrorsTest, MapsEveryCodeToItsStatus) {
  using S = http::HttpStatus;
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), S::bad_request);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), S::unauthorized);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kForbidden), S::forbidden);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), S::not_found);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), S::conflict);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kTooManyRequests), S::too_many_requests);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), S::service_unavailable);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), S::internal_server_error);
}

TEST(ErrorsTest, JsonCarriesPublicMessageAndFieldsButNotInternals) {
  Error e = Error::InvalidArgument("Check the form", {{"email", "Enter an email address"}});
  e.internal_message = "SELECT secret FROM users";
  auto j = ErrorJson(e);
  EXPECT_EQ(j["error"]["code"], "invalid_argument");
  EXPECT_EQ(j["error"]["message"], "Check the form");
  ASSERT_EQ(j["error"]["fields"].size(), 1u);
  EXPECT_EQ(j["error"]["fields"][0]["field"], "email");
  EXPECT_EQ(j.dump().find("SELECT"), std::string::npos);
  auto internal = ErrorJson(Error::Internal("segfault in libfoo"));
  EXPECT_EQ(internal["error"]["code"], "internal");
  EXPECT_FALSE(internal["error"]["message"].get<std::string>().empty());
  EXPECT_EQ(internal.dump().find("libfoo"), std::string::npos);
}

}  // namespace
}  // namespace communitise::web
