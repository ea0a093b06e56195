// JSON API for resident panels and forum decisions: the public record of a panel (its
// invitation draw, make-up and the published distribution, anonymised), registrations
// for the roles that run selection, and a programme's decisions.
#include <charconv>

#include "context.h"

namespace communitise::web {

using http::Method;
using nlohmann::json;

namespace {

Result<app::Panel> PanelFromParam(Ctx& ctx) {
  const std::string& s = ctx.req.Param("panel");
  int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size()) return Error::NotFound("No such panel");
  return ctx.app().panels().Get(n);
}

http::Response GetPanel(Ctx& ctx) {
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  json categories = json::array();
  for (const auto& c : p->categories) {
    json values = json::array();
    for (const auto& v : c.values) {
      json jv{{"name", v.name}, {"min", v.min}, {"max", v.max}};
      if (v.population_percent) jv["population_percent"] = *v.population_percent;
      values.push_back(jv);
    }
    categories.push_back({{"name", c.name}, {"values", values}});
  }
  auto makeup = ctx.app().panels().MakeUp(p->id);
  if (!makeup.ok()) return ApiError(ctx, makeup.error());
  json rows = json::array();
  for (const auto& r : *makeup) {
    rows.push_back({{"category", r.category}, {"value", r.value}, {"panel", r.panel}});
  }
  json out{{"id", p->id},
           {"programme", p->programme_slug},
           {"name", p->name},
           {"panel_size", p->panel_size},
           {"quotas", categories},
           {"addresses", p->address_count},
           {"invitations", p->invitation_count},
           {"respondents", p->respondent_count},
           {"invitation_seed", p->invitation_seed ? json(*p->invitation_seed) : json()},
           {"draw_seed", p->draw_seed ? json(*p->draw_seed) : json()},
           {"make_up", rows}};
  auto latest = ctx.app().panels().LatestSelection(ctx.actor(), p->id);
  if (!latest.ok()) return ApiError(ctx, latest.error());
  if (*latest) {
    const app::Selection& s = **latest;
    json sel{{"id", s.id},
             {"status", std::string(app::ToString(s.status))},
             {"algorithm", s.algorithm},
             {"progress", {{"stage", s.progress.stage}, {"round", s.progress.round},
                           {"value", s.progress.value}}},
             {"seconds", s.seconds},
             {"attempts", s.attempts},
             {"stalled", s.stalled},
             {"min_probability", s.min_probability},
             {"max_probability", s.max_probability},
             {"probabilities", s.probabilities}};
    if (!s.distribution_json.empty()) sel["distribution"] = json::parse(s.distribution_json);
    if (!s.respondent_ids.empty()) sel["respondent_ids"] = s.respondent_ids;
    if (s.status == app::SelectionStatus::kInfeasible) {
      sel["summary"] = s.summary;
      sel["conflicts"] = s.conflicts;
    }
    out["selection"] = sel;
  }
  return Json(ctx, out);
}

http::Response GetInvitationDraw(Ctx& ctx) {
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto d = ctx.app().panels().GetInvitationDraw(p->id);
  if (!d.ok()) return ApiError(ctx, d.error());
  return Json(ctx, {{"seed", d->seed}, {"list_size", d->list_size},
                    {"published_at", FormatIso8601(d->published_at)},
                    {"drawn_at", FormatIso8601(d->drawn_at)}, {"address_ids", d->address_refs}});
}

http::Response GetRespondents(Ctx& ctx) {
  auto p = PanelFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto list = ctx.app().panels().ListRespondents(ctx.actor(), p->id);
  if (!list.ok()) return ApiError(ctx, list.error());
  json out = json::array();
  for (const auto& r : *list) {
    out.push_back({{"id", "r" + std::to_string(r.id)}, {"name", r.display_name},
                   {"area", r.area_name}, {"features", r.features},
                   {"availability", r.availability}, {"status", r.member_status}});
  }
  return Json(ctx, {{"respondents", out}});
}

http::Response GetDecisions(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto decisions = ctx.app().forums().Decisions(p->id);
  if (!decisions.ok()) return ApiError(ctx, decisions.error());
  json out = json::array();
  for (const auto& m : *decisions) {
    json j{{"id", m.id}, {"forum", m.forum_name}, {"title", m.title},
           {"outcome", std::string(app::ToString(m.outcome))},
           {"for", m.for_votes}, {"against", m.against}, {"abstain", m.abstain},
           {"eligible", m.eligible}, {"constitution_version", m.constitution_version},
           {"overdue", m.overdue}};
    if (m.response_due) j["response_due"] = FormatIso8601(*m.response_due);
    if (m.response) j["response"] = {{"decision", m.response->decision}, {"reasons", m.response->reasons}};
    out.push_back(j);
  }
  return Json(ctx, {{"decisions", out}});
}

}  // namespace

void AddPanelApi(WebApp&, const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/api/panels/{panel}", GetPanel);
  on(Method::get, "/api/panels/{panel}/invitation-draw", GetInvitationDraw);
  on(Method::get, "/api/panels/{panel}/respondents", GetRespondents);
  on(Method::get, "/api/programmes/{id}/decisions", GetDecisions);
}

}  // namespace communitise::web
