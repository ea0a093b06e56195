#include "communitise/core/result.h"

namespace communitise {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kTooManyRequests: return "too_many_requests";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

Error Error::InvalidArgument(std::string message, std::vector<FieldError> fields) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), {}, std::move(fields)};
}
Error Error::Field(std::string field, std::string message) {
  std::string summary = message;
  return Error{ErrorCode::kInvalidArgument, std::move(summary), {},
               {FieldError{std::move(field), std::move(message)}}};
}
Error Error::Unauthenticated(std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), {}, {}};
}
Error Error::Forbidden(std::string message) {
  return Error{ErrorCode::kForbidden, std::move(message), {}, {}};
}
Error Error::NotFound(std::string message) {
  return Error{ErrorCode::kNotFound, std::move(message), {}, {}};
}
Error Error::Conflict(std::string message) {
  return Error{ErrorCode::kConflict, std::move(message), {}, {}};
}
Error Error::TooManyRequests(std::string message) {
  return Error{ErrorCode::kTooManyRequests, std::move(message), {}, {}};
}
Error Error::Unavailable(std::string message, std::string internal) {
  return Error{ErrorCode::kUnavailable, std::move(message), std::move(internal), {}};
}
Error Error::Internal(std::string internal) {
  return Error{ErrorCode::kInternal, "Something went wrong on our side", std::move(internal), {}};
}

std::string Error::ToString() const {
  std::string s(ErrorCodeName(code));
  s += ": ";
  s += public_message;
  for (const auto& f : fields) {
    s += "; ";
    s += f.field;
    s += ": ";
    s += f.message;
  }
  if (!internal_message.empty()) {
    s += " [";
    s += internal_message;
    s += "]";
  }
  return s;
}

}  // namespace communitise
