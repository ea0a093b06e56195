// The one place where protocol-neutral error codes become HTTP statuses, and where an
// Error becomes the JSON error body of the API:
//   { "error": { "code": "invalid_argument", "message": "...",
//                "fields": [ { "field": "email", "message": "..." } ] } }
// Only the public message reaches the client; the internal message goes to the log.
//
// Thread safety: pure functions.
#ifndef COMMUNITISE_WEB_ERRORS_H_
#define COMMUNITISE_WEB_ERRORS_H_

#include <nlohmann/json.hpp>

#include "communitise/core/result.h"
#include "communitise/http/message.h"

namespace communitise::web {

http::HttpStatus HttpStatusFor(ErrorCode code);
// "invalid_argument", "forbidden", … (stable names used by API clients).
std::string_view ApiErrorCode(ErrorCode code);
nlohmann::json ErrorJson(const Error& error);
// Logs the error (internal message included) at a level fitting its code.
void LogError(const http::Request& req, const Error& error);

}  // namespace communitise::web

#endif  // COMMUNITISE_WEB_ERRORS_H_
