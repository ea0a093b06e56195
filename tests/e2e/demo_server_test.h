// DemoServerTest: the fixture of the whole-server tests that run against the demo data —
// a temporary SQLite database migrated and seeded with the demo council, the application
// and web layers over it, and the real server on a free loopback port, in-process.
#ifndef COMMUNITISE_TESTS_E2E_DEMO_SERVER_TEST_H_
#define COMMUNITISE_TESTS_E2E_DEMO_SERVER_TEST_H_

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/http/client.h"
#include "communitise/http/server.h"
#include "communitise/storage/database.h"
#include "communitise/web/web_app.h"

namespace communitise {

// A response's body as JSON (discarded, not thrown, when it is not JSON).
inline nlohmann::json Body(const http::Response& res) {
  return nlohmann::json::parse(res.body(), nullptr, false);
}

class DemoServerTest : public ::testing::Test {
 protected:
  // The demo data behind default web options, served at once with default limits.
  void SetUp() override {
    SetUpDemo(web::WebOptions{});
    if (HasFatalFailure()) return;
    StartServer(ServerDefaults());
  }

  // A fresh database seeded with the demo data, and the application and web layers.
  void SetUpDemo(web::WebOptions options) {
    static int counter = 0;
    db_path_ = std::filesystem::temp_directory_path() /
               ("communitise-demo-e2e-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++) + ".db");
    auto db = storage::Database::Open("sqlite:" + db_path_.string());
    ASSERT_TRUE(db.ok()) << db.error().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    auto demo = app::SeedDemo(*db_, clock_);
    ASSERT_TRUE(demo.ok()) << demo.error().ToString();
    demo_ = *demo;
    app_ = std::make_unique<app::App>(*db_, clock_);
    web_ = std::make_unique<web::WebApp>(*app_, metrics_, std::move(options));
  }

  // A free loopback port, two I/O threads, no signal handling, no access log.
  static http::ServerOptions ServerDefaults() {
    http::ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.handle_signals = false;
    o.access_log = false;
    return o;
  }

  // Serves the web layer with `o` on a thread of its own until TearDown().
  void StartServer(const http::ServerOptions& o) {
    server_ = std::make_unique<http::Server>(
        web_->ConfigureServer(o), [this](http::Request& req) { return web_->Handle(req); },
        &metrics_);
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
      server_.reset();
    }
    web_.reset();
    app_.reset();
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db_path_.string() + suffix);
    }
  }

  ManualClock clock_{1'764'000'000};
  std::filesystem::path db_path_;
  std::unique_ptr<storage::Database> db_;
  app::DemoSummary demo_;
  std::unique_ptr<app::App> app_;
  http::Metrics metrics_;
  std::unique_ptr<web::WebApp> web_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace communitise

#endif  // COMMUNITISE_TESTS_E2E_DEMO_SERVER_TEST_H_
