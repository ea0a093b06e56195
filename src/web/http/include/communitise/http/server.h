// Server: an asynchronous HTTP/1.1 server on Boost.Beast/Asio.
//
// One io_context run by a few I/O threads (default: one per core) does all socket work.
// Each connection reads a request with limits (header bytes, body bytes) and deadlines
// (the header must arrive within `header_timeout`, the body within `body_timeout`, an
// idle keep-alive connection is closed after `idle_timeout`), so slow or oversized
// clients are cut off without holding a thread.
//
// Handlers run on a separate pool of worker threads (`workers`), because they block on
// the database; the I/O threads never wait for a handler, so reading, writing and the
// requests `answers_inline` picks (cheap in-memory answers such as static files) keep
// flowing while every worker is busy. Requests beyond the workers wait in order. A
// handler that would only wait (for a group commit) defers its answer instead
// (Request::Defer), so its worker goes on to the next request.
//
// Every response gets the configured default headers (security headers), is counted in
// Metrics and written to the access log (spdlog logger "access").
//
// Graceful stop (Stop(), or SIGTERM/SIGINT when `handle_signals`): the listener closes,
// idle connections close, requests in flight finish and their responses are written with
// "Connection: close"; then Run() returns. After `stop_timeout` anything left is dropped.
//
// Errors: Start() returns kUnavailable when the address cannot be bound.
// Thread safety: Start/Run from one thread; Stop from any thread or a signal.
#ifndef COMMUNITISE_HTTP_SERVER_H_
#define COMMUNITISE_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/http/message.h"
#include "communitise/http/metrics.h"
#include "communitise/http/router.h"

namespace communitise::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: pick a free port (see Server::port())
  // I/O threads; 0: one per two cores, at least one. They share one event loop, and
  // more of them contend for it: on two cores, two I/O threads spent about twice the
  // CPU time per static file that one did. The database and the ballot writer need
  // the other cores.
  unsigned threads = 0;
  unsigned workers = 0;  // handler threads; 0: 8 per core, at least 16
  // Requests for which this returns true are handled on the I/O thread that read them.
  // Only for handlers that never block (in-memory answers). Optional.
  std::function<bool(const Request&)> answers_inline;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 2 * 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds stop_timeout{20'000};
  bool handle_signals = false;  // stop gracefully on SIGTERM/SIGINT
  bool access_log = true;
  // Headers added to every response unless the handler set them.
  std::vector<std::pair<std::string, std::string>> default_headers;
  // Renders a bare error (413, 431, 400 for unparseable requests, 500). Optional.
  std::function<Response(Request&, HttpStatus)> error_renderer;
};

class Server {
 public:
  // `handler` serves every parsed request. `metrics` may be shared with a /metrics
  // handler; it must outlive the server.
  Server(ServerOptions options, Handler handler, Metrics* metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. REQUIRES: called once, before Run.
  communitise::Status Start();
  // Serves until stopped; returns after the graceful stop completes.
  void Run();
  // Begins a graceful stop. Safe to call many times and from any thread.
  void Stop();

  uint16_t port() const;
  const ServerOptions& options() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_SERVER_H_
