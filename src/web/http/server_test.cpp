#include "communitise/http/server.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <future>
#include <thread>
#include <vector>

#include "communitise/http/client.h"
#include "communitise/http/metrics.h"

namespace communitise::http {
namespace {

using namespace std::chrono_literals;

// A server on a free loopback port with short limits, serving "/" and a "/slow" route
// that waits until the test releases it.
class ServerTest : public ::testing::Test {
 protected:
  void StartServer(bool handle_signals = false, unsigned threads = 2) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = threads;
    options.workers = 4;
    options.answers_inline = [](const Request& req) { return req.path == "/inline"; };
    options.max_header_bytes = 4096;
    options.max_body_bytes = 1024;
    options.header_timeout = 300ms;
    options.idle_timeout = 300ms;
    options.body_timeout = 300ms;
    options.handle_signals = handle_signals;
    options.access_log = false;
    options.default_headers = {{"X-Content-Type-Options", "nosniff"}};
    server_ = std::make_unique<Server>(
        options,
        [this](Request& req) {
          req.route = req.path;
          if (req.path == "/slow") {
            slow_started_.set_value();
            release_.get_future().wait();
          }
          if (req.path == "/pair") {
            // Returns only when two /pair handlers run at the same time (or after 10 s).
            std::unique_lock lock(pair_mu_);
            ++pair_arrived_;
            pair_cv_.notify_all();
            pair_met_ &= pair_cv_.wait_for(lock, 10s, [this] { return pair_arrived_ >= 2; });
          }
          return MakeResponse(req, HttpStatus::ok, "text/plain", "hello " + std::string(req.body()));
        },
        &metrics_);
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
    }
  }

  TestClient Client() { return TestClient("127.0.0.1", server_->port()); }

  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::promise<void> slow_started_;
  std::promise<void> release_;
  std::mutex pair_mu_;
  std::condition_variable pair_cv_;
  int pair_arrived_ = 0;
  bool pair_met_ = true;  // false if a /pair handler waited in vain
};

TEST_F(ServerTest, ServesKeepAliveRequestsWithDefaultHeaders) {
  StartServer();
  auto client = Client();
  for (int i = 0; i < 3; ++i) {
    auto res = client.Get("/");
    ASSERT_TRUE(res.ok()) << res.error().ToString();
    EXPECT_EQ(res->result(), HttpStatus::ok);
    EXPECT_EQ(res->body(), "hello ");
    EXPECT_EQ((*res)["X-Content-Type-Options"], "nosniff");
    EXPECT_TRUE(res->keep_alive());
  }
  EXPECT_EQ(metrics_.Count("/", 200), 3u);
  const std::string rendered = metrics_.Render();
  EXPECT_NE(rendered.find("communitise_http_requests_total{route=\"/\",method=\"GET\","
                          "status=\"200\"} 3"),
            std::string::npos);
  EXPECT_NE(rendered.find("communitise_http_request_duration_seconds_count{route=\"/\"} 3\n"),
            std::string::npos)
      << rendered;
}

// A histogram's buckets are cumulative, with or without labels.
TEST(MetricsTextTest, HistogramBucketsAddUpWithOrWithoutLabels) {
  const std::vector<double> bounds = {0.5, 1, 2.5};
  const std::vector<uint64_t> counts = {1, 0, 2, 4};  // the last: above every bound
  std::string out;
  AppendMetricHeader(out, "x_seconds", "histogram", "Time to do x.");
  AppendHistogram(out, "x_seconds", "", bounds, counts, 7, 12.25);
  EXPECT_EQ(out,
            "# HELP x_seconds Time to do x.\n# TYPE x_seconds histogram\n"
            "x_seconds_bucket{le=\"0.5\"} 1\nx_seconds_bucket{le=\"1\"} 1\n"
            "x_seconds_bucket{le=\"2.5\"} 3\nx_seconds_bucket{le=\"+Inf\"} 7\n"
            "x_seconds_sum 12.250000\nx_seconds_count 7\n");
  out.clear();
  AppendHistogram(out, "y", "route=\"/a\"", bounds, counts, 7, 1);
  EXPECT_EQ(out,
            "y_bucket{route=\"/a\",le=\"0.5\"} 1\ny_bucket{route=\"/a\",le=\"1\"} 1\n"
            "y_bucket{route=\"/a\",le=\"2.5\"} 3\ny_bucket{route=\"/a\",le=\"+Inf\"} 7\n"
            "y_sum{route=\"/a\"} 1.000000\ny_count{route=\"/a\"} 7\n");
}

TEST_F(ServerTest, RejectsOversizedBodyWith413) {
  StartServer();
  auto client = Client();
  ASSERT_TRUE(client
                  .WriteRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                            "Content-Type: text/plain\r\n\r\nabc")
                  .ok());
  auto res = client.Read(2s);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->result(), HttpStatus::payload_too_large);
  EXPECT_FALSE(res->keep_alive());
}

TEST_F(ServerTest, RejectsOversizedHeaderWith431) {
  StartServer();
  auto client = Client();
  BeastRequest req{Method::get, "/", 11};
  req.set("X-Padding", std::string(8000, 'a'));
  auto res = client.Send(std::move(req));
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->result(), HttpStatus::request_header_fields_too_large);
}

TEST_F(ServerTest, RejectsGarbageWith400) {
  StartServer();
  auto client = Client();
  ASSERT_TRUE(client.WriteRaw("NOT HTTP AT ALL\r\n\r\n").ok());
  auto res = client.Read(2s);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->result(), HttpStatus::bad_request);
}

TEST_F(ServerTest, CutsOffSlowClientsAndIdleConnections) {
  StartServer();
  auto slow = Client();
  ASSERT_TRUE(slow.WriteRaw("GET / HTTP/1.1\r\nHost: x\r\n").ok());  // never finishes
  EXPECT_TRUE(slow.ServerClosed(5s));

  auto idle = Client();
  ASSERT_TRUE(idle.Get("/").ok());
  EXPECT_TRUE(idle.ServerClosed(5s));  // keep-alive connection left idle

  auto slow_body = Client();
  ASSERT_TRUE(slow_body
                  .WriteRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
                  .ok());
  EXPECT_TRUE(slow_body.ServerClosed(5s));
}

TEST_F(ServerTest, ABlockedHandlerDoesNotHoldTheIoThread) {
  StartServer(/*handle_signals=*/false, /*threads=*/1);
  auto busy = Client();
  auto response = std::async(std::launch::async, [&] { return busy.Get("/slow"); });
  slow_started_.get_future().wait();
  // The only I/O thread still reads, answers inline requests and hands others to workers.
  auto other = Client();
  auto inline_res = other.Get("/inline");
  ASSERT_TRUE(inline_res.ok()) << inline_res.error().ToString();
  EXPECT_EQ(inline_res->result(), HttpStatus::ok);
  auto worker_res = other.Get("/");
  ASSERT_TRUE(worker_res.ok()) << worker_res.error().ToString();
  EXPECT_EQ(worker_res->body(), "hello ");
  release_.set_value();
  auto res = response.get();
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->result(), HttpStatus::ok);
}

TEST_F(ServerTest, HandlersRunConcurrentlyOnWorkers) {
  StartServer(/*handle_signals=*/false, /*threads=*/1);
  auto first = std::async(std::launch::async, [&] { return Client().Get("/pair"); });
  auto second = std::async(std::launch::async, [&] { return Client().Get("/pair"); });
  ASSERT_TRUE(first.get().ok());
  ASSERT_TRUE(second.get().ok());
  std::lock_guard lock(pair_mu_);
  EXPECT_TRUE(pair_met_);
}

TEST_F(ServerTest, GracefulStopFinishesTheRequestInFlight) {
  StartServer(/*handle_signals=*/true);
  auto busy = Client();
  auto idle = Client();
  ASSERT_TRUE(idle.Get("/").ok());
  auto response = std::async(std::launch::async, [&] { return busy.Get("/slow"); });
  slow_started_.get_future().wait();
  std::raise(SIGTERM);
  EXPECT_TRUE(idle.ServerClosed(5s));  // idle connections are closed at once
  release_.set_value();
  auto res = response.get();
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->result(), HttpStatus::ok);
  EXPECT_FALSE(res->keep_alive());  // "Connection: close" while stopping
  thread_.join();                   // Run() returned on its own
  server_.reset();
  auto late = TestClient("127.0.0.1", 1).Get("/");
  EXPECT_FALSE(late.ok());
}

}  // namespace
}  // namespace communitise::http
