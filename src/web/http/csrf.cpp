#include "communitise/http/csrf.h"

#include <sodium.h>

#include <cassert>
#include <cstring>

#include "communitise/http/forms.h"

namespace communitise::http {
namespace {

std::string ToHex(const unsigned char* data, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

bool IsHexToken(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

CsrfGuard::CsrfGuard() {
  [[maybe_unused]] int rc = sodium_init();
  assert(rc >= 0);
  randombytes_buf(key_.data(), key_.size());
}

CsrfGuard::CsrfGuard(std::string_view secret) {
  [[maybe_unused]] int rc = sodium_init();
  assert(rc >= 0 && secret.size() == key_.size());
  std::memcpy(key_.data(), secret.data(), key_.size());
}

std::string CsrfGuard::TokenFor(std::string_view cookie_value) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(cookie_value.data()),
                         cookie_value.size(), key_.data());
  return ToHex(mac, sizeof mac);
}

CsrfGuard::Visitor CsrfGuard::ForRequest(const Request& req) const {
  Visitor v;
  auto cookie = FindCookie(req.Header(bhttp::field::cookie), kCookieName);
  if (cookie && IsHexToken(*cookie)) {
    v.cookie_value = *cookie;
  } else {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    v.cookie_value = ToHex(raw, sizeof raw);
    v.new_cookie = true;
  }
  v.token = TokenFor(v.cookie_value);
  return v;
}

void CsrfGuard::SetCookieIfNew(const Visitor& visitor, Response& res) {
  if (!visitor.new_cookie) return;
  res.insert(bhttp::field::set_cookie, SetCookieValue(kCookieName, visitor.cookie_value));
}

bool CsrfGuard::Check(const Request& req, std::string_view token) const {
  auto cookie = FindCookie(req.Header(bhttp::field::cookie), kCookieName);
  if (!cookie || !IsHexToken(*cookie) || token.size() != 64) return false;
  std::string expected = TokenFor(*cookie);
  return sodium_memcmp(expected.data(), token.data(), expected.size()) == 0;
}

bool CsrfGuard::IsStateChanging(Method method) {
  return !(method == Method::get || method == Method::head || method == Method::options);
}

}  // namespace communitise::http
