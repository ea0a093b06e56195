// Resident panel pages: the programme's panels, one panel (public make-up and chances,
// the organiser's steps), the selection's progress, registrations (organisers only),
// printable invitation letters and registration with a code. Every form works without
// JavaScript; a running selection's page reloads itself with the Refresh header.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "communitise/core/clock.h"
#include "context.h"

namespace communitise::web {

using http::Method;
using nlohmann::json;

namespace {

Result<int64_t> IdParam(Ctx& ctx, const std::string& name) {
  const std::string& s = ctx.req.Param(name);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size()) return Error::NotFound("Page not found");
  return n;
}

Result<app::Panel> PanelFromParam(Ctx& ctx) {
  ASSIGN_OR_RETURN(int64_t id, IdParam(ctx, "panel"));
  return ctx.app().panels().Get(id);
}

std::string Percent(double p) { return fmt::format("{:.1f}%", 100 * p); }

// A bar chart of sorted probabilities: one bar per respondent, with the equal-chance
// line k/n. The table beside it carries the same figures for screen readers.
std::string ProbabilitySvg(const std::vector<double>& sorted, int k) {
  if (sorted.empty()) return "";
  const int w = 600, h = 200;
  const double top = std::max(*std::max_element(sorted.begin(), sorted.end()), 1e-9);
  const double bar = static_cast<double>(w) / sorted.size();
  std::string out = fmt::format(
      "<svg class=\"app-picture\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-labelledby=\"chances-title chances-desc\"><title id=\"chances-title\">Each "
      "respondent's chance of selection, lowest first</title><desc id=\"chances-desc\">{} "
      "respondents; lowest {}, highest {}; an equal share would be {}.</desc>",
      w, h + 20, sorted.size(), Percent(sorted.front()), Percent(sorted.back()),
      Percent(static_cast<double>(k) / sorted.size()));
  for (size_t i = 0; i < sorted.size(); ++i) {
    const double bh = h * sorted[i] / top;
    out += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" "
                       "fill=\"#1d70b8\"/>",
                       i * bar, h - bh, std::max(bar - 1, 0.5), bh);
  }
  const double eq = h - h * (static_cast<double>(k) / sorted.size()) / top;
  out += fmt::format("<line x1=\"0\" x2=\"{}\" y1=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"#d4351c\" "
                     "stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"4\" y=\"{}\" "
                     "font-size=\"14\" fill=\"#0b0c0c\">Dashed line: equal chance</text></svg>",
                     w, eq, eq, h + 16);
  return out;
}

// Horizontal bars per quota value: the panel's share beside the population's.
std::string MakeUpSvg(const std::vector<app::MakeUpRow>& rows, int k) {
  if (rows.empty()) return "";
  const int row_h = 26, label_w = 200, w = 600;
  const int h = static_cast<int>(rows.size()) * row_h + 10;
  std::string out = fmt::format(
      "<svg class=\"app-picture\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-labelledby=\"makeup-title\"><title id=\"makeup-title\">The panel's make-up by "
      "quota (blue: panel; grey: population where known); the table below gives the "
      "figures</title>",
      w, h);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const int y = static_cast<int>(i) * row_h + 5;
    const double share = k > 0 ? static_cast<double>(r.panel) / k : 0;
    out += fmt::format("<text x=\"0\" y=\"{}\" font-size=\"13\" fill=\"#0b0c0c\">{}: {}</text>",
                       y + 15, http::HtmlEscape(r.category), http::HtmlEscape(r.value));
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"10\" fill=\"#1d70b8\"/>",
                       label_w, y + 2, (w - label_w) * share);
    if (r.population_percent) {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"8\" fill=\"#505a5f\"/>",
                         label_w, y + 13, (w - label_w) * *r.population_percent / 100);
    }
  }
  return out + "</svg>";
}

json PanelSummary(const app::Panel& p) {
  return {{"id", p.id},
          {"panel_id", p.id},
          {"name", p.name},
          {"panel_size", p.panel_size},
          {"programme_slug", p.programme_slug},
          {"address_count", p.address_count},
          {"invitation_count", p.invitation_count},
          {"respondent_count", p.respondent_count},
          {"seed", p.invitation_seed.value_or("")},
          {"seed_published", p.invitation_seed_published_at
                                 ? FormatLongDate(*p.invitation_seed_published_at)
                                 : ""},
          {"invitations_drawn", p.invitations_drawn_at.has_value()},
          {"draw_seed", p.draw_seed.value_or("")},
          {"drawn", p.drawn_at.has_value()}};
}

json SelectionJson(const app::Selection& s, int k) {
  std::vector<double> sorted = s.probabilities;
  std::sort(sorted.begin(), sorted.end());
  return {{"id", s.id},
          {"status", std::string(app::ToString(s.status))},
          {"running", s.status == app::SelectionStatus::kQueued ||
                          s.status == app::SelectionStatus::kRunning},
          {"done", s.status == app::SelectionStatus::kDone},
          {"infeasible", s.status == app::SelectionStatus::kInfeasible},
          {"failed", s.status == app::SelectionStatus::kFailed},
          {"algorithm", s.algorithm == "legacy" ? "legacy greedy" : "LEXIMIN"},
          {"panel_id", s.panel_id},
          {"attempts", s.attempts},
          {"max_attempts", app::kMaxSelectionAttempts},
          {"resumed", s.attempts > 1},
          {"stalled", s.stalled},
          {"stage", s.progress.stage},
          {"round", s.progress.round},
          {"panels", s.progress.panels},
          {"fixed_types", s.progress.fixed_types},
          {"types", s.progress.types},
          {"value", Percent(s.progress.value)},
          {"seconds", fmt::format("{:.1f}", s.seconds)},
          {"min_probability", Percent(s.min_probability)},
          {"max_probability", Percent(s.max_probability)},
          {"equal_share", s.probabilities.empty()
                              ? ""
                              : Percent(static_cast<double>(k) / s.probabilities.size())},
          {"distribution_panels", s.distribution_panels},
          {"chart", ProbabilitySvg(sorted, k)},
          {"summary", s.summary},
          {"conflicts", s.conflicts},
          {"changes", [&] {
             json c = json::array();
             for (const auto& x : s.changes) {
               c.push_back({{"category", x.category}, {"value", x.value},
                            {"old", fmt::format("{} to {}", x.old_min, x.old_max)},
                            {"new", fmt::format("{} to {}", x.new_min, x.new_max)}});
             }
             return c;
           }()},
          {"error", s.error}};
}

Result<json> PanelData(Ctx& ctx, const app::Panel& p) {
  json data = PanelSummary(p);
  const bool organiser = ctx.app().panels().CanOrganise(ctx.actor(), p);
  data["organiser"] = organiser;
  data["can_import"] = organiser && !p.invitations_drawn_at;
  data["can_publish_seed"] = organiser && !p.invitation_seed;
  data["can_draw_invitations"] =
      organiser && p.invitation_seed && !p.invitations_drawn_at && p.address_count > 0;
  data["can_select"] = organiser && p.invitations_drawn_at && !p.drawn_at;
  ASSIGN_OR_RETURN(auto makeup, ctx.app().panels().MakeUp(p.id));
  json rows = json::array();
  for (const auto& r : makeup) {
    rows.push_back({{"category", r.category},
                    {"value", r.value},
                    {"range", fmt::format("{} to {}", r.min, r.max)},
                    {"panel", r.panel},
                    {"population", r.population_percent ? fmt::format("{:.1f}%", *r.population_percent)
                                                        : "not given"}});
  }
  data["makeup"] = rows;
  data["makeup_svg"] = p.drawn_at ? MakeUpSvg(makeup, p.panel_size) : "";
  ASSIGN_OR_RETURN(auto latest, ctx.app().panels().LatestSelection(ctx.actor(), p.id));
  if (latest) {
    data["selection"] = SelectionJson(*latest, p.panel_size);
    data["can_draw_panel"] = organiser && !p.drawn_at && latest->status == app::SelectionStatus::kDone;
  }
  ASSIGN_OR_RETURN(auto members, ctx.app().panels().Members(p.id));
  json current = json::array(), gone = json::array();
  for (const auto& m : members) {
    json j{{"id", m.id}, {"name", m.display_name}, {"note", m.note},
           {"replacement", m.status == "replacement"}, {"panel_id", p.id}};
    (m.status == "dropped_out" ? gone : current).push_back(j);
  }
  data["members"] = current;
  data["dropped_out"] = gone;
  data["has_dropped_out"] = !gone.empty();
  return data;
}

http::Response PanelsPage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto panels = ctx.app().panels().ListForProgramme(p->id);
  if (!panels.ok()) return ErrorPage(ctx, panels.error());
  json list = json::array();
  for (const auto& x : *panels) list.push_back(PanelSummary(x));
  json data{{"programme_name", p->name}, {"programme_slug", p->slug}, {"programme_id", p->id},
            {"panels", list}, {"has_panels", !list.empty()},
            {"can_create", CanManage(ctx.actor(), *p)}};
  return RenderPage(ctx, "panel_list", "Resident panels: " + p->name, data);
}

http::Response CreatePanelSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  std::vector<FieldError> errors;
  auto size = FormInt(ctx.form, "panel_size", "Enter the panel size as a whole number", &errors);
  app::CreatePanelForm form{ctx.form.GetOr("name"), size ? static_cast<int>(*size) : 0,
                            ctx.form.GetOr("quotas"), 1};
  const std::string population = ctx.form.GetOr("population");
  Result<app::Panel> made = Error::InvalidArgument("Check the form", errors);
  if (errors.empty()) {
    if (!population.empty() && form.quotas_csv.empty()) {
      auto derived = app::QuotasFromPopulation(population, form.panel_size);
      if (derived.ok()) {
        std::string csv = "category,feature,min,max\n";
        for (const auto& c : *derived) {
          for (const auto& v : c.values) {
            csv += c.name + "," + v.name + "," + std::to_string(v.min) + "," + std::to_string(v.max) + "\n";
          }
        }
        form.quotas_csv = csv;
        made = ctx.app().panels().Create(ctx.actor(), p->id, form);
        if (made.ok()) made = ctx.app().panels().SetQuotas(ctx.actor(), made->id, *derived);
      } else {
        made = derived.error();
      }
    } else {
      made = ctx.app().panels().Create(ctx.actor(), p->id, form);
    }
  }
  if (!made.ok()) {
    if (made.error().code != ErrorCode::kInvalidArgument) return ErrorPage(ctx, made.error());
    json data{{"programme_name", p->name}, {"programme_slug", p->slug}, {"programme_id", p->id},
              {"panels", json::array()}, {"can_create", true},
              {"name", ctx.form.GetOr("name")}, {"panel_size", ctx.form.GetOr("panel_size")},
              {"quotas", ctx.form.GetOr("quotas")}, {"population", population}};
    return RenderForm(ctx, "panel_list", "Resident panels: " + p->name, data, &made.error());
  }
  return SeeOther(ctx, "/panels/" + std::to_string(made->id));
}

http::Response PanelPage(Ctx& ctx) {
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto data = PanelData(ctx, *p);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "panel", p->name, *data);
}

// Renders the panel page with a form's errors, or follows the redirect.
http::Response AfterPanelAction(Ctx& ctx, const app::Panel& p, const Status& s) {
  if (s.ok()) return SeeOther(ctx, "/panels/" + std::to_string(p.id));
  if (s.error().code != ErrorCode::kInvalidArgument) return ErrorPage(ctx, s.error());
  auto fresh = ctx.app().panels().Get(p.id);
  auto data = PanelData(ctx, fresh.ok() ? *fresh : p);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  (*data)["seed_value"] = ctx.form.GetOr("seed");
  (*data)["count_value"] = ctx.form.GetOr("count");
  return RenderForm(ctx, "panel", p.name, *data, &s.error());
}

http::Response ImportAddressesSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  const http::UploadedFile* file = nullptr;
  for (const auto& f : ctx.files) {
    if (f.field == "file" && !f.data.empty()) file = &f;
  }
  if (!file) return AfterPanelAction(ctx, *p, Error::Field("file", "Choose the CSV file of addresses"));
  return AfterPanelAction(
      ctx, *p, ctx.app().panels().ImportAddresses(ctx.actor(), p->id, file->data, file->filename).status());
}

http::Response PublishSeedSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  return AfterPanelAction(
      ctx, *p, ctx.app().panels().PublishInvitationSeed(ctx.actor(), p->id, ctx.form.GetOr("seed")).status());
}

http::Response DrawInvitationsSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  std::vector<FieldError> errors;
  auto count = FormInt(ctx.form, "count", "Enter how many addresses to invite", &errors);
  if (!count) return AfterPanelAction(ctx, *p, Error::InvalidArgument("Check the number", errors));
  return AfterPanelAction(
      ctx, *p, ctx.app().panels().DrawInvitations(ctx.actor(), p->id, static_cast<int>(*count)).status());
}

http::Response StartSelectionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto s = ctx.app().panels().StartSelection(ctx.actor(), p->id, ctx.form.GetOr("algorithm", "leximin"));
  if (!s.ok()) return AfterPanelAction(ctx, *p, s.status());
  return SeeOther(ctx, "/panels/" + std::to_string(p->id) + "/selections/" + std::to_string(s->id));
}

http::Response SelectionPage(Ctx& ctx) {
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto id = IdParam(ctx, "selection");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto s = ctx.app().panels().GetSelection(ctx.actor(), *id);
  if (!s.ok() || s->panel_id != p->id) return ErrorPage(ctx, Error::NotFound("No such selection"));
  json data = PanelSummary(*p);
  data["selection"] = SelectionJson(*s, p->panel_size);
  const bool organiser = ctx.app().panels().CanOrganise(ctx.actor(), *p);
  data["can_draw_panel"] = organiser && !p->drawn_at && s->status == app::SelectionStatus::kDone;
  data["selection"]["can_cancel"] = organiser && data["selection"]["running"].get<bool>();
  http::Response res = RenderPage(ctx, "panel_selection", "Selection for " + p->name, data);
  // Reloads itself while the worker runs; works without JavaScript.
  if (data["selection"]["running"].get<bool>()) res.set("Refresh", "2");
  return res;
}

http::Response CancelSelectionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto id = IdParam(ctx, "selection");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto s = ctx.app().panels().GetSelection(ctx.actor(), *id);
  if (!s.ok() || s->panel_id != p->id) return ErrorPage(ctx, Error::NotFound("No such selection"));
  auto stopped = ctx.app().panels().CancelSelection(ctx.actor(), *id);
  if (!stopped.ok()) return ErrorPage(ctx, stopped.error());
  return SeeOther(ctx, "/panels/" + std::to_string(p->id) + "/selections/" + std::to_string(*id));
}

http::Response DrawPanelSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  std::vector<FieldError> errors;
  auto selection = FormInt(ctx.form, "selection_id", "Choose the selection", &errors);
  if (!selection) return AfterPanelAction(ctx, *p, Error::InvalidArgument("Check the form", errors));
  return AfterPanelAction(
      ctx, *p, ctx.app().panels().DrawPanel(ctx.actor(), p->id, *selection, ctx.form.GetOr("seed")).status());
}

http::Response ReplaceSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto member = IdParam(ctx, "member");
  if (!member.ok()) return ErrorPage(ctx, member.error());
  return AfterPanelAction(
      ctx, *p, ctx.app().panels().ReplaceMember(ctx.actor(), p->id, *member, ctx.form.GetOr("reason")).status());
}

http::Response LettersPage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto letters = ctx.app().panels().Letters(ctx.actor(), p->id);
  if (!letters.ok()) return ErrorPage(ctx, letters.error());
  json list = json::array();
  for (const auto& l : *letters) {
    list.push_back({{"order", l.draw_order}, {"lines", l.lines}, {"postcode", l.postcode},
                    {"area", l.area_name},
                    {"code", l.code.substr(0, 4) + "-" + l.code.substr(4)}});
  }
  json data = PanelSummary(*p);
  data["letters"] = list;
  return RenderPage(ctx, "panel_letters", "Invitation letters: " + p->name, data);
}

http::Response RespondentsPage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto list = ctx.app().panels().ListRespondents(ctx.actor(), p->id);
  if (!list.ok()) return ErrorPage(ctx, list.error());
  json categories = json::array();
  for (const auto& c : p->categories) categories.push_back(c.name);
  json rows = json::array();
  for (const auto& r : *list) {
    json values = json::array();
    for (const auto& c : p->categories) {
      auto it = r.features.find(c.name);
      values.push_back(it == r.features.end() ? "" : it->second);
    }
    rows.push_back({{"id", "r" + std::to_string(r.id)}, {"name", r.display_name},
                    {"area", r.area_name}, {"values", values}, {"availability", r.availability},
                    {"status", r.member_status}});
  }
  json data = PanelSummary(*p);
  data["categories"] = categories;
  data["respondents"] = rows;
  return RenderPage(ctx, "panel_respondents", "Registrations: " + p->name, data);
}

http::Response RespondentsCsv(Ctx& ctx) {
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto csv = ctx.app().panels().ExportRespondentsCsv(ctx.actor(), p->id);
  if (!csv.ok()) return ErrorPage(ctx, csv.error());
  http::Response res = http::MakeResponse(ctx.req, http::HttpStatus::ok, "text/csv; charset=utf-8", *csv);
  res.set("Content-Disposition", "attachment; filename=\"respondents.csv\"");
  return res;
}

json RegisterData(Ctx& ctx, const app::Panel& p, const std::string& code) {
  json categories = json::array();
  int c = 0;
  for (const auto& cat : p.categories) {
    json options = json::array();
    int v = 0;
    const std::string chosen = ctx.form.GetOr("f_" + cat.name);
    for (const auto& val : cat.values) {
      options.push_back({{"value", val.name}, {"id", "f" + std::to_string(c) + "-" + std::to_string(v++)},
                         {"checked", chosen == val.name}});
    }
    categories.push_back({{"name", cat.name}, {"field", "f_" + cat.name},
                          {"anchor", "f" + std::to_string(c) + "-0"}, {"options", options}});
    ++c;
  }
  return {{"code", code}, {"panel_name", p.name}, {"categories", categories},
          {"availability", ctx.form.GetOr("availability")}, {"has_code", true}};
}

http::Response RegisterPage(Ctx& ctx) {
  const std::string code = ctx.req.QueryParam("code").value_or("");
  if (code.empty()) return RenderPage(ctx, "panel_register", "Register for a resident panel", json::object());
  auto p = ctx.app().panels().PanelForCode(code);
  if (!p.ok()) {
    return RenderForm(ctx, "panel_register", "Register for a resident panel", {{"code", code}}, &p.error());
  }
  if (!ctx.actor()) return SignInFirst(ctx);
  return RenderPage(ctx, "panel_register", "Register for " + p->name, RegisterData(ctx, *p, code));
}

http::Response RegisterSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  const std::string code = ctx.form.GetOr("code");
  auto p = ctx.app().panels().PanelForCode(code);
  if (!p.ok()) {
    return RenderForm(ctx, "panel_register", "Register for a resident panel", {{"code", code}}, &p.error());
  }
  app::RegisterForm form{code, {}, ctx.form.GetOr("availability"), ctx.form.Get("consent").has_value()};
  for (const auto& c : p->categories) {
    if (auto v = ctx.form.Get("f_" + c.name)) form.features[c.name] = *v;
  }
  auto r = ctx.app().panels().Register(ctx.actor(), form);
  if (!r.ok()) {
    if (r.error().code != ErrorCode::kInvalidArgument) return ErrorPage(ctx, r.error());
    Error e = r.error();
    // Category fields are named after the category; their inputs are f_<name>.
    int i = 0;
    for (const auto& c : p->categories) {
      for (auto& f : e.fields) {
        if (f.field == c.name) f.field = "f" + std::to_string(i) + "-0";
      }
      ++i;
    }
    return RenderForm(ctx, "panel_register", "Register for " + p->name, RegisterData(ctx, *p, code), &e);
  }
  return RenderPage(ctx, "panel_registered", "You are registered", {{"panel_name", p->name}});
}

}  // namespace

void AddPanelPages(WebApp&, const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/programmes/{id}/panels", PanelsPage);
  on(Method::post, "/programmes/{id}/panels", CreatePanelSubmit);
  on(Method::get, "/panels/{panel}", PanelPage);
  on(Method::post, "/panels/{panel}/addresses", ImportAddressesSubmit);
  on(Method::post, "/panels/{panel}/seed", PublishSeedSubmit);
  on(Method::post, "/panels/{panel}/invitations", DrawInvitationsSubmit);
  on(Method::get, "/panels/{panel}/letters", LettersPage);
  on(Method::get, "/panels/{panel}/respondents", RespondentsPage);
  on(Method::get, "/panels/{panel}/respondents.csv", RespondentsCsv);
  on(Method::post, "/panels/{panel}/selections", StartSelectionSubmit);
  on(Method::get, "/panels/{panel}/selections/{selection}", SelectionPage);
  on(Method::post, "/panels/{panel}/selections/{selection}/cancel", CancelSelectionSubmit);
  on(Method::post, "/panels/{panel}/draw", DrawPanelSubmit);
  on(Method::post, "/panels/{panel}/members/{member}/replace", ReplaceSubmit);
  on(Method::get, "/register", RegisterPage);
  on(Method::post, "/register", RegisterSubmit);
}

}  // namespace communitise::web
