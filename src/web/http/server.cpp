#include "communitise/http/server.h"

#include <utility>  // before Asio: see message.h

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace communitise::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class Session;

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(ServerOptions o, Handler h, Metrics* m)
      : options(std::move(o)),
        handler(std::move(h)),
        metrics(m),
        workers(WorkerCount(options.workers)),
        acceptor(asio::make_strand(ioc)),
        signals(ioc),
        stop_deadline(ioc) {}

  static std::size_t WorkerCount(unsigned configured) {
    if (configured > 0) return configured;
    return std::max(16u, 8 * std::max(1u, std::thread::hardware_concurrency()));
  }

  void Accept();
  void BeginStop();
  void WatchStop(std::chrono::steady_clock::time_point deadline);
  Response ErrorResponse(Request& req, HttpStatus status);

  ServerOptions options;
  Handler handler;
  Metrics* metrics;
  asio::io_context ioc;
  asio::thread_pool workers;  // runs handlers; joined by ~Server before Impl can go
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer stop_deadline;
  uint16_t port = 0;
  std::atomic<bool> stopping{false};

  std::mutex mu;
  uint64_t next_session_id = 0;                                  // GUARDED_BY(mu)
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions;  // GUARDED_BY(mu)
  std::shared_ptr<spdlog::logger> access_log;
};

namespace {

std::string PeerOf(const tcp::socket& socket) {
  beast::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "?";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Server::Impl> server, uint64_t id)
      : stream_(std::move(socket)), server_(std::move(server)), id_(id) {
    remote_ = PeerOf(stream_.socket());
  }

  ~Session() {
    std::lock_guard lock(server_->mu);
    server_->sessions.erase(id_);
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // Called on this session's strand when the server is stopping.
  void OnStop() {
    if (!busy_) Close();
  }

  beast::tcp_stream::executor_type executor() { return stream_.get_executor(); }

 private:
  void ReadHeader() {
    if (server_->stopping) return Close();
    const auto& o = server_->options;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(o.max_header_bytes));
    parser_->body_limit(o.max_body_bytes);
    stream_.expires_after(requests_ == 0 ? o.header_timeout : o.idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    stream_.expires_after(server_->options.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      if (ec == beast::error::timeout) {
        SPDLOG_LOGGER_INFO(server_->access_log, "{} timed out reading a request", remote_);
      }
      return Close();
    }
    HttpStatus status = HttpStatus::bad_request;
    if (ec == bhttp::error::body_limit) status = HttpStatus::payload_too_large;
    if (ec == bhttp::error::header_limit) status = HttpStatus::request_header_fields_too_large;
    Request req;
    req.raw.version(11);
    req.remote = remote_;
    req.route = "invalid";
    if (parser_ && parser_->is_header_done()) {
      req.raw.base() = parser_->get().base();
      SplitTarget(Sv(req.raw.target()), &req.path, &req.query);
    }
    server_->metrics->RequestStarted();
    auto start = std::chrono::steady_clock::now();
    Response res = server_->ErrorResponse(req, status);
    res.keep_alive(false);
    Send(std::move(req), std::move(res), start);
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    stream_.expires_never();
    auto start = std::chrono::steady_clock::now();
    server_->metrics->RequestStarted();
    Request req;
    req.raw = parser_->release();
    req.remote = remote_;
    if (!SplitTarget(Sv(req.raw.target()), &req.path, &req.query)) {
      req.route = "invalid";
      Response res = server_->ErrorResponse(req, HttpStatus::bad_request);
      return Send(std::move(req), std::move(res), start);
    }
    auto request = std::make_shared<Request>(std::move(req));
    request->deferrer = [self = shared_from_this(), weak = std::weak_ptr<Request>(request), start] {
      return Request::Reply([self, request = weak.lock(), start](Response res) {
        auto answer = std::make_shared<Response>(std::move(res));
        asio::post(self->stream_.get_executor(), [self, request, answer, start] {
          self->Send(std::move(*request), std::move(*answer), start);
        });
      });
    };
    if (server_->options.answers_inline && server_->options.answers_inline(*request)) {
      request->on_io_thread_ = true;
      Response res = Handle(*request);
      if (request->deferred()) return;
      if (!request->wants_worker_) return Send(std::move(*request), std::move(res), start);
      request->on_io_thread_ = request->wants_worker_ = false;  // again, on a worker
    }
    // Off the I/O thread; the answer comes back to this connection's strand, now or,
    // when the handler deferred it, whenever its Reply is called.
    asio::post(server_->workers, [self = shared_from_this(), request, start] {
      auto res = std::make_shared<Response>(self->Handle(*request));
      if (request->deferred()) return;
      asio::post(self->stream_.get_executor(), [self, request, res, start] {
        self->Send(std::move(*request), std::move(*res), start);
      });
    });
  }

  Response Handle(Request& req) {
    try {
      return server_->handler(req);
    } catch (const std::exception& e) {
      spdlog::error("handler for {} {} threw: {}", std::string(req.raw.method_string()),
                    req.path, e.what());
      return server_->ErrorResponse(req, HttpStatus::internal_server_error);
    }
  }

  void Send(Request req, Response res, std::chrono::steady_clock::time_point start) {
    for (const auto& [name, value] : server_->options.default_headers) {
      if (res.find(name) == res.end()) res.set(name, value);
    }
    res.version(req.raw.version() == 10 ? 10 : 11);
    if (server_->stopping) res.keep_alive(false);
    if (res.result() != HttpStatus::not_modified) {
      if (req.method() == Method::head) {
        auto n = res.body().size();
        res.body().clear();
        res.content_length(n);
      } else {
        res.prepare_payload();
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    unsigned status = res.result_int();
    server_->metrics->RequestFinished(req.route, Sv(req.raw.method_string()),
                                      status, seconds);
    if (server_->options.access_log) {
      SPDLOG_LOGGER_INFO(server_->access_log, "{} \"{} {}\" {} {} {:.1f}ms", remote_,
                         Sv(req.raw.method_string()), req.path, status,
                         res.body().size(), seconds * 1000);
    }
    ++requests_;
    response_ = std::make_shared<Response>(std::move(res));
    stream_.expires_after(server_->options.body_timeout);
    bhttp::async_write(stream_, *response_,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this(),
                                                 response_->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, std::size_t) {
    busy_ = false;
    response_.reset();
    if (ec || close || server_->stopping) return Close();
    ReadHeader();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<Response> response_;
  std::shared_ptr<Server::Impl> server_;
  const uint64_t id_;
  std::string remote_;
  bool busy_ = false;
  uint64_t requests_ = 0;
};

Response Server::Impl::ErrorResponse(Request& req, HttpStatus status) {
  if (options.error_renderer) return options.error_renderer(req, status);
  Response res{status, 11};
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.body() = std::string(bhttp::obsolete_reason(status)) + "\n";
  return res;
}

void Server::Impl::Accept() {
  acceptor.async_accept(
      asio::make_strand(ioc), [self = shared_from_this()](beast::error_code ec,
                                                          tcp::socket socket) {
        if (self->stopping || !self->acceptor.is_open()) return;
        if (!ec) {
          socket.set_option(tcp::no_delay(true), ec);
          std::shared_ptr<Session> session;
          {
            std::lock_guard lock(self->mu);
            uint64_t id = self->next_session_id++;
            session = std::make_shared<Session>(std::move(socket), self, id);
            self->sessions[id] = session;
          }
          session->Start();
        }
        self->Accept();
      });
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  spdlog::info("stopping: finishing requests in flight");
  beast::error_code ec;
  signals.cancel(ec);
  asio::post(acceptor.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu);
    for (auto& [id, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    asio::dispatch(s->executor(), [s] { s->OnStop(); });
  }
  if (!live.empty()) WatchStop(std::chrono::steady_clock::now() + options.stop_timeout);
}

// Polls until every connection has closed (then the context runs out of work and Run
// returns) or the stop timeout passes (then the context is stopped). Only this chain of
// handlers touches stop_deadline, so it needs no strand.
void Server::Impl::WatchStop(std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(mu);
    if (sessions.empty()) return;
  }
  if (std::chrono::steady_clock::now() >= deadline) {
    spdlog::warn("stop timeout: dropping connections still open");
    ioc.stop();
    return;
  }
  stop_deadline.expires_after(std::chrono::milliseconds(20));
  stop_deadline.async_wait([self = shared_from_this(), deadline](beast::error_code ec) {
    if (!ec) self->WatchStop(deadline);
  });
}

Server::Server(ServerOptions options, Handler handler, Metrics* metrics)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler), metrics)) {
  impl_->access_log = spdlog::get("access");
  if (!impl_->access_log) {
    impl_->access_log = spdlog::default_logger()->clone("access");
  }
}

Server::~Server() {
  // Sessions hold the Impl; break the cycle by stopping the context if still running.
  // Workers finish what they hold first, so no handler outlives the server.
  impl_->ioc.stop();
  impl_->workers.join();
}

communitise::Status Server::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return Error::InvalidArgument("Not an IP address: " + impl_->options.host);
  }
  tcp::endpoint endpoint{address, impl_->options.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Unavailable("Cannot listen on " + impl_->options.host + ":" +
                                  std::to_string(impl_->options.port),
                              ec.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  if (impl_->options.handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([self = impl_](beast::error_code ec, int) {
      if (!ec) self->BeginStop();
    });
  }
  impl_->Accept();
  return communitise::Status::Ok();
}

void Server::Run() {
  unsigned n = impl_->options.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency() / 2);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
  spdlog::info("server stopped");
}

void Server::Stop() {
  auto impl = impl_;
  asio::post(impl->ioc, [impl] { impl->BeginStop(); });
}

uint16_t Server::port() const { return impl_->port; }
const ServerOptions& Server::options() const { return impl_->options; }

}  // namespace communitise::http
