// The JSON API under /api/, plus /healthz and /metrics. Each handler parses the JSON
// body into the application's form struct, calls the use case and renders JSON; every
// error goes through ApiError (errors.h holds the status mapping).
#include <fmt/format.h>

#include <algorithm>

#include "communitise/core/clock.h"
#include "context.h"

namespace communitise::web {

using http::HttpStatus;
using http::Method;
using nlohmann::json;

namespace {

json UserJson(const app::Actor& a) {
  json roles = json::array();
  for (const auto& g : a.roles) {
    roles.push_back({{"role", app::ToString(g.role)},
                     {"public_body_id", g.public_body_id},
                     {"programme_id", g.programme_id}});
  }
  return {{"id", a.user_id}, {"display_name", a.display_name}, {"site_admin", a.site_admin},
          {"roles", roles}};
}

json SessionJson(const Ctx& ctx) {
  json j = {{"signed_in", ctx.actor() != nullptr}, {"csrf_token", ctx.CsrfToken()}};
  if (ctx.actor()) j["user"] = UserJson(*ctx.actor());
  return j;
}

std::string ClientAddress(const Ctx& ctx) {
  auto colon = ctx.req.remote.rfind(':');
  return colon == std::string::npos ? ctx.req.remote : ctx.req.remote.substr(0, colon);
}

template <typename T>
http::Response Or(Ctx& ctx, const Result<T>& r, const std::function<json(const T&)>& view,
                  HttpStatus status = HttpStatus::ok) {
  if (!r.ok()) return ApiError(ctx, r.error());
  return Json(ctx, view(*r), status);
}

// ---- service endpoints -----------------------------------------------------------------

http::Response Healthz(Ctx& ctx) {
  Status s = ctx.app().db().Read([](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1"));
    if (!row) return Error::Internal("SELECT 1 returned no row");
    return Status::Ok();
  });
  if (!s.ok()) {
    Error e = Error::Unavailable("The database is not available", s.error().ToString());
    return ApiError(ctx, e);
  }
  return Json(ctx, {{"status", "ok"}, {"database", "ok"}});
}

// A histogram of the ballot box in the Prometheus text format, with no labels.
void RenderHistogram(std::string& out, std::string_view name, std::string_view help,
                     const app::Histogram& h) {
  http::AppendMetricHeader(out, name, "histogram", help);
  http::AppendHistogram(out, name, "", h.bounds, h.counts, h.count, h.sum);
}

// The ballot box's counters and timings: how many ballots it took, and where a slow
// reply was spent (the batch's transaction, or the flush that makes it durable).
std::string BallotBoxMetrics(const app::BallotBoxStats& s) {
  std::string out;
  out += "# HELP communitise_ballots_total Ballots the ballot box answered, by outcome "
         "(recorded: stored durably; refused: by the rules, the round or the session; "
         "failed: the database failed and the voter was asked to try again).\n"
         "# TYPE communitise_ballots_total counter\n";
  out += fmt::format("communitise_ballots_total{{outcome=\"recorded\"}} {}\n", s.ballots_recorded);
  out += fmt::format("communitise_ballots_total{{outcome=\"refused\"}} {}\n", s.ballots_refused);
  out += fmt::format("communitise_ballots_total{{outcome=\"failed\"}} {}\n", s.ballots_failed);
  out += "# HELP communitise_ballots_waiting Ballots queued for the next transaction.\n"
         "# TYPE communitise_ballots_waiting gauge\n";
  out += fmt::format("communitise_ballots_waiting {}\n", s.waiting);
  RenderHistogram(out, "communitise_ballot_batch_size", "Ballots written in one transaction.",
                  s.batch_ballots);
  RenderHistogram(out, "communitise_ballot_transaction_seconds",
                  "Time to read, check, write and commit one batch of ballots.",
                  s.transaction_seconds);
  RenderHistogram(out, "communitise_ballot_flush_seconds",
                  "Time to make committed batches of ballots durable.", s.flush_seconds);
  return out;
}

http::Response MetricsEndpoint(Ctx& ctx) {
  return http::MakeResponse(ctx.req, HttpStatus::ok, "text/plain; version=0.0.4",
                            ctx.web.metrics().Render() +
                                BallotBoxMetrics(ctx.app().pb_rounds().BallotBox()));
}

http::Response OpenApi(Ctx& ctx) {
  auto res = http::MakeResponse(ctx.req, HttpStatus::ok, "application/json",
                                std::string(WebApp::OpenApiDocument()));
  res.set(http::bhttp::field::cache_control, "public, max-age=300");
  return res;
}

// ---- session and accounts --------------------------------------------------------------

http::Response GetSession(Ctx& ctx) { return Json(ctx, SessionJson(ctx)); }

http::Response CreateSession(Ctx& ctx) {
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::SignInForm form{f.Str("email"), f.Str("password")};
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  auto made = ctx.app().accounts().SignIn(ctx.session_token, form, ClientAddress(ctx));
  if (!made.ok()) return ApiError(ctx, made.error());
  ctx.SetSessionCookie(made->token, made->session.expires_at - ctx.app().clock().NowSeconds());
  ctx.session = made->session;
  return Json(ctx, SessionJson(ctx), HttpStatus::created);
}

http::Response DeleteSession(Ctx& ctx) {
  if (!ctx.session_token.empty()) {
    if (auto s = ctx.app().accounts().SignOut(ctx.session_token); !s.ok()) {
      return ApiError(ctx, s.error());
    }
  }
  ctx.SetSessionCookie("", 0);
  return http::MakeResponse(ctx.req, HttpStatus::no_content, "application/json", "");
}

http::Response CreateUser(Ctx& ctx) {
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::SignUpForm form{f.Str("email"), f.Str("password"), f.Str("name")};
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  auto made = ctx.app().accounts().SignUp(ctx.session_token, form);
  if (!made.ok()) return ApiError(ctx, made.error());
  ctx.SetSessionCookie(made->token, made->session.expires_at - ctx.app().clock().NowSeconds());
  ctx.session = made->session;
  return Json(ctx, SessionJson(ctx), HttpStatus::created);
}

http::Response MyMemberships(Ctx& ctx) {
  auto mine = ctx.app().memberships().Mine(ctx.actor());
  return Or<std::vector<app::Membership>>(ctx, mine, [](const auto& list) {
    json out = json::array();
    for (const auto& m : list) out.push_back(MembershipJson(m));
    return json{{"memberships", out}};
  });
}

// ---- public bodies and areas -------------------------------------------------------------

Result<app::PublicBody> BodyParam(Ctx& ctx) {
  const std::string& id = ctx.req.Param("id");
  if (!id.empty() && id.size() < 18 && std::all_of(id.begin(), id.end(), ::isdigit)) {
    return ctx.app().public_bodies().Get(std::stoll(id));
  }
  return ctx.app().public_bodies().GetBySlug(id);
}

http::Response ListBodies(Ctx& ctx) {
  return Or<std::vector<app::PublicBody>>(ctx, ctx.app().public_bodies().List(),
                                          [](const auto& list) {
                                            json out = json::array();
                                            for (const auto& b : list) out.push_back(BodyJson(b));
                                            return json{{"public_bodies", out}};
                                          });
}

http::Response ListAreas(Ctx& ctx) {
  auto body = BodyParam(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  return Or<std::vector<app::Area>>(ctx, ctx.app().public_bodies().ListAreas(body->id),
                                    [](const auto& list) {
                                      json out = json::array();
                                      for (const auto& a : list) out.push_back(AreaJson(a));
                                      return json{{"areas", out}};
                                    });
}

// The CSV comes as the whole body (Content-Type: text/csv) or as the multipart field "file".
http::Response ImportAreas(Ctx& ctx) {
  auto body = BodyParam(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  std::string csv, name = "upload.csv";
  auto type = ctx.req.Header(http::bhttp::field::content_type);
  if (type.rfind("text/csv", 0) == 0) {
    csv = std::string(ctx.req.body());
  } else {
    for (const auto& f : ctx.files) {
      if (f.field == "file") {
        csv = f.data;
        name = f.filename;
      }
    }
  }
  if (csv.empty()) {
    return ApiError(ctx, Error::InvalidArgument(
                             "Send the CSV as text/csv or as the multipart field \"file\"",
                             {{"file", "Choose a CSV file of postcodes and areas"}}));
  }
  auto imported = ctx.app().public_bodies().ImportAreas(ctx.actor(), body->id, csv, name);
  return Or<app::ImportSummary>(
      ctx, imported,
      [](const auto& s) { return json{{"areas", s.areas}, {"postcodes", s.postcodes}}; },
      HttpStatus::created);
}

// ---- programmes --------------------------------------------------------------------------

http::Response ListProgrammes(Ctx& ctx) {
  std::optional<int64_t> body;
  if (auto b = ctx.req.QueryParam("public_body_id")) {
    try {
      body = std::stoll(*b);
    } catch (const std::exception&) {
      return ApiError(ctx, Error::InvalidArgument("Bad query",
                                                  {{"public_body_id", "Must be a whole number"}}));
    }
  }
  return Or<std::vector<app::Programme>>(ctx, ctx.app().programmes().List(body),
                                         [](const auto& list) {
                                           json out = json::array();
                                           for (const auto& p : list) out.push_back(ProgrammeJson(p));
                                           return json{{"programmes", out}};
                                         });
}

http::Response CreateProgramme(Ctx& ctx) {
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::CreateProgrammeForm form;
  form.public_body_id = f.Int("public_body_id").value_or(0);
  form.name = f.Str("name");
  form.slug = f.Str("slug");
  form.summary = f.Str("summary");
  form.nature = f.Str("nature");
  form.services = f.StrList("services");
  form.network = f.Str("network");
  form.areas = f.StrList("areas");
  form.eligibility_criteria = f.Str("eligibility_criteria");
  form.methods = f.StrList("methods");
  form.annual_budget_pence = f.Int("annual_budget_pence");
  form.constitution_text = f.Str("constitution_text");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  if (body->contains("rules") && !(*body)["rules"].is_null()) {
    auto rules = app::RulesFromJson((*body)["rules"].dump());
    if (!rules.ok()) return ApiError(ctx, rules.error());
    form.rules = *rules;
  }
  auto made = ctx.app().programmes().Create(ctx.actor(), form);
  if (!made.ok()) return ApiError(ctx, made.error());
  auto res = Json(ctx, ProgrammeJson(*made), HttpStatus::created);
  res.set(http::bhttp::field::location, "/api/programmes/" + std::to_string(made->id));
  return res;
}

http::Response GetProgramme(Ctx& ctx) {
  return Or<app::Programme>(ctx, ProgrammeFromParam(ctx), ProgrammeJson);
}

http::Response ProgrammeScopes(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  return Or<std::vector<app::ProgrammeScope>>(ctx, ctx.app().programmes().ScopeHistory(p->id),
                                              [](const auto& list) {
                                                json out = json::array();
                                                for (const auto& s : list) out.push_back(ScopeJson(s));
                                                return json{{"scopes", out}};
                                              });
}

// A new scope: the fields given replace the current ones (see UpdateScopeForm).
http::Response UpdateScope(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::UpdateScopeForm form;
  form.nature = f.Str("nature");
  form.services = f.StrList("services");
  form.areas = f.StrList("areas");
  form.methods = f.StrList("methods");
  form.change_note = f.Str("change_note");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::Programme>(ctx, ctx.app().programmes().UpdateScope(ctx.actor(), p->id, form),
                            ProgrammeJson, HttpStatus::created);
}

http::Response GetConstitution(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  return Or<app::Constitution>(ctx, ctx.app().constitutions().Current(p->id), ConstitutionJson);
}

http::Response ConstitutionVersions(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  return Or<std::vector<app::Constitution>>(
      ctx, ctx.app().constitutions().ListVersions(p->id), [](const auto& list) {
        json out = json::array();
        for (const auto& c : list) out.push_back(ConstitutionJson(c));
        return json{{"versions", out}};
      });
}

http::Response AmendConstitution(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::AmendConstitutionForm form;
  form.text = f.Str("text");
  form.change_note = f.Str("change_note");
  form.effective_from = f.Int("effective_from");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  if (!body->contains("rules") || !(*body)["rules"].is_object()) {
    return ApiError(ctx, Error::InvalidArgument("Give the rules", {{"rules", "Must be an object"}}));
  }
  auto rules = app::RulesFromJson((*body)["rules"].dump());
  if (!rules.ok()) return ApiError(ctx, rules.error());
  form.rules = *rules;
  return Or<app::Constitution>(ctx, ctx.app().constitutions().Amend(ctx.actor(), p->id, form),
                               ConstitutionJson, HttpStatus::created);
}

http::Response Join(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::JoinForm form{f.Str("postcode"), f.Bool("confirm_age"), f.Str("statement")};
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::Membership>(ctx, ctx.app().memberships().Join(ctx.actor(), p->id, form),
                             MembershipJson, HttpStatus::created);
}

http::Response LeaveProgramme(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  if (auto s = ctx.app().memberships().Leave(ctx.actor(), p->id); !s.ok()) {
    return ApiError(ctx, s.error());
  }
  return http::MakeResponse(ctx.req, HttpStatus::no_content, "application/json", "");
}

http::Response ListMemberships(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  std::optional<app::MembershipStatus> status;
  if (auto s = ctx.req.QueryParam("status")) {
    for (auto v : {app::MembershipStatus::kActive, app::MembershipStatus::kPending,
                   app::MembershipStatus::kRejected, app::MembershipStatus::kLeft}) {
      if (app::ToString(v) == *s) status = v;
    }
    if (!status) {
      return ApiError(ctx, Error::InvalidArgument(
                               "Bad query", {{"status", "Must be active, pending, rejected or left"}}));
    }
  }
  return Or<std::vector<app::Membership>>(
      ctx, ctx.app().memberships().List(ctx.actor(), p->id, status), [](const auto& list) {
        json out = json::array();
        for (const auto& m : list) out.push_back(MembershipJson(m));
        return json{{"memberships", out}};
      });
}

http::Response Decide(Ctx& ctx) {
  int64_t id = 0;
  try {
    id = std::stoll(ctx.req.Param("id"));
  } catch (const std::exception&) {
    return ApiError(ctx, Error::NotFound("No such membership"));
  }
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::DecideForm form{f.Str("decision"), f.Str("reason")};
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::Membership>(ctx, ctx.app().memberships().Decide(ctx.actor(), id, form),
                             MembershipJson);
}

http::Response History(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  int limit = 100;
  std::optional<int64_t> before;
  try {
    if (auto l = ctx.req.QueryParam("limit")) limit = std::stoi(*l);
    if (auto b = ctx.req.QueryParam("before")) before = std::stoll(*b);
  } catch (const std::exception&) {
    return ApiError(ctx, Error::InvalidArgument("Bad query", {{"limit", "Must be a whole number"}}));
  }
  return Or<std::vector<app::HistoryEntry>>(
      ctx, ctx.app().history().ForProgramme(p->id, limit, before), [](const auto& list) {
        json out = json::array();
        for (const auto& h : list) out.push_back(HistoryJson(h));
        return json{{"entries", out}};
      });
}

}  // namespace

void AddApi(WebApp&, const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/healthz", Healthz);
  on(Method::get, "/metrics", MetricsEndpoint);
  on(Method::get, "/api/openapi.json", OpenApi);
  on(Method::get, "/api/session", GetSession);
  on(Method::post, "/api/session", CreateSession);
  on(Method::delete_, "/api/session", DeleteSession);
  on(Method::post, "/api/users", CreateUser);
  on(Method::get, "/api/me/memberships", MyMemberships);
  on(Method::get, "/api/bodies", ListBodies);
  on(Method::get, "/api/bodies/{id}/areas", ListAreas);
  on(Method::post, "/api/bodies/{id}/areas", ImportAreas);
  on(Method::get, "/api/programmes", ListProgrammes);
  on(Method::post, "/api/programmes", CreateProgramme);
  on(Method::get, "/api/programmes/{id}", GetProgramme);
  on(Method::get, "/api/programmes/{id}/scopes", ProgrammeScopes);
  on(Method::post, "/api/programmes/{id}/scopes", UpdateScope);
  on(Method::get, "/api/programmes/{id}/constitution", GetConstitution);
  on(Method::post, "/api/programmes/{id}/constitution", AmendConstitution);
  on(Method::get, "/api/programmes/{id}/constitution/versions", ConstitutionVersions);
  on(Method::post, "/api/programmes/{id}/join", Join);
  on(Method::delete_, "/api/programmes/{id}/membership", LeaveProgramme);
  on(Method::get, "/api/programmes/{id}/memberships", ListMemberships);
  on(Method::post, "/api/memberships/{id}/decision", Decide);
  on(Method::get, "/api/programmes/{id}/history", History);
}

}  // namespace communitise::web
