#include "communitise/http/client.h"

#include <utility>  // before Asio: see message.h

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace communitise::http {
namespace {

Error Fail(std::string_view what, const boost::beast::error_code& ec) {
  return Error::Unavailable(std::string(what) + ": " + ec.message());
}

}  // namespace

struct TestClient::Connection {
  boost::asio::io_context ioc;
  std::optional<boost::beast::tcp_stream> stream;
  boost::beast::flat_buffer buffer;

  void RunIo() {
    ioc.restart();
    ioc.run();
  }
};

TestClient::TestClient(std::string host, uint16_t port)
    : host_(std::move(host)), port_(port), conn_(std::make_unique<Connection>()) {}
TestClient::~TestClient() = default;
TestClient::TestClient(TestClient&&) noexcept = default;
TestClient& TestClient::operator=(TestClient&&) noexcept = default;

Result<Response> TestClient::Send(BeastRequest req) {
  if (auto s = EnsureConnected(); !s.ok()) return s.error();
  req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
  if (!cookies_.empty()) {
    std::string cookie;
    for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    req.set(bhttp::field::cookie, cookie);
  }
  req.prepare_payload();
  boost::beast::error_code ec;
  bhttp::write(*conn_->stream, req, ec);
  if (ec) return Fail("write", ec);
  return Read();
}

Result<Response> TestClient::Get(std::string target, std::string accept) {
  BeastRequest req{Method::get, target, 11};
  req.set(bhttp::field::accept, accept);
  return Send(std::move(req));
}

Result<Response> TestClient::PostForm(
    std::string target, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    body += (body.empty() ? "" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  }
  BeastRequest req{Method::post, target, 11};
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  req.body() = std::move(body);
  return Send(std::move(req));
}

Result<Response> TestClient::SendJson(Method method, std::string target, std::string json,
                                      std::string csrf_token) {
  BeastRequest req{method, target, 11};
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::accept, "application/json");
  if (!csrf_token.empty()) req.set("X-CSRF-Token", csrf_token);
  req.body() = std::move(json);
  return Send(std::move(req));
}

Status TestClient::WriteRaw(std::string_view bytes) {
  if (auto s = EnsureConnected(); !s.ok()) return s;
  boost::beast::error_code ec;
  boost::asio::write(conn_->stream->socket(), boost::asio::buffer(bytes.data(), bytes.size()),
                     ec);
  if (ec) return Fail("write", ec);
  return Status::Ok();
}

Result<Response> TestClient::Read(std::chrono::milliseconds timeout) {
  if (!conn_->stream) return Error::Unavailable("not connected");
  boost::beast::error_code ec;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  conn_->stream->expires_after(timeout);
  bhttp::async_read(*conn_->stream, conn_->buffer, parser,
                    [&ec](boost::beast::error_code e, std::size_t) { ec = e; });
  conn_->RunIo();
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

bool TestClient::ServerClosed(std::chrono::milliseconds timeout) {
  if (!conn_->stream) return true;
  char byte;
  boost::beast::error_code ec;
  conn_->stream->expires_after(timeout);
  conn_->stream->async_read_some(boost::asio::buffer(&byte, 1),
                                 [&ec](boost::beast::error_code e, std::size_t) { ec = e; });
  conn_->RunIo();
  bool closed = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  if (closed) Close();
  return closed;
}

void TestClient::Close() {
  conn_->stream.reset();
  conn_->buffer.clear();
}

Status TestClient::EnsureConnected() {
  if (conn_->stream) return Status::Ok();
  conn_->stream.emplace(conn_->ioc);
  boost::beast::error_code ec;
  auto address = boost::asio::ip::make_address(host_, ec);
  if (!ec) conn_->stream->socket().connect({address, port_}, ec);
  if (ec) {
    conn_->stream.reset();
    return Fail("connect", ec);
  }
  return Status::Ok();
}

}  // namespace communitise::http
