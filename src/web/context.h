// Internal to src/web: what a handler gets for one request, and the helpers every
// handler uses to read input and render output.
#ifndef COMMUNITISE_WEB_CONTEXT_H_
#define COMMUNITISE_WEB_CONTEXT_H_

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "communitise/app/app.h"
#include "communitise/http/forms.h"
#include "communitise/http/message.h"
#include "communitise/web/web_app.h"

namespace communitise::web {

inline constexpr std::string_view kSessionCookie = "communitise_session";

struct Ctx {
  Ctx(http::Request& r, WebApp& w) : req(r), web(w) {}
  http::Request& req;
  WebApp& web;
  std::optional<app::Session> session;  // a valid session from the cookie
  std::string session_token;
  // Only for a route whose handler reads the session itself (see Wrap): the request
  // has a session cookie whose session is not in memory and was not read, so neither
  // `session` nor the CSRF check is done; `submitted_csrf` is the token it carried.
  bool session_unread = false;
  std::string submitted_csrf;
  http::CsrfGuard::Visitor visitor;      // for visitors without a session
  http::Form form;                       // urlencoded or multipart fields (POST)
  std::vector<http::UploadedFile> files; // multipart uploads
  std::vector<std::string> set_cookies;  // Set-Cookie values to add to the response

  app::App& app() { return web.app(); }
  const app::Actor* actor() const {
    return session && session->actor ? &*session->actor : nullptr;
  }
  // The token for forms and for API clients.
  std::string CsrfToken() const { return session ? session->csrf_token : visitor.token; }
  // Replaces the session cookie (sign-in/up) or deletes it (token empty).
  void SetSessionCookie(const std::string& token, int64_t max_age_seconds);

  // Answers later (http::Request::Defer): returns the function that finishes the answer
  // as a normal return would (cookies, headers) and sends it; call it exactly once, from
  // any thread. A Ctx made for the same request (Ctx{req, web}) may render the answer
  // there. Empty when the server cannot defer: the handler then answers before it
  // returns, and its return value is the answer.
  std::function<void(http::Response)> Defer();
};

using PageFn = std::function<http::Response(Ctx&)>;

// The answer a request gets when its session cookie names no live session and it was
// handled as a visitor's: the cookie is deleted, and a state-changing request whose CSRF
// token does not match the visitor's is refused (what Wrap does before any handler).
// For handlers that read the session themselves (Ctx::session_unread): `then` gives the
// answer when the CSRF check passes.
http::Response AnswerWithoutSession(Ctx& ctx, const std::function<http::Response(Ctx&)>& then);
// The refusal of a state-changing request whose CSRF token does not match.
http::Response CsrfRefused(Ctx& ctx);

// --- rendering -------------------------------------------------------------------------
// Renders templates/<name>.mustache with `data` inside the page layout.
http::Response RenderPage(Ctx& ctx, std::string_view name, const std::string& title,
                          nlohmann::json data,
                          http::HttpStatus status = http::HttpStatus::ok);
// Renders a page with an error summary (GOV.UK pattern) when `error` has field errors:
// data gets "errors" (list of {field, message, href}) and "error_<field>" entries.
http::Response RenderForm(Ctx& ctx, std::string_view name, const std::string& title,
                          nlohmann::json data, const Error* error);
// An error as a page (HTML) or JSON (API), with the status from HttpStatusFor.
http::Response ErrorPage(Ctx& ctx, const Error& error);
http::Response ApiError(Ctx& ctx, const Error& error);
http::Response Json(Ctx& ctx, const nlohmann::json& body,
                    http::HttpStatus status = http::HttpStatus::ok);
http::Response SeeOther(Ctx& ctx, const std::string& location);
// Sends an anonymous visitor to sign in, coming back to this page afterwards.
http::Response SignInFirst(Ctx& ctx);

// --- input -----------------------------------------------------------------------------
// The JSON object in the request body. Errors: kInvalidArgument naming the problem.
Result<nlohmann::json> JsonBody(Ctx& ctx);

// Reads typed fields from a JSON object, collecting field errors.
class JsonFields {
 public:
  explicit JsonFields(const nlohmann::json& j) : j_(j) {}
  std::string Str(const std::string& name);
  std::vector<std::string> StrList(const std::string& name);
  std::optional<int64_t> Int(const std::string& name);
  bool Bool(const std::string& name);
  bool Has(const std::string& name) const { return j_.contains(name) && !j_[name].is_null(); }
  // kInvalidArgument listing every field problem, or Ok.
  Status Check() const;

 private:
  const nlohmann::json& j_;
  std::vector<FieldError> errors_;
};

// Parses a whole number from a form field; nullopt (with a field error) when malformed.
std::optional<int64_t> FormInt(const http::Form& form, const std::string& field,
                               const std::string& message, std::vector<FieldError>* errors);

// The programme named by {id}: a number, or a slug.
Result<app::Programme> ProgrammeFromParam(Ctx& ctx);
// Whether to offer management links; the application layer makes the real decision.
bool CanManage(const app::Actor* actor, const app::Programme& p);  // members, applications
bool CanAmend(const app::Actor* actor, const app::Programme& p);   // constitution
bool CanManageBody(const app::Actor* actor, int64_t public_body_id);

// --- views shared by pages and the API --------------------------------------------------
nlohmann::json ProgrammeJson(const app::Programme& p);
nlohmann::json ScopeJson(const app::ProgrammeScope& s);
nlohmann::json RulesJson(const app::ConstitutionRules& r);
nlohmann::json ConstitutionJson(const app::Constitution& c);
nlohmann::json MembershipJson(const app::Membership& m);
nlohmann::json HistoryJson(const app::HistoryEntry& h);
nlohmann::json AreaJson(const app::Area& a);
nlohmann::json BodyJson(const app::PublicBody& b);

// Routes
void AddPages(WebApp& web, const std::function<void(http::Method, std::string, PageFn)>& on);
void AddApi(WebApp& web, const std::function<void(http::Method, std::string, PageFn)>& on);
// Participatory budgeting: pages (pb_pages.cpp) and API (pb_api.cpp).
void AddPbRoutes(WebApp& web, const std::function<void(http::Method, std::string, PageFn)>& on);
// Resident panels and forums: panel_pages.cpp, forum_pages.cpp, panel_api.cpp.
void AddPanelPages(WebApp& web, const std::function<void(http::Method, std::string, PageFn)>& on);
void AddForumPages(WebApp& web, const std::function<void(http::Method, std::string, PageFn)>& on);
void AddPanelApi(WebApp& web, const std::function<void(http::Method, std::string, PageFn)>& on);
// Forums (forum_api.cpp).
void AddForumApi(WebApp& web, const std::function<void(http::Method, std::string, PageFn)>& on);
// What the programme page shows of forums: overdue responses.
nlohmann::json ForumProgrammeSummary(Ctx& ctx, int64_t programme_id);

}  // namespace communitise::web

#endif  // COMMUNITISE_WEB_CONTEXT_H_
