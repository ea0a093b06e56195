// TestClient: a small blocking HTTP/1.1 client over one keep-alive connection, for the
// server's own tests and the whole-server tests. It keeps cookies like a browser would
// (name=value only; attributes ignored) and can send raw bytes for malformed requests.
//
// Errors are Boost error codes surfaced as Result errors (kUnavailable); never throws.
// Thread safety: one client per thread.
#ifndef COMMUNITISE_HTTP_CLIENT_H_
#define COMMUNITISE_HTTP_CLIENT_H_

#include <utility>  // before Asio: see message.h

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <string>

#include "communitise/core/result.h"
#include "communitise/http/forms.h"
#include "communitise/http/message.h"

namespace communitise::http {

class TestClient {
 public:
  TestClient(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}

  // Sends a request (adding Host, Cookie and Content-Length) and reads the response.
  Result<Response> Send(BeastRequest req) {
    if (auto s = EnsureConnected(); !s.ok()) return s.error();
    req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
    if (!cookies_.empty()) {
      std::string cookie;
      for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
      req.set(bhttp::field::cookie, cookie);
    }
    req.prepare_payload();
    boost::beast::error_code ec;
    bhttp::write(*stream_, req, ec);
    if (ec) return Fail("write", ec);
    return Read();
  }

  Result<Response> Get(std::string target, std::string accept = "text/html") {
    BeastRequest req{Method::get, target, 11};
    req.set(bhttp::field::accept, accept);
    return Send(std::move(req));
  }

  // POSTs a urlencoded form.
  Result<Response> PostForm(std::string target,
                            const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [k, v] : fields) {
      body += (body.empty() ? "" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
    }
    BeastRequest req{Method::post, target, 11};
    req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = std::move(body);
    return Send(std::move(req));
  }

  Result<Response> SendJson(Method method, std::string target, std::string json,
                            std::string csrf_token = {}) {
    BeastRequest req{method, target, 11};
    req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::accept, "application/json");
    if (!csrf_token.empty()) req.set("X-CSRF-Token", csrf_token);
    req.body() = std::move(json);
    return Send(std::move(req));
  }

  // Writes raw bytes on the connection (no response read).
  Status WriteRaw(std::string_view bytes) {
    if (auto s = EnsureConnected(); !s.ok()) return s;
    boost::beast::error_code ec;
    boost::asio::write(stream_->socket(), boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec) return Fail("write", ec);
    return Status::Ok();
  }

  // Reads one response (after WriteRaw), waiting at most `timeout`.
  Result<Response> Read(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    if (!stream_) return Error::Unavailable("not connected");
    boost::beast::error_code ec;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    stream_->expires_after(timeout);
    bhttp::async_read(*stream_, buffer_, parser,
                      [&ec](boost::beast::error_code e, std::size_t) { ec = e; });
    RunIo();
    if (ec) {
      Close();
      return Fail("read", ec);
    }
    Response res = parser.release();
    for (auto it = res.find(bhttp::field::set_cookie);
         it != res.end() && it->name() == bhttp::field::set_cookie; ++it) {
      std::string_view value(it->value().data(), it->value().size());
      auto semi = value.find(';');
      auto pair = value.substr(0, semi);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      std::string name(pair.substr(0, eq)), v(pair.substr(eq + 1));
      bool deleted = value.find("Max-Age=0") != std::string_view::npos;
      if (deleted || v.empty()) {
        cookies_.erase(name);
      } else {
        cookies_[name] = v;
      }
    }
    if (!res.keep_alive()) Close();
    return res;
  }

  // True when the server has closed the connection (reads EOF within `timeout`).
  bool ServerClosed(std::chrono::milliseconds timeout) {
    if (!stream_) return true;
    char byte;
    boost::beast::error_code ec;
    stream_->expires_after(timeout);
    stream_->async_read_some(boost::asio::buffer(&byte, 1),
                             [&ec](boost::beast::error_code e, std::size_t) { ec = e; });
    RunIo();
    bool closed = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
    if (closed) Close();
    return closed;
  }

  void Close() { stream_.reset(); buffer_.clear(); }
  std::map<std::string, std::string>& cookies() { return cookies_; }

 private:
  void RunIo() {
    ioc_.restart();
    ioc_.run();
  }

  Status EnsureConnected() {
    if (stream_) return Status::Ok();
    stream_.emplace(ioc_);
    boost::beast::error_code ec;
    auto address = boost::asio::ip::make_address(host_, ec);
    if (!ec) stream_->socket().connect({address, port_}, ec);
    if (ec) {
      stream_.reset();
      return Fail("connect", ec);
    }
    return Status::Ok();
  }

  static Error Fail(std::string_view what, const boost::beast::error_code& ec) {
    return Error::Unavailable(std::string(what) + ": " + ec.message());
  }

  std::string host_;
  uint16_t port_;
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_CLIENT_H_
