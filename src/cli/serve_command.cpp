// `communitise serve`: migrates the database, optionally seeds the demo, and serves the
// pages and JSON API until SIGTERM or SIGINT, then stops gracefully (requests in flight
// finish) and closes the database.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#ifdef COMMUNITISE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include <charconv>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/http/server.h"
#include "communitise/storage/database.h"
#include "communitise/web/web_app.h"

namespace communitise::cli {
namespace {

// The memory allocator the server runs on, for the log.
std::string Allocator() {
#ifdef COMMUNITISE_JEMALLOC
  const char* version = nullptr;
  size_t size = sizeof version;
  if (mallctl("version", &version, &size, nullptr, 0) == 0 && version) {
    return std::string("jemalloc ") + version;
  }
  return "jemalloc";
#else
  return "the C library's malloc";
#endif
}

struct ServeOptions {
  std::string database = "sqlite:var/communitise.db";
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  std::string assets;
  unsigned threads = 0;
  unsigned workers = 0;
  bool access_log = true;
  bool secure_cookies = false;
};

// "HOST:PORT" or "[v6]:PORT".
bool ParseListen(const std::string& text, std::string* host, uint16_t* port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = text.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  std::string p = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value > 65535) return false;
  *port = static_cast<uint16_t>(value);
  return true;
}

std::optional<std::filesystem::path> LocateAssets(const std::string& flag) {
  if (!flag.empty()) {
    std::filesystem::path dir(flag);
    if (std::filesystem::is_regular_file(dir / "govuk-frontend.min.css")) return dir;
    if (auto found = web::WebApp::FindAssets(dir)) return found;
    return std::nullopt;
  }
  if (auto found = web::WebApp::FindAssets(std::filesystem::current_path())) return found;
  // Also look beside the binary (build/communitise -> repo root).
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) return web::WebApp::FindAssets(exe.parent_path());
  return std::nullopt;
}

int RunServe(const ServeOptions& o) {
  http::ServerOptions server_options;
  if (!ParseListen(o.listen, &server_options.host, &server_options.port)) {
    std::cerr << "--listen must be HOST:PORT, for example 127.0.0.1:8080\n";
    return 2;
  }
  auto db = storage::Database::Open(o.database);
  if (!db.ok()) {
    std::cerr << "Cannot open the database: " << db.error().ToString() << "\n";
    return 1;
  }
  if (auto s = (*db)->Migrate(); !s.ok()) {
    std::cerr << "Cannot migrate the database: " << s.error().ToString() << "\n";
    return 1;
  }
  SystemClock clock;
  app::App application(**db, clock);
  if (o.demo) {
    auto demo = app::SeedDemo(**db, clock);
    if (!demo.ok()) {
      std::cerr << "Cannot seed the demo data: " << demo.error().ToString() << "\n";
      return 1;
    }
    std::cout << "Demo data is ready. Sign in as:\n";
    for (const auto& login : demo->logins) {
      std::cout << "  " << login.email << "  password: " << login.password << "  ("
                << login.description << ")\n";
    }
    if (!demo->sample_postcodes.empty()) {
      std::cout << "Postcodes that join the demo programmes:";
      for (const auto& p : demo->sample_postcodes) std::cout << " " << p;
      std::cout << "\n";
    }
  }

  // Selection jobs left queued or running by a previous run (a crash, a kill) resume.
  application.panels().ResumeSelections();

  web::WebOptions web_options;
  web_options.secure_cookies = o.secure_cookies;
  if (auto assets = LocateAssets(o.assets)) {
    web_options.assets_dir = *assets;
  } else {
    spdlog::warn(
        "GOV.UK Frontend not found (node_modules/govuk-frontend/dist/govuk); pages will be "
        "unstyled. Run npm install, or pass --assets DIR.");
  }
  http::Metrics metrics;
  web::WebApp web(application, metrics, web_options);
  server_options.threads = o.threads;
  server_options.workers = o.workers;
  server_options.handle_signals = true;
  server_options.access_log = o.access_log;
  http::Server server(web.ConfigureServer(server_options),
                      [&web](http::Request& req) { return web.Handle(req); }, &metrics);
  if (auto s = server.Start(); !s.ok()) {
    std::cerr << s.error().public_message << ": " << s.error().internal_message << "\n";
    return 1;
  }
  spdlog::info("memory allocator: {}", Allocator());
  std::cout << "Serving http://" << server_options.host << ":" << server.port()
            << "/  (database " << o.database << "; Ctrl-C to stop)" << std::endl;
  server.Run();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the web pages and the JSON API");
  cmd->add_option("--database", options->database,
                  "sqlite:PATH or postgresql://USER@HOST:PORT/DB")
      ->capture_default_str();
  cmd->add_option("--listen", options->listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_flag("--demo", options->demo, "Seed the demo council if it is not there yet");
  cmd->add_option("--assets", options->assets,
                  "GOV.UK Frontend dist folder (found under node_modules by default)");
  cmd->add_option("--threads", options->threads,
                  "I/O threads (default: one per two cores, at least one)");
  cmd->add_option("--workers", options->workers,
                  "Threads that run request handlers (default: 8 per core, at least 16)");
  cmd->add_flag("!--no-access-log", options->access_log, "Do not log every request");
  cmd->add_flag("--secure-cookies", options->secure_cookies,
                "Mark cookies Secure (set this when a TLS proxy serves the site over HTTPS)");
  cmd->callback([options, &exit_code] { exit_code = RunServe(*options); });
}

}  // namespace communitise::cli
