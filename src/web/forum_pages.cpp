// Forum pages: the programme's forums, one forum (members, sessions, motions, training),
// a session (agenda, evidence, attendance), a motion (vote, tally, response, delivery),
// the opinion map, and the programme's decisions with overdue responses (page and JSON
// Feed). Every form works without JavaScript.
#include <fmt/format.h>

#include <charconv>
#include <functional>

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

// ---- form errors ----------------------------------------------------------------------

// The application layer names fields as its forms do ("title"); a page with several forms
// gives each input its own id ("session_title"), so an error links to the right one.
using Renames = std::vector<std::pair<std::string, std::string>>;

Error Renamed(Error e, const Renames& renames) {
  for (auto& f : e.fields) {
    for (const auto& [from, to] : renames) {
      if (f.field == from) {
        f.field = to;
        break;
      }
    }
  }
  return e;
}

// The submitted values, so a form with errors comes back as it was sent: data gets
// "f_<id>" for each (form field, input id) pair.
void KeepValues(Ctx& ctx, json& data, const Renames& fields) {
  for (const auto& [field, id] : fields) data["f_" + id] = ctx.form.GetOr(field);
}

// Input problems come back on the page with the GOV.UK error summary and a message by
// each field; anything else (not allowed, not now) is the error page.
http::Response FormProblem(Ctx& ctx, const Error& e, std::string_view page, const std::string& title,
                           const std::function<Result<json>()>& data) {
  if (e.code != ErrorCode::kInvalidArgument) return ErrorPage(ctx, e);
  auto d = data();
  if (!d.ok()) return ErrorPage(ctx, d.error());
  return RenderForm(ctx, page, title, std::move(*d), &e);
}

// ---- forums ---------------------------------------------------------------------------

Result<json> ForumData(Ctx& ctx, const app::Forum& f) {
  json data{{"id", f.id}, {"forum_id", f.id}, {"name", f.name}, {"purpose", f.purpose},
            {"kind", std::string(app::Label(f.kind))}, {"binding", f.binding},
            {"programme_slug", f.programme_slug}, {"programme_name", f.programme_name},
            {"organiser", ctx.app().forums().CanOrganise(ctx.actor(), f)},
            {"panel_id", f.panel_id ? *f.panel_id : 0}, {"has_panel", f.panel_id.has_value()}};
  ASSIGN_OR_RETURN(auto members, ctx.app().forums().Members(f.id));
  const std::string chosen = ctx.form.GetOr("member_id");
  json ms = json::array();
  for (const auto& m : members) {
    if (!m.active) continue;
    ms.push_back({{"id", m.id}, {"name", m.display_name},
                  {"source", m.source == "panel" ? "Chosen by lottery" : "From the trained pool"},
                  {"attended", m.sessions_attended},
                  {"selected", chosen == std::to_string(m.id)}});
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
  ASSIGN_OR_RETURN(auto rounds, ctx.app().pb_rounds().ScreenedBy(f.id));
  json rs = json::array();
  for (const auto& r : rounds) {
    rs.push_back({{"id", r.id}, {"title", r.title}, {"phase", std::string(app::Label(r.phase))},
                  {"decides", r.panel_decides}});
  }
  data["rounds"] = rs;
  data["has_rounds"] = !rs.empty();
  data["f_accredited"] = ctx.form.Has("accredited");
  return data;
}

Result<app::Forum> ForumFromParam(Ctx& ctx) {
  ASSIGN_OR_RETURN(int64_t id, IdParam(ctx, "forum"));
  return ctx.app().forums().Get(id);
}

Result<json> ForumListData(Ctx& ctx, const app::Programme& p) {
  ASSIGN_OR_RETURN(auto forums, ctx.app().forums().ListForProgramme(p.id));
  ASSIGN_OR_RETURN(auto panels, ctx.app().panels().ListForProgramme(p.id));
  json list = json::array();
  for (const auto& f : forums) {
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
  const std::string chosen = ctx.form.GetOr("panel_id");
  for (const auto& pn : panels) {
    if (pn.drawn_at) {
      drawn.push_back({{"id", pn.id}, {"name", pn.name}, {"selected", chosen == std::to_string(pn.id)}});
    }
  }
  return json{{"programme_name", p.name}, {"programme_slug", p.slug}, {"programme_id", p.id},
              {"forums", list}, {"has_forums", !list.empty()},
              {"can_create", CanManage(ctx.actor(), p)}, {"kinds", kinds}, {"panels", drawn},
              {"has_panels", !drawn.empty()}, {"name", ctx.form.GetOr("name")},
              {"purpose", ctx.form.GetOr("purpose")},
              {"f_binding", ctx.form.Has("binding")},
              {"f_community_statements", ctx.form.Has("community_statements")}};
}

http::Response ForumsPage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto data = ForumListData(ctx, *p);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "forum_list", "Forums: " + p->name, *data);
}

http::Response CreateForumSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  app::CreateForumForm form{ctx.form.GetOr("kind"), ctx.form.GetOr("name"), ctx.form.GetOr("purpose"),
                            std::nullopt, ctx.form.Has("binding"),
                            ctx.form.Has("community_statements")};
  std::vector<FieldError> errors;
  if (auto panel = FormInt(ctx.form, "panel_id", "Choose a panel of this programme", &errors)) {
    form.panel_id = *panel;
  }
  auto made = errors.empty() ? ctx.app().forums().Create(ctx.actor(), p->id, form)
                             : Result<app::Forum>(Error::InvalidArgument("Check the form", errors));
  if (!made.ok()) {
    return FormProblem(ctx, made.error(), "forum_list", "Forums: " + p->name,
                       [&] { return ForumListData(ctx, *p); });
  }
  return SeeOther(ctx, "/forums/" + std::to_string(made->id));
}

http::Response ForumPage(Ctx& ctx) {
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto data = ForumData(ctx, *f);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "forum", f->name, *data);
}

// Renders the forum page again with the errors of one of its forms.
http::Response ForumFormProblem(Ctx& ctx, const app::Forum& f, const Error& e,
                                const Renames& fields) {
  return FormProblem(ctx, Renamed(e, fields), "forum", f.name, [&]() -> Result<json> {
    ASSIGN_OR_RETURN(json data, ForumData(ctx, f));
    KeepValues(ctx, data, fields);
    return data;
  });
}

constexpr char kDateMessage[] = "Enter the date as YYYY-MM-DD, like 2026-12-01";

http::Response AddSessionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  const Renames fields = {{"title", "session_title"}, {"starts_at", "starts_at"},
                          {"place", "place"}, {"agenda", "agenda"}};
  const std::string date_text = ctx.form.GetOr("starts_at");
  auto date = ParseDate(date_text);
  app::SessionForm form{ctx.form.GetOr("title"), date.value_or(0), ctx.form.GetOr("place"),
                        ctx.form.GetOr("agenda")};
  auto s = ctx.app().forums().AddSession(ctx.actor(), f->id, form);
  if (!s.ok()) {
    Error e = s.error();
    // A date typed wrongly is explained as such, not as a missing date.
    if (!date && !date_text.empty()) {
      for (auto& fe : e.fields) {
        if (fe.field == "starts_at") fe.message = kDateMessage;
      }
    }
    return ForumFormProblem(ctx, *f, e, fields);
  }
  return SeeOther(ctx, "/sessions/" + std::to_string(s->id));
}

Result<json> SessionData(Ctx& ctx, const app::ForumSession& s) {
  ASSIGN_OR_RETURN(app::Forum f, ctx.app().forums().Get(s.forum_id));
  ASSIGN_OR_RETURN(auto members, ctx.app().forums().Members(f.id));
  json evidence = json::array();
  for (const auto& e : s.evidence) {
    evidence.push_back({{"id", e.id}, {"title", e.title}, {"author", e.author}, {"body", e.body},
                        {"speaker", e.kind == "speaker"}, {"file_name", e.file_name.value_or("")}});
  }
  json ms = json::array();
  int present = 0;
  for (const auto& m : members) {
    const bool here = std::find(s.attended.begin(), s.attended.end(), m.id) != s.attended.end();
    present += here;
    if (m.active) ms.push_back({{"id", m.id}, {"name", m.display_name}, {"checked", here}});
  }
  return json{{"id", s.id}, {"title", s.title}, {"date", FormatLongDate(s.starts_at)},
              {"place", s.place}, {"agenda", s.agenda}, {"forum_id", f.id},
              {"forum_name", f.name}, {"evidence", evidence}, {"has_evidence", !evidence.empty()},
              {"members", ms}, {"present", present},
              {"organiser", ctx.app().forums().CanOrganise(ctx.actor(), f)},
              {"f_speaker", ctx.form.GetOr("kind") == "speaker"}};
}

http::Response SessionPage(Ctx& ctx) {
  auto id = IdParam(ctx, "session");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto s = ctx.app().forums().GetSession(*id);
  if (!s.ok()) return ErrorPage(ctx, s.error());
  auto data = SessionData(ctx, *s);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "forum_session", s->title, *data);
}

http::Response SessionFormProblem(Ctx& ctx, int64_t session_id, const Error& e,
                                  const Renames& fields) {
  auto s = ctx.app().forums().GetSession(session_id);
  if (!s.ok()) return ErrorPage(ctx, s.error());
  return FormProblem(ctx, Renamed(e, fields), "forum_session", s->title, [&]() -> Result<json> {
    ASSIGN_OR_RETURN(json data, SessionData(ctx, *s));
    KeepValues(ctx, data, fields);
    return data;
  });
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
  auto added = ctx.app().forums().AddEvidence(ctx.actor(), *id, form);
  if (!added.ok()) {
    return SessionFormProblem(ctx, *id, added.error(),
                              {{"kind", "kind"}, {"title", "evidence_title"},
                               {"author", "author"}, {"body", "body"}, {"file", "file"}});
  }
  return SeeOther(ctx, "/sessions/" + std::to_string(*id));
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
  std::vector<FieldError> errors;
  for (const auto& v : ctx.form.GetAll("attended")) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size()) {
      errors.push_back({"attended", "Tick the members who attended"});
      break;
    }
    ids.push_back(n);
  }
  Status s = errors.empty() ? ctx.app().forums().RecordAttendance(ctx.actor(), *id, ids)
                            : Status(Error::InvalidArgument("Check the form", errors));
  if (!s.ok()) return SessionFormProblem(ctx, *id, s.error(), {{"attended", "attended"}});
  return SeeOther(ctx, "/sessions/" + std::to_string(*id));
}

http::Response AddTrainingSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  const Renames fields = {{"member_id", "member_id"}, {"course", "course"},
                          {"completed_on", "completed_on"}};
  std::vector<FieldError> errors;
  auto member = FormInt(ctx.form, "member_id", "Choose a member of this forum", &errors);
  const std::string date_text = ctx.form.GetOr("completed_on");
  auto date = ParseDate(date_text);
  auto t = ctx.app().forums().AddTraining(ctx.actor(), f->id,
                                          {member.value_or(0), ctx.form.GetOr("course"),
                                           date.value_or(0), ctx.form.Has("accredited")});
  if (!t.ok()) {
    Error e = t.error();
    if (!date && !date_text.empty()) {
      for (auto& fe : e.fields) {
        if (fe.field == "completed_on") fe.message = kDateMessage;
      }
    }
    return ForumFormProblem(ctx, *f, e, fields);
  }
  return SeeOther(ctx, "/forums/" + std::to_string(f->id));
}

http::Response OpenMotionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto m = ctx.app().forums().OpenMotion(ctx.actor(), f->id, {ctx.form.GetOr("title"), ctx.form.GetOr("text")});
  if (!m.ok()) {
    return ForumFormProblem(ctx, *f, m.error(), {{"title", "motion_title"}, {"text", "motion_text"}});
  }
  return SeeOther(ctx, "/motions/" + std::to_string(m->id));
}

Result<json> MotionData(Ctx& ctx, int64_t motion_id) {
  ASSIGN_OR_RETURN(app::Motion m, ctx.app().forums().GetMotion(ctx.actor(), motion_id));
  ASSIGN_OR_RETURN(app::Forum f, ctx.app().forums().Get(m.forum_id));
  json data = MotionJson(m);
  const bool responds = ctx.app().forums().CanRespond(ctx.actor(), f.public_body_id, f.programme_id);
  data["organiser"] = ctx.app().forums().CanOrganise(ctx.actor(), f);
  data["can_respond"] = m.outcome == app::MotionOutcome::kRecommendation && !m.response && responds;
  data["can_deliver"] = (m.outcome == app::MotionOutcome::kBinding ||
                         (m.response && m.response->decision != "reject")) && responds;
  data["can_vote"] = m.outcome == app::MotionOutcome::kOpen && ctx.actor() != nullptr;
  // A vote sent with errors shows what was chosen; otherwise the vote on record.
  const std::string choice = ctx.form.GetOr("choice", m.my_choice.value_or(""));
  data["voted_for"] = choice == "for";
  data["voted_against"] = choice == "against";
  data["voted_abstain"] = choice == "abstain";
  const std::string decision = ctx.form.GetOr("decision");
  data["f_accept"] = decision == "accept";
  data["f_accept_in_part"] = decision == "accept_in_part";
  data["f_reject"] = decision == "reject";
  return data;
}

http::Response MotionPage(Ctx& ctx) {
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto data = MotionData(ctx, *id);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "forum_motion", (*data)["title"].get<std::string>(), *data);
}

http::Response MotionFormProblem(Ctx& ctx, int64_t motion_id, const Error& e, const Renames& fields) {
  auto m = ctx.app().forums().GetMotion(ctx.actor(), motion_id);
  if (!m.ok()) return ErrorPage(ctx, m.error());
  return FormProblem(ctx, Renamed(e, fields), "forum_motion", m->title, [&]() -> Result<json> {
    ASSIGN_OR_RETURN(json data, MotionData(ctx, motion_id));
    KeepValues(ctx, data, fields);
    return data;
  });
}

http::Response VoteMotionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  Status s = ctx.app().forums().VoteMotion(ctx.actor(), *id, ctx.form.GetOr("choice"));
  if (!s.ok()) return MotionFormProblem(ctx, *id, s.error(), {{"choice", "choice"}});
  return SeeOther(ctx, "/motions/" + std::to_string(*id) + "?voted=1");
}

http::Response CloseMotionSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto closed = ctx.app().forums().CloseMotion(ctx.actor(), *id);
  if (!closed.ok()) return ErrorPage(ctx, closed.error());
  return SeeOther(ctx, "/motions/" + std::to_string(*id));
}

http::Response RespondSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto r = ctx.app().forums().Respond(ctx.actor(), *id,
                                      {ctx.form.GetOr("decision"), ctx.form.GetOr("reasons")});
  if (!r.ok()) {
    return MotionFormProblem(ctx, *id, r.error(), {{"decision", "decision"}, {"reasons", "reasons"}});
  }
  return SeeOther(ctx, "/motions/" + std::to_string(*id));
}

http::Response DeliverySubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "motion");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  const Renames fields = {{"progress_percent", "progress_percent"}, {"note", "note"},
                          {"evidence", "evidence"}};
  std::vector<FieldError> errors;
  auto progress = FormInt(ctx.form, "progress_percent", "Enter progress from 0 to 100", &errors);
  if (!progress && errors.empty()) errors.push_back({"progress_percent", "Enter progress from 0 to 100"});
  auto done = errors.empty()
                  ? ctx.app().forums().AddDeliveryUpdate(ctx.actor(), *id,
                                                         {static_cast<int>(*progress),
                                                          ctx.form.GetOr("note"),
                                                          ctx.form.GetOr("evidence")})
                  : Result<app::Motion>(Error::InvalidArgument("Check the form", errors));
  if (!done.ok()) return MotionFormProblem(ctx, *id, done.error(), fields);
  return SeeOther(ctx, "/motions/" + std::to_string(*id));
}

Result<json> MapData(Ctx& ctx, const app::Forum& f) {
  ASSIGN_OR_RETURN(auto map, ctx.app().forums().OpinionMap(ctx.actor(), f.id));
  json statements = json::array();
  for (const auto& s : map.statements) {
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
  for (const auto& g : map.group_rows) {
    groups.push_back({{"label", g.label}, {"size", g.size}, {"agrees", g.agrees_with},
                      {"disagrees", g.disagrees_with}});
  }
  return json{{"id", f.id}, {"forum_id", f.id}, {"name", f.name}, {"statements", statements},
              {"has_statements", !statements.empty()}, {"participants", map.participants},
              {"groups", groups}, {"has_groups", !groups.empty()}, {"svg", map.svg},
              {"consensus", rows(map.consensus)}, {"has_consensus", !map.consensus.empty()},
              {"divisive", rows(map.divisive)}, {"has_divisive", !map.divisive.empty()},
              {"can_take_part", ctx.app().forums().CanTakePartInMap(ctx.actor(), f)}};
}

http::Response MapPage(Ctx& ctx) {
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto data = MapData(ctx, *f);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "forum_map", "Opinion map: " + f->name, *data);
}

http::Response MapFormProblem(Ctx& ctx, const app::Forum& f, const Error& e, const Renames& fields) {
  return FormProblem(ctx, Renamed(e, fields), "forum_map", "Opinion map: " + f.name,
                     [&]() -> Result<json> {
                       ASSIGN_OR_RETURN(json data, MapData(ctx, f));
                       KeepValues(ctx, data, fields);
                       return data;
                     });
}

http::Response PostStatementSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto f = ForumFromParam(ctx);
  if (!f.ok()) return ErrorPage(ctx, f.error());
  auto posted = ctx.app().forums().PostStatement(ctx.actor(), f->id, ctx.form.GetOr("text"));
  if (!posted.ok()) return MapFormProblem(ctx, *f, posted.error(), {{"text", "text"}});
  return SeeOther(ctx, "/forums/" + std::to_string(f->id) + "/map");
}

http::Response VoteStatementSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "statement");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  const std::string v = ctx.form.GetOr("vote");
  const int vote = v == "agree" ? 1 : v == "disagree" ? -1 : v == "pass" ? 0 : 2;
  Status s = ctx.app().forums().VoteStatement(ctx.actor(), *id, vote);
  const std::string back = ctx.form.GetOr("back");
  if (!s.ok()) {
    // The map page the vote came from, with the message at the top.
    int64_t forum = 0;
    if (back.rfind("/forums/", 0) == 0) {
      std::string rest = back.substr(8, back.find('/', 8) - 8);
      std::from_chars(rest.data(), rest.data() + rest.size(), forum);
    }
    auto f = ctx.app().forums().Get(forum);
    if (!f.ok()) return ErrorPage(ctx, s.error());
    return MapFormProblem(ctx, *f, s.error(), {});
  }
  return SeeOther(ctx, back.rfind("/forums/", 0) == 0 ? back : "/");
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
