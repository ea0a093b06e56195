// Parsers for what browsers send: urlencoded forms, multipart/form-data uploads, cookies.
//
// All parsers are pure functions over the request text; they never throw. A malformed
// body yields an Error with code kInvalidArgument and a public message naming the problem.
//
// Thread safety: plain values.
#ifndef COMMUNITISE_HTTP_FORMS_H_
#define COMMUNITISE_HTTP_FORMS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "communitise/core/result.h"

namespace communitise::http {

// Ordered name/value pairs; a name may repeat (checkboxes).
class Form {
 public:
  void Add(std::string name, std::string value);
  // First value for `name`, or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  // First value for `name`, or empty.
  std::string GetOr(std::string_view name, std::string fallback = {}) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const {
    return entries_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// application/x-www-form-urlencoded (also used for query strings).
Result<Form> ParseUrlEncoded(std::string_view body);

struct UploadedFile {
  std::string field;
  std::string filename;
  std::string content_type;
  std::string data;
};

struct MultipartForm {
  Form fields;  // parts without a filename
  std::vector<UploadedFile> files;
};

// multipart/form-data. `content_type` is the request's Content-Type header, which holds
// the boundary.
Result<MultipartForm> ParseMultipart(std::string_view content_type, std::string_view body);

// Cookie request header "a=1; b=2" -> pairs; malformed pieces are skipped (browsers
// send what they were given, and one bad cookie must not lock a person out).
std::vector<std::pair<std::string, std::string>> ParseCookies(std::string_view header);
std::optional<std::string> FindCookie(std::string_view header, std::string_view name);

struct CookieOptions {
  int max_age_seconds = -1;  // -1: session cookie; 0: delete
  bool http_only = true;
  bool secure = false;  // set when served over HTTPS (behind a proxy)
  std::string same_site = "Lax";
  std::string path = "/";
};
// Value for a Set-Cookie header. REQUIRES: name and value are cookie-safe tokens.
std::string SetCookieValue(std::string_view name, std::string_view value,
                           const CookieOptions& options = {});

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_FORMS_H_
