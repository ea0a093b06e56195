// TestClient: a small blocking HTTP/1.1 client over one keep-alive connection, for the
// server's own tests and the whole-server tests. It keeps cookies like a browser would
// (name=value only; attributes ignored) and can send raw bytes for malformed requests.
//
// The Beast code lives in client.cpp, compiled once for every test that uses it. Errors
// are Boost error codes surfaced as Result errors (kUnavailable); never throws.
// Thread safety: one client per thread.
#ifndef COMMUNITISE_HTTP_CLIENT_H_
#define COMMUNITISE_HTTP_CLIENT_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/http/forms.h"
#include "communitise/http/message.h"

namespace communitise::http {

class TestClient {
 public:
  TestClient(std::string host, uint16_t port);
  ~TestClient();
  TestClient(TestClient&&) noexcept;
  TestClient& operator=(TestClient&&) noexcept;

  // Sends a request (adding Host, Cookie and Content-Length) and reads the response.
  Result<Response> Send(BeastRequest req);

  Result<Response> Get(std::string target, std::string accept = "text/html");

  // POSTs a urlencoded form.
  Result<Response> PostForm(std::string target,
                            const std::vector<std::pair<std::string, std::string>>& fields);

  Result<Response> SendJson(Method method, std::string target, std::string json,
                            std::string csrf_token = {});

  // Writes raw bytes on the connection (no response read).
  Status WriteRaw(std::string_view bytes);

  // Reads one response (after WriteRaw), waiting at most `timeout`.
  Result<Response> Read(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // True when the server has closed the connection (reads EOF within `timeout`).
  bool ServerClosed(std::chrono::milliseconds timeout);

  void Close();
  std::map<std::string, std::string>& cookies() { return cookies_; }

 private:
  struct Connection;  // the socket, its buffer and the I/O context (client.cpp)

  Status EnsureConnected();

  std::string host_;
  uint16_t port_;
  std::unique_ptr<Connection> conn_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_CLIENT_H_
