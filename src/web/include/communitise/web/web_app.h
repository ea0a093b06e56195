// WebApp: the pages and JSON API of Communitise on top of the HTTP server.
//
// Owns the router with every page and /api/ route, the CSRF guard, the static files
// (GOV.UK Frontend under /assets/, our own CSS and JS under /static/) and the parsed
// templates. Handle() is the server's request handler: it serves static files, finds the
// route, resolves the session cookie into an Actor, checks the CSRF token of every
// state-changing request, runs the handler and maps any Error to a status and an HTML
// page or JSON body (errors.h holds that mapping).
//
// Handlers only parse, call the application layer and render. HTML forms and the JSON
// API call the same use cases, so field-level messages are identical in both.
//
// Ownership: holds references to the App and Metrics, which must outlive it.
// Thread safety: Handle is safe for concurrent use once construction is done; routes may
// be added through router() only before the server starts.
#ifndef COMMUNITISE_WEB_WEB_APP_H_
#define COMMUNITISE_WEB_WEB_APP_H_

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "communitise/app/app.h"
#include "communitise/http/csrf.h"
#include "communitise/http/metrics.h"
#include "communitise/http/router.h"
#include "communitise/http/server.h"
#include "communitise/http/static_files.h"

namespace communitise::web {

struct WebOptions {
  // The GOV.UK Frontend dist folder (…/node_modules/govuk-frontend/dist/govuk). When
  // empty, /assets/ serves nothing (pages still work, unstyled).
  std::filesystem::path assets_dir;
  // Mark cookies Secure (set when the server sits behind HTTPS).
  bool secure_cookies = false;
};

class WebApp {
 public:
  WebApp(app::App& app, http::Metrics& metrics, WebOptions options);
  ~WebApp();

  http::Response Handle(http::Request& req);

  // `base` with the security headers and the error pages for requests the server
  // rejects before routing (413, 431, 400).
  http::ServerOptions ConfigureServer(http::ServerOptions base);

  http::Router& router() { return router_; }
  app::App& app() { return app_; }
  http::Metrics& metrics() { return metrics_; }
  const http::CsrfGuard& csrf() const { return csrf_; }
  const WebOptions& options() const { return options_; }

  // The OpenAPI 3 document served at /api/openapi.json.
  static std::string_view OpenApiDocument();
  // node_modules/govuk-frontend/dist/govuk in `start` or the nearest parent holding it.
  static std::optional<std::filesystem::path> FindAssets(std::filesystem::path start);

  // The Content-Security-Policy every response carries.
  static constexpr std::string_view kContentSecurityPolicy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
      "base-uri 'none'; object-src 'none'";

 private:
  void AddPageRoutes();
  void AddApiRoutes();

  app::App& app_;
  http::Metrics& metrics_;
  WebOptions options_;
  http::Router router_;
  http::CsrfGuard csrf_;
  http::StaticFiles static_files_;
};

}  // namespace communitise::web

#endif  // COMMUNITISE_WEB_WEB_APP_H_
