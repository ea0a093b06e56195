// Result<T> and Error: how every fallible operation in Communitise reports failure.
//
// No exceptions cross a module boundary. A function that can fail for reasons the
// caller must handle (bad input, missing row, permission) returns Result<T>; a
// programmer error (a broken invariant) is an assert, never reachable from user input.
//
// An Error carries a protocol-neutral code (mapped to HTTP status in one place, in
// src/web), a public message safe to show to the person who made the request, and an
// internal message for the log only (SQL text, file paths, library errors). Field-level
// problems with submitted input are listed in `fields` so a form can show each one next
// to its field (GOV.UK error summary pattern) and the JSON API can return them.
//
// Thread safety: plain values; safe to copy and move between threads.
#ifndef COMMUNITISE_CORE_RESULT_H_
#define COMMUNITISE_CORE_RESULT_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace communitise {

// Stored nowhere; free to reorder. Mapped to HTTP status by web::HttpStatusFor().
enum class ErrorCode {
  kInvalidArgument,   // the input is malformed or breaks a rule (HTTP 400)
  kUnauthenticated,   // no valid session (401 / redirect to sign-in)
  kForbidden,         // signed in but not allowed (403)
  kNotFound,          // no such thing (404)
  kConflict,          // valid input but the current state forbids it (409)
  kTooManyRequests,   // throttled (429)
  kUnavailable,       // a dependency (database, solver) is not available (503)
  kInternal,          // a bug or an unexpected failure (500)
};

std::string_view ErrorCodeName(ErrorCode code);

// One problem with one submitted field: `field` is the form/JSON field name.
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string public_message;    // shown to the client
  std::string internal_message;  // written to the log only; may be empty
  std::vector<FieldError> fields;

  static Error InvalidArgument(std::string message, std::vector<FieldError> fields = {});
  static Error Field(std::string field, std::string message);  // one field-level error
  static Error Unauthenticated(std::string message = "You need to sign in");
  static Error Forbidden(std::string message = "You are not allowed to do that");
  static Error NotFound(std::string message = "Not found");
  static Error Conflict(std::string message);
  static Error TooManyRequests(std::string message);
  static Error Unavailable(std::string message, std::string internal = {});
  static Error Internal(std::string internal);

  // "code: public_message" (and the internal message, for logs).
  std::string ToString() const;
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit on purpose
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  // REQUIRES: !ok()
  const Error& error() const& { assert(error_); return *error_; }
  Error&& error() && { assert(error_); return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

// Result<T>: a T or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  Result(Status status) : v_(std::move(status).error()) {}  // REQUIRES: !status.ok()

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const& { assert(!ok()); return std::get<Error>(v_); }
  Error&& error() && { assert(!ok()); return std::get<Error>(std::move(v_)); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace communitise

// Propagate an error from an expression returning Status or Result<T>.
#define COMMUNITISE_CONCAT_INNER_(a, b) a##b
#define COMMUNITISE_CONCAT_(a, b) COMMUNITISE_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    auto _status_or = (expr);                         \
    if (!_status_or.ok()) return std::move(_status_or).error(); \
  } while (0)

// ASSIGN_OR_RETURN(auto x, Foo()) — declares x from a Result or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(COMMUNITISE_CONCAT_(_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()

#endif  // COMMUNITISE_CORE_RESULT_H_
