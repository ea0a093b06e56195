#include "communitise/http/csrf.h"

#include <gtest/gtest.h>

namespace communitise::http {
namespace {

TEST(CsrfTest, TokenMatchesOnlyItsOwnCookie) {
  CsrfGuard guard;
  Request first;
  auto visitor = guard.ForRequest(first);
  EXPECT_TRUE(visitor.new_cookie);
  Response res;
  CsrfGuard::SetCookieIfNew(visitor, res);
  EXPECT_NE(std::string(res[bhttp::field::set_cookie]).find("HttpOnly"), std::string::npos);

  Request next;
  next.raw.set(bhttp::field::cookie, std::string(CsrfGuard::kCookieName) + "=" +
                                         visitor.cookie_value);
  auto again = guard.ForRequest(next);
  EXPECT_FALSE(again.new_cookie);
  EXPECT_EQ(again.token, visitor.token);
  EXPECT_TRUE(guard.Check(next, visitor.token));
  EXPECT_FALSE(guard.Check(next, std::string(64, '0')));
  EXPECT_FALSE(guard.Check(first, visitor.token));  // no cookie

  CsrfGuard other;  // another secret: tokens do not carry over
  EXPECT_FALSE(other.Check(next, visitor.token));
  EXPECT_TRUE(CsrfGuard::IsStateChanging(Method::post));
  EXPECT_FALSE(CsrfGuard::IsStateChanging(Method::get));
}

}  // namespace
}  // namespace communitise::http
