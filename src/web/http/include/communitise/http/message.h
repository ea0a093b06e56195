// Request and Response: the values an HTTP handler receives and returns.
//
// A Request wraps the Beast request as parsed by the Server, plus what the server and
// router learn about it: the decoded path, the query string, path parameters filled in by
// the Router, the matched route pattern (used as the metrics label) and the peer address.
// A Response is a Beast response with a string body; helpers below build common ones.
//
// Thread safety: plain values, owned by the connection that is serving them.
#ifndef COMMUNITISE_HTTP_MESSAGE_H_
#define COMMUNITISE_HTTP_MESSAGE_H_

#include <utility>  // before Asio/Beast: g++ 12 + Boost 1.74 need std::exchange declared

#include <boost/beast/http.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace communitise::http {

namespace bhttp = boost::beast::http;
using BeastRequest = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;
using Method = bhttp::verb;
using HttpStatus = bhttp::status;

// Beast's string_view (Boost's, on 1.74) as a std::string_view.
inline std::string_view Sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

struct Request {
  BeastRequest raw;
  std::string path;   // percent-decoded path without the query string
  std::string query;  // raw query string after '?', may be empty
  std::map<std::string, std::string> path_params;  // from the Router
  std::string route = "unmatched";                 // matched pattern, for metrics
  std::string remote;                               // peer address "ip:port"

  Method method() const { return raw.method(); }
  std::string_view body() const { return raw.body(); }
  // The header's value, or empty if absent.
  std::string_view Header(bhttp::field field) const;
  std::string_view Header(std::string_view name) const;
  // Path parameter by name; empty if the route has none of that name.
  const std::string& Param(const std::string& name) const;
  // The first value of a query parameter.
  std::optional<std::string> QueryParam(std::string_view name) const;
  // True when the client prefers JSON (path under /api/ or Accept: application/json).
  bool WantsJson() const;

  // Answering later. A handler whose answer waits on something slow that is not a
  // thread of its own (a ballot waiting for the group commit that stores it) calls
  // Defer(), returns any Response (it is ignored) and frees its worker thread; the Reply
  // must then be called exactly once, from any thread, with the real answer. The
  // request stays alive until then. Only when CanDefer() (the Server sets it up);
  // otherwise the handler answers before it returns.
  using Reply = std::function<void(Response)>;
  bool CanDefer() const { return static_cast<bool>(deferrer); }
  Reply Defer();  // REQUIRES: CanDefer(); at most once
  bool deferred() const { return deferred_; }
  std::function<Reply()> deferrer;  // set by the Server

  // Requests that ServerOptions::answers_inline picks run on the I/O thread that read
  // them. A handler there that finds it would have to block (a session not in memory)
  // calls RunOnWorker() and returns at once, without side effects; the server then runs
  // the handler again, from the start, on a worker thread.
  bool on_io_thread() const { return on_io_thread_; }
  void RunOnWorker() { wants_worker_ = true; }
  bool wants_worker() const { return wants_worker_; }

 private:
  friend class Session;
  bool deferred_ = false;
  bool on_io_thread_ = false;
  bool wants_worker_ = false;
};

// Splits "target" into a percent-decoded path and a raw query. Returns false when the
// target is not an origin-form path or decodes to something unsafe (NUL byte).
bool SplitTarget(std::string_view target, std::string* path, std::string* query);

// Decodes %XX escapes; when `plus_is_space`, '+' becomes ' ' (form encoding).
// Returns nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);
std::string PercentEncode(std::string_view in);
std::string HtmlEscape(std::string_view in);

Response MakeResponse(const Request& req, HttpStatus status, std::string content_type,
                      std::string body);
Response Redirect(const Request& req, std::string location,
                  HttpStatus status = HttpStatus::see_other);

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_MESSAGE_H_
