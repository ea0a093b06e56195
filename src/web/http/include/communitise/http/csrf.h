// CsrfGuard: signed double-submit tokens against cross-site request forgery.
//
// Every visitor gets a random, HttpOnly, SameSite=Lax cookie. The token that pages put in
// a hidden form field (and API clients send in the X-CSRF-Token header) is a keyed MAC of
// that cookie's value under a per-process secret, so another site can neither read nor
// forge it. State-changing requests (anything but GET/HEAD/OPTIONS) must carry a token
// that matches the request's cookie; the check is constant-time.
//
// The token does not depend on the sign-in session, so sign-up and sign-in forms are
// protected the same way as every other form.
//
// Thread safety: immutable after construction; safe for concurrent use.
#ifndef COMMUNITISE_HTTP_CSRF_H_
#define COMMUNITISE_HTTP_CSRF_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "communitise/http/message.h"

namespace communitise::http {

class CsrfGuard {
 public:
  static constexpr std::string_view kCookieName = "communitise_csrf";
  static constexpr std::string_view kHeaderName = "X-CSRF-Token";
  static constexpr std::string_view kFormField = "csrf_token";

  // A fresh random secret (tokens do not survive a restart; forms are re-rendered).
  CsrfGuard();
  // A fixed secret, for several servers behind one balancer. REQUIRES: 32 bytes.
  explicit CsrfGuard(std::string_view secret);

  struct Visitor {
    std::string cookie_value;  // the visitor's cookie value
    bool new_cookie = false;   // true when the response must set the cookie
    std::string token;         // the token for forms and the API
  };
  // The visitor's cookie (or a new one) and its token.
  Visitor ForRequest(const Request& req) const;
  // Adds Set-Cookie to `res` when the visitor's cookie is new.
  static void SetCookieIfNew(const Visitor& visitor, Response& res);

  // Does `token` (from a form field or the header) match the request's cookie?
  bool Check(const Request& req, std::string_view token) const;
  static bool IsStateChanging(Method method);

 private:
  std::string TokenFor(std::string_view cookie_value) const;
  std::array<unsigned char, 32> key_{};
};

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_CSRF_H_
