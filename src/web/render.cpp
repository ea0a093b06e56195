// Rendering and input helpers shared by the page and API handlers (context.h).
#include <kainjow/mustache.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <memory>
#include <unordered_map>

#include "communitise/core/clock.h"
#include "communitise/web/errors.h"
#include "context.h"
#include "embedded.h"

namespace communitise::web {

using http::HttpStatus;
using nlohmann::json;
namespace mst = kainjow::mustache;

namespace {

mst::data ToMustache(const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      mst::data d{mst::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), ToMustache(it.value()));
      return d;
    }
    case json::value_t::array: {
      mst::data d{mst::data::type::list};
      for (const auto& v : j) d.push_back(ToMustache(v));
      return d;
    }
    // An empty string is false, so `{{#x}}` sections skip it; `{{x}}` renders nothing
    // either way.
    case json::value_t::string:
      return j.get_ref<const std::string&>().empty() ? mst::data(false)
                                                     : mst::data(j.get<std::string>());
    case json::value_t::boolean: return mst::data(j.get<bool>());
    case json::value_t::null: return mst::data(false);
    default: return mst::data(j.dump());
  }
}

// Parsed templates, one set per thread: kainjow's render() is not const.
mst::mustache& Template(std::string_view name) {
  thread_local std::unordered_map<std::string, std::unique_ptr<mst::mustache>> cache;
  std::string key(name);
  auto it = cache.find(key);
  if (it == cache.end()) {
    std::string text(Embedded("templates/" + key + ".mustache"));
    auto tmpl = std::make_unique<mst::mustache>(text);
    if (text.empty() || !tmpl->is_valid()) {
      spdlog::critical("template {} is missing or invalid: {}", key, tmpl->error_message());
    }
    it = cache.emplace(key, std::move(tmpl)).first;
  }
  return *it->second;
}

std::string Render(std::string_view name, const json& data) {
  return Template(name).render(ToMustache(data));
}

std::string FieldId(const std::string& field) {
  // Anchor of the first input of a field (checkbox and radio groups use name-0).
  return field;
}

}  // namespace

http::Response RenderPage(Ctx& ctx, std::string_view name, const std::string& title,
                          json data, HttpStatus status) {
  const app::Actor* actor = ctx.actor();
  data["csrf_token"] = ctx.CsrfToken();
  data["signed_in"] = actor != nullptr;
  if (actor) data["user_name"] = actor->display_name;
  std::string content = Render(name, data);
  json layout = {{"title", title},
                 {"content", content},
                 {"signed_in", actor != nullptr},
                 {"user_name", actor ? actor->display_name : ""},
                 {"csrf_token", ctx.CsrfToken()},
                 {"has_errors", data.contains("errors") && !data["errors"].empty()},
                 {"errors", data.value("errors", json::array())},
                 {"nav_programmes", ctx.req.path.rfind("/programmes", 0) == 0},
                 {"nav_home", ctx.req.path == "/"},
                 {"nav_sign_in", ctx.req.path == "/sign-in"},
                 {"nav_sign_up", ctx.req.path == "/sign-up"}};
  return http::MakeResponse(ctx.req, status, "text/html; charset=utf-8", Render("layout", layout));
}

http::Response RenderForm(Ctx& ctx, std::string_view name, const std::string& title,
                          json data, const Error* error) {
  if (!error) return RenderPage(ctx, name, title, std::move(data));
  json errors = json::array();
  for (const auto& f : error->fields) {
    errors.push_back({{"field", f.field}, {"message", f.message}, {"href", "#" + FieldId(f.field)}});
    if (!data.contains("error_" + f.field)) data["error_" + f.field] = f.message;
  }
  if (error->fields.empty()) {
    errors.push_back({{"field", ""}, {"message", error->public_message}, {"href", "#main-content"}});
  }
  data["errors"] = errors;
  LogError(ctx.req, *error);
  return RenderPage(ctx, name, title, std::move(data), HttpStatusFor(error->code));
}

http::Response ErrorPage(Ctx& ctx, const Error& error) {
  LogError(ctx.req, error);
  HttpStatus status = HttpStatusFor(error.code);
  std::string title;
  switch (status) {
    case HttpStatus::not_found: title = "Page not found"; break;
    case HttpStatus::forbidden: title = "You cannot do that"; break;
    case HttpStatus::unauthorized: title = "You need to sign in"; break;
    case HttpStatus::bad_request: title = "There is a problem with your request"; break;
    case HttpStatus::conflict: title = "That cannot be done now"; break;
    case HttpStatus::too_many_requests: title = "Too many attempts"; break;
    default: title = "Sorry, there is a problem with the service";
  }
  std::string message = error.public_message;
  if (error.code == ErrorCode::kInternal || message.empty()) {
    message = "Try again later.";
  }
  json fields = json::array();
  for (const auto& f : error.fields) fields.push_back({{"field", f.field}, {"message", f.message}});
  json data = {{"heading", title},
               {"message", message},
               {"fields", fields},
               {"has_fields", !error.fields.empty()},
               {"is_404", status == HttpStatus::not_found}};
  return RenderPage(ctx, "error", title, std::move(data), status);
}

http::Response ApiError(Ctx& ctx, const Error& error) {
  LogError(ctx.req, error);
  return Json(ctx, ErrorJson(error), HttpStatusFor(error.code));
}

http::Response Json(Ctx& ctx, const json& body, HttpStatus status) {
  return http::MakeResponse(ctx.req, status, "application/json", body.dump());
}

http::Response SeeOther(Ctx& ctx, const std::string& location) {
  return http::Redirect(ctx.req, location, HttpStatus::see_other);
}

http::Response SignInFirst(Ctx& ctx) {
  std::string next = std::string(http::Sv(ctx.req.raw.target()));
  if (ctx.req.method() != http::Method::get) next = "/";
  return SeeOther(ctx, "/sign-in?next=" + http::PercentEncode(next));
}

Result<json> JsonBody(Ctx& ctx) {
  auto type = ctx.req.Header(http::bhttp::field::content_type);
  if (type.rfind("application/json", 0) != 0) {
    return Error::InvalidArgument("Send the request body as JSON (Content-Type: application/json)");
  }
  json j = json::parse(ctx.req.body(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Find where parsing stops, for a useful message.
    std::string where;
    try {
      json unused = json::parse(ctx.req.body());
      (void)unused;
    } catch (const json::parse_error& e) {
      where = " at byte " + std::to_string(e.byte);
    }
    return Error::InvalidArgument("The request body is not valid JSON" + where);
  }
  if (!j.is_object()) return Error::InvalidArgument("The request body must be a JSON object");
  return j;
}

std::string JsonFields::Str(const std::string& name) {
  if (!Has(name)) return {};
  const auto& v = j_[name];
  if (!v.is_string()) {
    errors_.push_back({name, "Must be text"});
    return {};
  }
  return v.get<std::string>();
}

std::vector<std::string> JsonFields::StrList(const std::string& name) {
  std::vector<std::string> out;
  if (!Has(name)) return out;
  const auto& v = j_[name];
  if (!v.is_array()) {
    errors_.push_back({name, "Must be a list of text"});
    return out;
  }
  for (const auto& item : v) {
    if (!item.is_string()) {
      errors_.push_back({name, "Must be a list of text"});
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<int64_t> JsonFields::Int(const std::string& name) {
  if (!Has(name)) return std::nullopt;
  const auto& v = j_[name];
  if (!v.is_number_integer()) {
    errors_.push_back({name, "Must be a whole number"});
    return std::nullopt;
  }
  return v.get<int64_t>();
}

bool JsonFields::Bool(const std::string& name) {
  if (!Has(name)) return false;
  const auto& v = j_[name];
  if (!v.is_boolean()) {
    errors_.push_back({name, "Must be true or false"});
    return false;
  }
  return v.get<bool>();
}

Status JsonFields::Check() const {
  if (errors_.empty()) return Status::Ok();
  return Error::InvalidArgument("Some fields have the wrong type", errors_);
}

std::optional<int64_t> FormInt(const http::Form& form, const std::string& field,
                               const std::string& message, std::vector<FieldError>* errors) {
  auto text = form.Get(field);
  if (!text || text->empty()) return std::nullopt;
  std::string t = *text;
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == ',' || c == ' '; }), t.end());
  int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size()) {
    errors->push_back({field, message});
    return std::nullopt;
  }
  return v;
}

Result<app::Programme> ProgrammeFromParam(Ctx& ctx) {
  const std::string& id = ctx.req.Param("id");
  int64_t n = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec == std::errc() && p == id.data() + id.size()) return ctx.app().programmes().Get(n);
  return ctx.app().programmes().GetBySlug(id);
}

bool CanManageBody(const app::Actor* actor, int64_t body) {
  if (!actor) return false;
  return actor->site_admin || actor->Has(app::Role::kOfficer, body) ||
         actor->Has(app::Role::kAdmin, body);
}

bool CanAmend(const app::Actor* actor, const app::Programme& p) {
  if (!actor) return false;
  return CanManageBody(actor, p.public_body_id) ||
         actor->Has(app::Role::kOfficer, p.public_body_id, p.id) ||
         actor->Has(app::Role::kAdmin, p.public_body_id, p.id);
}

bool CanManage(const app::Actor* actor, const app::Programme& p) {
  if (!actor) return false;
  return CanManageBody(actor, p.public_body_id) ||
         actor->Has(app::Role::kOfficer, p.public_body_id, p.id) ||
         actor->Has(app::Role::kAdmin, p.public_body_id, p.id) ||
         actor->Has(app::Role::kFacilitator, p.public_body_id, p.id) ||
         actor->Has(app::Role::kFacilitator, p.public_body_id);
}

// --- views -------------------------------------------------------------------------------

json ScopeJson(const app::ProgrammeScope& s) {
  json methods = json::array(), quadrants = json::array();
  for (auto m : s.methods) methods.push_back(app::ToString(m));
  for (auto q : s.quadrants) quadrants.push_back(app::ToString(q));
  return {{"at", FormatIso8601(s.at)},
          {"nature", app::ToString(s.nature)},
          {"network", app::ToString(s.network)},
          {"methods", methods},
          {"depth", app::ToString(s.depth)},
          {"depth_level", app::DepthLevel(s.depth)},
          {"quadrants", quadrants},
          {"area_codes", s.area_codes},
          {"services", s.services},
          {"change_note", s.change_note}};
}

json AreaJson(const app::Area& a) {
  return {{"id", a.id}, {"code", a.code}, {"name", a.name}, {"postcode_count", a.postcode_count}};
}

json BodyJson(const app::PublicBody& b) {
  return {{"id", b.id}, {"slug", b.slug}, {"name", b.name}, {"kind", b.kind}};
}

json ProgrammeJson(const app::Programme& p) {
  json areas = json::array();
  for (const auto& a : p.areas) areas.push_back(AreaJson(a));
  return {{"id", p.id},
          {"slug", p.slug},
          {"name", p.name},
          {"summary", p.summary},
          {"public_body_id", p.public_body_id},
          {"public_body_name", p.public_body_name},
          {"eligibility_criteria", p.eligibility_criteria},
          {"annual_budget_pence", p.annual_budget_pence ? json(*p.annual_budget_pence) : json()},
          {"scope", ScopeJson(p.scope)},
          {"areas", areas},
          {"member_count", p.member_count},
          {"created_at", FormatIso8601(p.created_at)}};
}

json RulesJson(const app::ConstitutionRules& r) {
  return json::parse(app::RulesToJson(r), nullptr, false);
}

json ConstitutionJson(const app::Constitution& c) {
  return {{"programme_id", c.programme_id},
          {"version", c.version},
          {"text", c.text},
          {"rules", RulesJson(c.rules)},
          {"change_note", c.change_note},
          {"effective_from", FormatIso8601(c.effective_from)},
          {"created_at", FormatIso8601(c.created_at)}};
}

json MembershipJson(const app::Membership& m) {
  json j = {{"id", m.id},
            {"programme_id", m.programme_id},
            {"programme_name", m.programme_name},
            {"user_id", m.user_id},
            {"display_name", m.display_name},
            {"status", app::ToString(m.status)},
            {"basis", m.basis},
            {"area_name", m.area_name ? json(*m.area_name) : json()},
            {"created_at", FormatIso8601(m.created_at)}};
  if (m.postcode) j["postcode"] = *m.postcode;
  if (m.statement) j["statement"] = *m.statement;
  if (m.email) j["email"] = *m.email;
  if (!m.reason.empty()) j["reason"] = m.reason;
  return j;
}

json HistoryJson(const app::HistoryEntry& h) {
  return {{"seq", h.seq},
          {"at", FormatIso8601(h.at)},
          {"actor", h.actor_name},
          {"action", h.action},
          {"description", h.description},
          {"subject", h.subject},
          {"details", json::parse(h.details_json, nullptr, false)},
          {"hash", h.hash}};
}

}  // namespace communitise::web
