// Forum pages: the programme's forums, one forum (members, sessions, motions, training),
// a session (agenda, evidence, attendance), a motion (vote, tally, response, delivery),
// the opinion map, and the programme's decisions with overdue responses (page and JSON
// Feed). Every form works without JavaScript.
#include <fmt/format.h>

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

// "2026-11-25" → seconds at midnight UTC; nullopt when malformed.
std::optional<int64_t> ParseDate(const std::string& s) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  // Days from civil (Howard Hinnant's algorithm).
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468) * 86400;
}

std::string DecisionLabel(const std::string& d) {
  if (d == "accept") return "Accepted";
  if (d == "accept_in_part") return "Accepted in part";
  return "Rejected";
}

std::string OutcomeLabel(app::MotionOutcome o) {
  switch (o) {
    case app::MotionOutcome::kOpen: return "Voting open";
    case app::MotionOutcome::kBinding: return "Binding decision";
    case app::MotionOutcome::kRecommendation: return "Recommendation";
    case app::MotionOutcome::kNotCarried: return "Not carried";
  }
  return "";
}

json MotionJson(const app::Motion& m) {
  json delivery = json::array();
  for (const auto& d : m.delivery) {
    delivery.push_back({{"progress", d.progress_percent}, {"note", d.note},
                        {"evidence", d.evidence}, {"date", FormatLongDate(d.at)}});
  }
  return {{"id", m.id},
          {"forum_id", m.forum_id},
          {"forum_name", m.forum_name},
          {"title", m.title},
          {"text", m.text},
          {"outcome", std::string(app::ToString(m.outcome))},
          {"outcome_label", OutcomeLabel(m.outcome)},
          {"open", m.outcome == app::MotionOutcome::kOpen},
          {"binding", m.outcome == app::MotionOutcome::kBinding},
          {"recommendation", m.outcome == app::MotionOutcome::kRecommendation},
          {"opened", FormatLongDate(m.opened_at)},
          {"closed", m.closed_at ? FormatLongDate(*m.closed_at) : ""},
          {"constitution_version", m.constitution_version},
          {"votes_cast", m.votes_cast},
          {"eligible", m.eligible},
          {"for_votes", m.for_votes},
          {"against", m.against},
          {"abstain", m.abstain},
          {"quorum_percent", m.quorum_percent},
          {"threshold_percent", m.threshold_percent},
          {"explanation", m.explanation},
          {"response_due", m.response_due ? FormatLongDate(*m.response_due) : ""},
          {"overdue", m.overdue},
          {"has_response", m.response.has_value()},
          {"response_decision", m.response ? DecisionLabel(m.response->decision) : ""},
          {"response_reasons", m.response ? m.response->reasons : ""},
          {"response_date", m.response ? FormatLongDate(m.response->at) : ""},
          {"delivery", delivery},
          {"has_delivery", !delivery.empty()},
          {"my_choice", m.my_choice.value_or("")}};
}

Result<json> ForumData(Ctx& ctx, const app::Forum& f) {
  json data{{"id", f.id}, {"forum_id", f.id}, {"name", f.name}, {"purpose", f.purpose},
            {"kind", std::string(app::Label(f.kind))}, {"binding", f.binding},
            {"programme_slug", f.programme_slug}, {"programme_name", f.programme_name},
            {"organiser", ctx.app().forums().CanOrganise(ctx.actor(), f)},
            {"panel_id", f.panel_id ? *f.panel_id : 0}, {"has_panel", f.panel_id.has_value()}};
  ASSIGN_OR_RETURN(auto members, ctx.app().forums().Members(f.id));
  json ms = json::array();
  for (const auto& m : members) {
    if (!m.active) continue;
    ms.push_back({{"id", m.id}, {"name", m.display_name},
                  {"source", m.source == "panel" ? "Chosen by lottery" : "From the trained pool"},
                  {"attended", m.sessions_attended}});
  }
  data["members"] = ms;
  data["member_count"] = ms.size();
  ASSIGN_OR_RETURN(auto sessions, ctx.app().forums().Sessions(f.id));
  json ss = json::array();
  for (const auto& s : sessions) {
    ss.push_back({{"id", s.id}, {"title", s.title}, {"date", FormatLongDate(s.starts_at)},
                  {"place", s.place}, {"evidence_count", s.evidence.size()}});
  }
  data["sessions"] = ss;
  data["has_sessions"] = !ss.empty();
  ASSIGN_OR_RETURN(auto motions, ctx.app().forums().Motions(f.id));
  json mo = json::array();
  for (const auto& m : motions) mo.push_back(MotionJson(m));
  data["motions"] = mo;
  data["has_motions"] = !mo.empty();
  ASSIGN_OR_RETURN(auto training, ctx.app().forums().Training(f.id));
  json tr = json::array();
  for (const auto& t : training) {
    tr.push_back({{"name", t.display_name}, {"course", t.course},
                  {"date", FormatLongDate(t.completed_on)}, {"accredited", t.accredited}});
  }
  data["training"] = tr;
  data["has_training"] = !tr.empty();
  return data;
}

Result<app::Forum> ForumFromParam(Ctx& ctx) {
  ASSIGN_OR_RETURN(int64_t id, IdParam(ctx, "forum"));
  return ctx.app().forums().Get(id);
}

http::Response ForumsPage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto forums = ctx.app().forums().ListForProgramme(p->id);
  if (!forums.ok()) return ErrorPage(ctx, forums.error());
  auto panels = ctx.app().panels().ListForProgramme(p->id);
  if (!panels.ok()) return ErrorPage(ctx, panels.error());
  json list = json::array();
  for (const auto& f : *forums) {
    list.push_back({{"id", f.id}, {"name", f.name}, {"kind", std::string(app::Label(f.kind))},
                    {"members", f.member_count}, {"binding", f.binding}});
  }
  json kinds = json::array();
  int i = 0;
  for (auto k : app::AllForumKinds()) {
    kinds.push_back({{"value", std::string(app::ToString(k))}, {"label", std::string(app::Label(k))},
                     {"id", i == 0 ? std::string("kind") : "kind-" + std::to_string(i)},
                     {"checked", ctx.form.GetOr("kind") == app::ToString(k)}});
    ++i;
  }
  json drawn = json::array();
  for (const auto& pn : *panels) {
    if (pn.drawn_at) drawn.push_back({{"id", pn.id}, {"name", pn.name}});
  }
  json data{{"programme_name", p->name}, {"programme_slug", p->slug}, {"programme_id", p->id},
            {"forums", list}, {"has_forums", !list.empty()}, {"can_create", CanManage(ctx.actor(), *p)},
            {"kinds", kinds}, {"panels", drawn}, {"has_panels", !drawn.empty()},
            {"name", ctx.form.GetOr("name")}, {"purpose", ctx.form.GetOr("purpose")}};
  return RenderPage(ctx, "forum_list", "Forums: " + p->name, data);
}

http::Response CreateForumSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  app::CreateForumForm form{ctx.form.GetOr("kind"), ctx.form.GetOr("name"), ctx.form.GetOr("purpose"),
                            std::nullopt, ctx.form.Get("binding").has_value(),
                            ctx.form.Get("community_statements").has_value()};
  if (auto panel = ctx.form.Get("panel_id"); panel && !panel->empty()) {
    int64_t n = 0;
    std::from_chars(panel->data(), panel->data() + panel->size(), n);
    form.panel_id = n;
  }
  auto made = ctx.app().forums().Create(ctx.actor(), p->id, form);
  if (!made.ok()) return ErrorPage(ctx, made.error());
  return SeeOther(ctx, "/forums/" + std::to_string(made->id));
}

http::Response ForumPage(Ctx& ctx) {
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto data = ForumData(ctx, *f);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "forum", f->name, *data);
}

http::Response AfterForumAction(Ctx& ctx, const std::string& back, const Status& s) {
  if (!s.ok()) return ErrorPage(ctx, s.error());
  return SeeOther(ctx, back);
}

http::Response AddSessionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto date = ParseDate(ctx.form.GetOr("starts_at"));
  if (!date) return ErrorPage(ctx, Error::Field("starts_at", "Enter the date as YYYY-MM-DD"));
  auto s = ctx.app().forums().AddSession(ctx.actor(), f->id,
                                         {ctx.form.GetOr("title"), *date, ctx.form.GetOr("place"),
                                          ctx.form.GetOr("agenda")});
  if (!s.ok()) return ErrorPage(ctx, s.error());
  return SeeOther(ctx, "/sessions/" + std::to_string(s->id));
}

http::Response SessionPage(Ctx& ctx) {
  auto id = IdParam(ctx, "session");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto s = ctx.app().forums().GetSession(*id);
  if (!s.ok()) return ErrorPage(ctx, s.error());
  auto f = ctx.app().forums().Get(s->forum_id);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto members = ctx.app().forums().Members(f->id);
  if (!members.ok()) return ErrorPage(ctx, members.error());
  json evidence = json::array();
  for (const auto& e : s->evidence) {
    evidence.push_back({{"id", e.id}, {"title", e.title}, {"author", e.author}, {"body", e.body},
                        {"speaker", e.kind == "speaker"}, {"file_name", e.file_name.value_or("")}});
  }
  json ms = json::array();
  int present = 0;
  for (const auto& m : *members) {
    const bool here = std::find(s->attended.begin(), s->attended.end(), m.id) != s->attended.end();
    present += here;
    if (m.active) ms.push_back({{"id", m.id}, {"name", m.display_name}, {"checked", here}});
  }
  json data{{"id", s->id}, {"title", s->title}, {"date", FormatLongDate(s->starts_at)},
            {"place", s->place}, {"agenda", s->agenda}, {"forum_id", f->id}, {"forum_name", f->name},
            {"evidence", evidence}, {"has_evidence", !evidence.empty()}, {"members", ms},
            {"present", present}, {"organiser", ctx.app().forums().CanOrganise(ctx.actor(), *f)}};
  return RenderPage(ctx, "forum_session", s->title, data);
}

http::Response AddEvidenceSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "session");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  app::EvidenceForm form{ctx.form.GetOr("kind", "evidence"), ctx.form.GetOr("title"),
                         ctx.form.GetOr("author"), ctx.form.GetOr("body"), "", "", ""};
  for (const auto& file : ctx.files) {
    if (file.field == "file" && !file.data.empty()) {
      form.file_name = file.filename;
      form.file_type = file.content_type;
      form.file_data = file.data;
    }
  }
  return AfterForumAction(ctx, "/sessions/" + std::to_string(*id),
                          ctx.app().forums().AddEvidence(ctx.actor(), *id, form).status());
}

http::Response EvidenceFile(Ctx& ctx) {
  auto id = IdParam(ctx, "evidence");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto file = ctx.app().forums().EvidenceFile(*id);
  if (!file.ok()) return ErrorPage(ctx, file.error());
  // Served as a download so an uploaded file never runs as a page of this site.
  http::Response res = http::MakeResponse(ctx.req, http::HttpStatus::ok, "application/octet-stream",
                                          file->second);
  res.set("Content-Disposition", "attachment; filename=\"" + *file->first.file_name + "\"");
  res.set("Cache-Control", "public, max-age=300");
  return res;
}

http::Response AttendanceSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "session");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  std::vector<int64_t> ids;
  for (const auto& v : ctx.form.GetAll("attended")) {
    int64_t n = 0;
    if (std::from_chars(v.data(), v.data() + v.size(), n).ec == std::errc()) ids.push_back(n);
  }
  return AfterForumAction(ctx, "/sessions/" + std::to_string(*id),
                          ctx.app().forums().RecordAttendance(ctx.actor(), *id, ids));
}

http::Response AddTrainingSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  std::vector<FieldError> errors;
  auto member = FormInt(ctx.form, "member_id", "Choose a member", &errors);
  auto date = ParseDate(ctx.form.GetOr("completed_on"));
  if (!member || !date) {
    return ErrorPage(ctx, Error::InvalidArgument("Choose a member and enter the date as YYYY-MM-DD"));
  }
  return AfterForumAction(ctx, "/forums/" + std::to_string(f->id),
                          ctx.app().forums().AddTraining(ctx.actor(), f->id,
                                                         {*member, ctx.form.GetOr("course"), *date,
                                                          ctx.form.Get("accredited").has_value()})
                              .status());
}

http::Response OpenMotionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto m = ctx.app().forums().OpenMotion(ctx.actor(), f->id, {ctx.form.GetOr("title"), ctx.form.GetOr("text")});
  if (!m.ok()) return ErrorPage(ctx, m.error());
  return SeeOther(ctx, "/motions/" + std::to_string(m->id));
}

http::Response MotionPage(Ctx& ctx) {
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto m = ctx.app().forums().GetMotion(ctx.actor(), *id);
  if (!m.ok()) return ErrorPage(ctx, m.error());
  auto f = ctx.app().forums().Get(m->forum_id);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  json data = MotionJson(*m);
  data["organiser"] = ctx.app().forums().CanOrganise(ctx.actor(), *f);
  data["can_respond"] = m->outcome == app::MotionOutcome::kRecommendation && !m->response &&
                        ctx.app().forums().CanRespond(ctx.actor(), f->public_body_id, f->programme_id);
  data["can_deliver"] = (m->outcome == app::MotionOutcome::kBinding ||
                         (m->response && m->response->decision != "reject")) &&
                        ctx.app().forums().CanRespond(ctx.actor(), f->public_body_id, f->programme_id);
  data["can_vote"] = m->outcome == app::MotionOutcome::kOpen && ctx.actor() != nullptr;
  data["voted_for"] = m->my_choice == "for";
  data["voted_against"] = m->my_choice == "against";
  data["voted_abstain"] = m->my_choice == "abstain";
  return RenderPage(ctx, "forum_motion", m->title, data);
}

http::Response VoteMotionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  return AfterForumAction(ctx, "/motions/" + std::to_string(*id) + "?voted=1",
                          ctx.app().forums().VoteMotion(ctx.actor(), *id, ctx.form.GetOr("choice")));
}

http::Response CloseMotionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  return AfterForumAction(ctx, "/motions/" + std::to_string(*id),
                          ctx.app().forums().CloseMotion(ctx.actor(), *id).status());
}

http::Response RespondSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  return AfterForumAction(ctx, "/motions/" + std::to_string(*id),
                          ctx.app().forums().Respond(ctx.actor(), *id,
                                                     {ctx.form.GetOr("decision"), ctx.form.GetOr("reasons")})
                              .status());
}

http::Response DeliverySubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  std::vector<FieldError> errors;
  auto progress = FormInt(ctx.form, "progress_percent", "Enter progress from 0 to 100", &errors);
  if (!progress) return ErrorPage(ctx, Error::InvalidArgument("Enter progress from 0 to 100", errors));
  return AfterForumAction(ctx, "/motions/" + std::to_string(*id),
                          ctx.app().forums().AddDeliveryUpdate(ctx.actor(), *id,
                                                               {static_cast<int>(*progress),
                                                                ctx.form.GetOr("note"),
                                                                ctx.form.GetOr("evidence")})
                              .status());
}

http::Response MapPage(Ctx& ctx) {
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto map = ctx.app().forums().OpinionMap(ctx.actor(), f->id);
  if (!map.ok()) return ErrorPage(ctx, map.error());
  json statements = json::array();
  for (const auto& s : map->statements) {
    statements.push_back({{"id", s.id}, {"text", s.text}, {"agree", s.agree},
                          {"disagree", s.disagree}, {"pass", s.pass},
                          {"voted", s.my_vote.has_value()},
                          {"my_vote", !s.my_vote ? "" : *s.my_vote > 0 ? "agree" : *s.my_vote < 0 ? "disagree" : "pass"}});
  }
  auto rows = [](const std::vector<app::OpinionMapView::StatementRow>& in) {
    json out = json::array();
    for (const auto& r : in) out.push_back({{"text", r.text}, {"direction", r.direction}, {"by_group", r.by_group}});
    return out;
  };
  json groups = json::array();
  for (const auto& g : map->group_rows) {
    groups.push_back({{"label", g.label}, {"size", g.size}, {"agrees", g.agrees_with},
                      {"disagrees", g.disagrees_with}});
  }
  json data{{"id", f->id}, {"forum_id", f->id}, {"name", f->name}, {"statements", statements},
            {"has_statements", !statements.empty()}, {"participants", map->participants},
            {"groups", groups}, {"has_groups", !groups.empty()}, {"svg", map->svg},
            {"consensus", rows(map->consensus)}, {"has_consensus", !map->consensus.empty()},
            {"divisive", rows(map->divisive)}, {"has_divisive", !map->divisive.empty()},
            {"can_take_part", ctx.app().forums().CanTakePartInMap(ctx.actor(), *f)}};
  return RenderPage(ctx, "forum_map", "Opinion map: " + f->name, data);
}

http::Response PostStatementSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  return AfterForumAction(ctx, "/forums/" + std::to_string(f->id) + "/map",
                          ctx.app().forums().PostStatement(ctx.actor(), f->id, ctx.form.GetOr("text")).status());
}

http::Response VoteStatementSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "statement");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  const std::string v = ctx.form.GetOr("vote");
  const int vote = v == "agree" ? 1 : v == "disagree" ? -1 : v == "pass" ? 0 : 2;
  Status s = ctx.app().forums().VoteStatement(ctx.actor(), *id, vote);
  if (!s.ok()) return ErrorPage(ctx, s.error());
  return SeeOther(ctx, ctx.form.GetOr("back", "/") .rfind("/forums/", 0) == 0 ? ctx.form.GetOr("back") : "/");
}

json DecisionsData(Ctx& ctx, const app::Programme& p, int* overdue) {
  auto decisions = ctx.app().forums().Decisions(p.id);
  json list = json::array();
  *overdue = 0;
  if (decisions.ok()) {
    for (const auto& m : *decisions) {
      list.push_back(MotionJson(m));
      *overdue += m.overdue;
    }
  }
  return list;
}

http::Response DecisionsPage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  int overdue = 0;
  json list = DecisionsData(ctx, *p, &overdue);
  return RenderPage(ctx, "forum_decisions", "Decisions and responses: " + p->name,
                    {{"programme_name", p->name}, {"programme_slug", p->slug}, {"decisions", list},
                     {"has_decisions", !list.empty()}, {"overdue", overdue}});
}

// JSON Feed 1.1 of decisions, so anyone can follow overdue responses.
http::Response DecisionsFeed(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto decisions = ctx.app().forums().Decisions(p->id);
  if (!decisions.ok()) return ErrorPage(ctx, decisions.error());
  json items = json::array();
  for (const auto& m : *decisions) {
    std::string status = OutcomeLabel(m.outcome);
    if (m.overdue) status = "Overdue: no response by " + FormatLongDate(*m.response_due);
    else if (m.response) status = "Response: " + DecisionLabel(m.response->decision);
    else if (m.response_due) status += ", response due " + FormatLongDate(*m.response_due);
    items.push_back({{"id", "motion-" + std::to_string(m.id)},
                     {"url", "/motions/" + std::to_string(m.id)},
                     {"title", m.title + " — " + status},
                     {"content_text", m.text + "\n\n" + m.explanation},
                     {"date_published", FormatIso8601(m.closed_at.value_or(m.opened_at))},
                     {"tags", m.overdue ? json::array({"overdue"}) : json::array()}});
  }
  json feed{{"version", "https://jsonfeed.org/version/1.1"},
            {"title", "Decisions and responses: " + p->name},
            {"home_page_url", "/programmes/" + p->slug + "/decisions"},
            {"items", items}};
  return http::MakeResponse(ctx.req, http::HttpStatus::ok, "application/feed+json",
                            feed.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

json ForumProgrammeSummary(Ctx& ctx, int64_t programme_id) {
  auto decisions = ctx.app().forums().Decisions(programme_id);
  int overdue = 0;
  json list = json::array();
  if (decisions.ok()) {
    for (const auto& m : *decisions) {
      if (!m.overdue) continue;
      ++overdue;
      list.push_back({{"id", m.id}, {"title", m.title}, {"due", FormatLongDate(*m.response_due)}});
    }
  }
  return {{"overdue_count", overdue}, {"has_overdue", overdue > 0}, {"overdue_list", list}};
}

void AddForumPages(WebApp&, const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/programmes/{id}/forums", ForumsPage);
  on(Method::post, "/programmes/{id}/forums", CreateForumSubmit);
  on(Method::get, "/programmes/{id}/decisions", DecisionsPage);
  on(Method::get, "/programmes/{id}/decisions.json", DecisionsFeed);
  on(Method::get, "/forums/{forum}", ForumPage);
  on(Method::post, "/forums/{forum}/sessions", AddSessionSubmit);
  on(Method::post, "/forums/{forum}/training", AddTrainingSubmit);
  on(Method::post, "/forums/{forum}/motions", OpenMotionSubmit);
  on(Method::get, "/forums/{forum}/map", MapPage);
  on(Method::post, "/forums/{forum}/statements", PostStatementSubmit);
  on(Method::post, "/statements/{statement}/vote", VoteStatementSubmit);
  on(Method::get, "/sessions/{session}", SessionPage);
  on(Method::post, "/sessions/{session}/evidence", AddEvidenceSubmit);
  on(Method::post, "/sessions/{session}/attendance", AttendanceSubmit);
  on(Method::get, "/evidence/{evidence}", EvidenceFile);
  on(Method::get, "/motions/{motion}", MotionPage);
  on(Method::post, "/motions/{motion}/vote", VoteMotionSubmit);
  on(Method::post, "/motions/{motion}/close", CloseMotionSubmit);
  on(Method::post, "/motions/{motion}/response", RespondSubmit);
  on(Method::post, "/motions/{motion}/delivery", DeliverySubmit);
}

}  // namespace communitise::web
