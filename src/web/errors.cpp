#include "communitise/web/errors.h"

#include <spdlog/spdlog.h>

namespace communitise::web {

http::HttpStatus HttpStatusFor(ErrorCode code) {
  using S = http::HttpStatus;
  switch (code) {
    case ErrorCode::kInvalidArgument: return S::bad_request;
    case ErrorCode::kUnauthenticated: return S::unauthorized;
    case ErrorCode::kForbidden: return S::forbidden;
    case ErrorCode::kNotFound: return S::not_found;
    case ErrorCode::kConflict: return S::conflict;
    case ErrorCode::kTooManyRequests: return S::too_many_requests;
    case ErrorCode::kUnavailable: return S::service_unavailable;
    case ErrorCode::kInternal: return S::internal_server_error;
  }
  return S::internal_server_error;
}

std::string_view ApiErrorCode(ErrorCode code) { return ErrorCodeName(code); }

nlohmann::json ErrorJson(const Error& error) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : error.fields) fields.push_back({{"field", f.field}, {"message", f.message}});
  std::string message = error.public_message;
  if (message.empty()) {
    message = error.code == ErrorCode::kInternal ? "Sorry, something went wrong"
                                                 : std::string(ApiErrorCode(error.code));
  }
  return {{"error", {{"code", ApiErrorCode(error.code)}, {"message", message}, {"fields", fields}}}};
}

void LogError(const http::Request& req, const Error& error) {
  if (error.code == ErrorCode::kInternal || error.code == ErrorCode::kUnavailable) {
    spdlog::error("{} {}: {}", http::Sv(req.raw.method_string()), req.path, error.ToString());
  } else if (!error.internal_message.empty()) {
    spdlog::debug("{} {}: {}", http::Sv(req.raw.method_string()), req.path, error.ToString());
  }
}

}  // namespace communitise::web
