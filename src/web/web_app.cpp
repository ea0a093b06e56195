#include "communitise/web/web_app.h"

#include <spdlog/spdlog.h>

#include "communitise/web/errors.h"
#include "context.h"
#include "embedded.h"

namespace communitise::web {

using http::HttpStatus;
using http::Method;

std::string_view Embedded(std::string_view path) {
  for (const auto& f : EmbeddedFiles()) {
    if (f.path == path) return f.data;
  }
  return {};
}

void Ctx::SetSessionCookie(const std::string& token, int64_t max_age_seconds) {
  http::CookieOptions options;
  options.secure = web.options().secure_cookies;
  options.max_age_seconds = token.empty() ? 0 : static_cast<int>(max_age_seconds);
  set_cookies.push_back(http::SetCookieValue(kSessionCookie, token.empty() ? "" : token, options));
}

WebApp::WebApp(app::App& app, http::Metrics& metrics, WebOptions options)
    : app_(app), metrics_(metrics), options_(std::move(options)) {
  if (!options_.assets_dir.empty()) {
    // GOV.UK Frontend's CSS asks for /assets/fonts/… and /assets/images/…; its own
    // CSS and JS sit one folder up.
    static_files_.AddRoot("/assets/", options_.assets_dir / "assets");
    static_files_.AddRoot("/assets/", options_.assets_dir);
  }
  for (const auto& f : EmbeddedFiles()) {
    if (f.path.rfind("static/", 0) == 0) {
      static_files_.AddEmbedded("/" + std::string(f.path), std::string(f.data));
    }
  }
  AddPageRoutes();
  AddApiRoutes();
}

WebApp::~WebApp() = default;

std::string_view WebApp::OpenApiDocument() { return Embedded("openapi.json"); }

std::optional<std::filesystem::path> WebApp::FindAssets(std::filesystem::path start) {
  std::error_code ec;
  auto dir = std::filesystem::absolute(start, ec);
  if (ec) return std::nullopt;
  while (true) {
    auto candidate = dir / "node_modules" / "govuk-frontend" / "dist" / "govuk";
    if (std::filesystem::is_regular_file(candidate / "govuk-frontend.min.css", ec)) {
      return candidate;
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

http::ServerOptions WebApp::ConfigureServer(http::ServerOptions base) {
  base.default_headers = {
      {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
  };
  // Static files are answered from memory or the page cache without blocking. A ballot
  // only checks its input and joins the writer's queue (its answer is deferred), so it
  // is taken on the I/O thread too, saving a thread hop per voter: with its session in
  // memory as any request, and without it the writer reads the session with its batch
  // (see Wrap and PbRounds::CastBallotWithSessionToken).
  base.answers_inline = [](const http::Request& req) {
    if (req.method() == Method::post) {
      return req.path.rfind("/api/pb/rounds/", 0) == 0 && req.path.size() > 7 &&
             req.path.compare(req.path.size() - 7, 7, "/ballot") == 0;
    }
    return req.method() == Method::get &&
           (req.path.rfind("/assets/", 0) == 0 || req.path.rfind("/static/", 0) == 0);
  };
  base.error_renderer = [this](http::Request& req, HttpStatus status) {
    Ctx ctx{req, *this};
    Error error;
    switch (status) {
      case HttpStatus::payload_too_large:
        error = Error::InvalidArgument("The request is too large");
        break;
      case HttpStatus::request_header_fields_too_large:
        error = Error::InvalidArgument("The request headers are too large");
        break;
      case HttpStatus::bad_request:
        error = Error::InvalidArgument("The request could not be read");
        break;
      default:
        error = Error::Internal("server error " + std::to_string(static_cast<int>(status)));
    }
    http::Response res = req.WantsJson() ? ApiError(ctx, error) : ErrorPage(ctx, error);
    res.result(status);
    return res;
  };
  return base;
}

namespace {

// The CSRF token a state-changing request carries: the header (API), else the form field.
std::string SubmittedToken(const Ctx& ctx) {
  auto header = ctx.req.Header(http::CsrfGuard::kHeaderName);
  if (!header.empty()) return std::string(header);
  return ctx.form.GetOr(std::string(http::CsrfGuard::kFormField));
}

// Parses form bodies into ctx.form / ctx.files. JSON bodies are parsed by the handler.
Status ParseFormBody(Ctx& ctx) {
  auto type = ctx.req.Header(http::bhttp::field::content_type);
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    ASSIGN_OR_RETURN(ctx.form, http::ParseUrlEncoded(ctx.req.body()));
  } else if (type.rfind("multipart/form-data", 0) == 0) {
    ASSIGN_OR_RETURN(auto multipart, http::ParseMultipart(type, ctx.req.body()));
    ctx.form = std::move(multipart.fields);
    ctx.files = std::move(multipart.files);
  }
  return Status::Ok();
}

}  // namespace

http::Response WebApp::Handle(http::Request& req) {
  if (req.path.rfind("/assets/", 0) == 0 || req.path.rfind("/static/", 0) == 0) {
    req.route = req.path.rfind("/assets/", 0) == 0 ? "/assets/*" : "/static/*";
    if (auto res = static_files_.Serve(req)) return std::move(*res);
  }
  auto match = router_.Find(req);
  Ctx ctx{req, *this};
  if (match.kind == http::Router::MatchKind::kNotFound) {
    Error e = Error::NotFound("Page not found");
    return req.WantsJson() ? ApiError(ctx, e) : ErrorPage(ctx, e);
  }
  if (match.kind == http::Router::MatchKind::kMethodNotAllowed) {
    req.route = "method_not_allowed";
    Error e = Error::InvalidArgument("This address does not accept " +
                                     std::string(http::Sv(req.raw.method_string())));
    http::Response res = req.WantsJson() ? ApiError(ctx, e) : ErrorPage(ctx, e);
    res.result(HttpStatus::method_not_allowed);
    return res;
  }
  return (*match.handler)(req);
}

namespace {
// What every wrapped handler's answer gets: the visitor's CSRF cookie, cookies the
// handler set, and no caching unless the handler said otherwise.
void FinishResponse(bool has_session, const http::CsrfGuard::Visitor& visitor,
                    const std::vector<std::string>& set_cookies, http::Response& res) {
  if (!has_session) http::CsrfGuard::SetCookieIfNew(visitor, res);
  for (const auto& cookie : set_cookies) res.insert(http::bhttp::field::set_cookie, cookie);
  if (res.find(http::bhttp::field::cache_control) == res.end()) {
    res.set(http::bhttp::field::cache_control, "no-store");
  }
}
}  // namespace

std::function<void(http::Response)> Ctx::Defer() {
  if (!req.CanDefer()) return {};
  http::Request::Reply reply = req.Defer();
  return [reply = std::move(reply), has_session = session.has_value(), visitor = visitor,
          cookies = set_cookies](http::Response res) {
    FinishResponse(has_session, visitor, cookies, res);
    reply(std::move(res));
  };
}

http::Response CsrfRefused(Ctx& ctx) {
  Error e = Error::Forbidden(
      "Your form has expired or did not come from this site. Go back, reload the "
      "page and try again.");
  e.internal_message = "CSRF token missing or wrong";
  return ctx.req.WantsJson() ? ApiError(ctx, e) : ErrorPage(ctx, e);
}

http::Response AnswerWithoutSession(Ctx& ctx, const std::function<http::Response(Ctx&)>& then) {
  ctx.session.reset();
  ctx.session_unread = false;
  ctx.SetSessionCookie("", 0);  // expired or unknown: forget it
  ctx.visitor = ctx.web.csrf().ForRequest(ctx.req);
  http::Response res = ctx.web.csrf().Check(ctx.req, ctx.submitted_csrf) ? then(ctx)
                                                                        : CsrfRefused(ctx);
  FinishResponse(false, ctx.visitor, ctx.set_cookies, res);
  return res;
}

// Wraps a handler with session resolution, CSRF checking and cookie writing. When
// `reads_session` (the handler's use case reads the session in its own transaction), a
// request on the I/O thread whose session is not in memory is given to the handler
// with Ctx::session_unread instead of moving to a worker to read it; the handler then
// checks the session and the CSRF token, or calls RunOnWorker.
static http::Handler Wrap(WebApp& web, PageFn fn, bool reads_session) {
  return [&web, fn = std::move(fn), reads_session](http::Request& req) -> http::Response {
    Ctx ctx{req, web};
    if (auto token = http::FindCookie(req.Header(http::bhttp::field::cookie), kSessionCookie);
        token && !token->empty()) {
      if (req.on_io_thread()) {  // must not block: only a session already in memory
        auto cached = web.app().accounts().CachedSession(*token);
        if (cached) {
          ctx.session = std::move(cached);
        } else if (reads_session) {
          ctx.session_unread = true;
        } else {
          req.RunOnWorker();
          return http::Response{};
        }
        ctx.session_token = *token;
      }
    }
    if (auto token = http::FindCookie(req.Header(http::bhttp::field::cookie), kSessionCookie);
        token && !token->empty() && !ctx.session && !ctx.session_unread) {
      auto session = web.app().accounts().ResolveSession(*token);
      if (session.ok()) {
        ctx.session = std::move(session).value();
        ctx.session_token = *token;
      } else if (session.error().code == ErrorCode::kUnauthenticated) {
        ctx.SetSessionCookie("", 0);  // expired or unknown: forget it
      } else {
        LogError(req, session.error());
        return req.WantsJson() ? ApiError(ctx, session.error()) : ErrorPage(ctx, session.error());
      }
    }
    if (!ctx.session && !ctx.session_unread) ctx.visitor = web.csrf().ForRequest(req);

    if (http::CsrfGuard::IsStateChanging(req.method())) {
      if (auto parsed = ParseFormBody(ctx); !parsed.ok()) {
        if (ctx.session_unread) {  // the session decides which error comes first
          req.RunOnWorker();
          return http::Response{};
        }
        return req.WantsJson() ? ApiError(ctx, parsed.error()) : ErrorPage(ctx, parsed.error());
      }
      ctx.submitted_csrf = SubmittedToken(ctx);
      bool ok = ctx.session_unread ||
                (ctx.session ? app::Accounts::CsrfMatches(*ctx.session, ctx.submitted_csrf)
                             : web.csrf().Check(req, ctx.submitted_csrf));
      if (!ok) return CsrfRefused(ctx);
    } else if (ctx.session_unread) {
      req.RunOnWorker();
      return http::Response{};
    }

    http::Response res = fn(ctx);
    if (req.deferred() || req.wants_worker()) return res;  // sent by Ctx::Defer's function, or again on a worker
    FinishResponse(ctx.session.has_value(), ctx.visitor, ctx.set_cookies, res);
    return res;
  };
}

namespace {
// Routes whose handlers read the session in their use case's own transaction (see Wrap
// and ConfigureServer): casting a ballot through the API.
bool ReadsSession(Method m, const std::string& pattern) {
  return m == Method::post && pattern == "/api/pb/rounds/{round}/ballot";
}
}  // namespace

void WebApp::AddPageRoutes() {
  auto add = [this](Method m, std::string pattern, PageFn fn) {
    const bool reads_session = ReadsSession(m, pattern);
    router_.Add(m, std::move(pattern), Wrap(*this, std::move(fn), reads_session));
  };
  AddPages(*this, add);
  AddPanelPages(*this, add);
  AddForumPages(*this, add);
}

void WebApp::AddApiRoutes() {
  auto add = [this](Method m, std::string pattern, PageFn fn) {
    const bool reads_session = ReadsSession(m, pattern);
    router_.Add(m, std::move(pattern), Wrap(*this, std::move(fn), reads_session));
  };
  AddApi(*this, add);
  AddPbRoutes(*this, add);
  AddPanelApi(*this, add);
  AddForumApi(*this, add);
}

}  // namespace communitise::web
