// JSON API for forums: forums and their members, sessions with evidence and attendance,
// training, the opinion map and its statements, motions with their votes, tallies,
// responses and delivery, and the participatory-budgeting rounds a forum screens or
// decides. The same use cases as the pages (forum_pages.cpp), so a form's field errors
// carry the same messages here, under the JSON field names.
#include <charconv>

#include "communitise/core/clock.h"
#include "context.h"
#include "pb_views.h"

namespace communitise::web {

using http::HttpStatus;
using http::Method;
using nlohmann::json;

namespace {

json ForumView(const app::Forum& f) {
  json j{{"id", f.id},
         {"programme_id", f.programme_id},
         {"programme", f.programme_slug},
         {"kind", std::string(app::ToString(f.kind))},
         {"name", f.name},
         {"purpose", f.purpose},
         {"binding", f.binding},
         {"community_statements", f.community_statements},
         {"members", f.member_count},
         {"created_at", FormatIso8601(f.created_at)}};
  j["panel_id"] = f.panel_id ? json(*f.panel_id) : json();
  return j;
}

json SessionView(const app::ForumSession& s) {
  json evidence = json::array();
  for (const auto& e : s.evidence) {
    json j{{"id", e.id}, {"kind", e.kind}, {"title", e.title}, {"author", e.author},
           {"body", e.body}, {"published_at", FormatIso8601(e.created_at)}};
    if (e.file_name) j["file"] = {{"name", *e.file_name}, {"url", "/evidence/" + std::to_string(e.id)}};
    evidence.push_back(j);
  }
  return {{"id", s.id}, {"forum_id", s.forum_id}, {"title", s.title},
          {"starts_at", FormatIso8601(s.starts_at)}, {"place", s.place}, {"agenda", s.agenda},
          {"evidence", evidence}, {"attended", s.attended}};
}

json MotionView(const app::Motion& m) {
  json j{{"id", m.id},
         {"forum_id", m.forum_id},
         {"title", m.title},
         {"text", m.text},
         {"outcome", std::string(app::ToString(m.outcome))},
         {"opened_at", FormatIso8601(m.opened_at)},
         {"constitution_version", m.constitution_version},
         {"votes_cast", m.votes_cast}};
  if (m.closed_at) {
    j["closed_at"] = FormatIso8601(*m.closed_at);
    j["tally"] = {{"eligible", m.eligible}, {"for", m.for_votes}, {"against", m.against},
                  {"abstain", m.abstain}, {"quorum_percent", m.quorum_percent},
                  {"threshold_percent", m.threshold_percent}, {"quorate", m.quorate},
                  {"explanation", m.explanation}};
  }
  if (m.response_due) j["response_due"] = FormatIso8601(*m.response_due);
  j["overdue"] = m.overdue;
  if (m.response) {
    j["response"] = {{"decision", m.response->decision}, {"reasons", m.response->reasons},
                     {"at", FormatIso8601(m.response->at)}};
  }
  json delivery = json::array();
  for (const auto& d : m.delivery) {
    delivery.push_back({{"progress_percent", d.progress_percent}, {"note", d.note},
                        {"evidence", d.evidence}, {"at", FormatIso8601(d.at)}});
  }
  j["delivery"] = delivery;
  if (m.my_choice) j["my_choice"] = *m.my_choice;
  return j;
}

template <typename T>
http::Response Or(Ctx& ctx, const Result<T>& r, const std::function<json(const T&)>& view,
                  HttpStatus status = HttpStatus::ok) {
  if (!r.ok()) return ApiError(ctx, r.error());
  return Json(ctx, view(*r), status);
}

http::Response Done(Ctx& ctx, const Status& s, const json& body, HttpStatus status = HttpStatus::ok) {
  if (!s.ok()) return ApiError(ctx, s.error());
  return Json(ctx, body, status);
}

// The JSON object of a POST, read into a form by `read`; type errors are field errors.
template <typename Form>
Result<Form> ReadBody(Ctx& ctx, const std::function<Form(JsonFields&)>& read) {
  ASSIGN_OR_RETURN(json body, JsonBody(ctx));
  JsonFields f(body);
  Form form = read(f);
  RETURN_IF_ERROR(f.Check());
  return form;
}

http::Response ListForums(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  return Or<std::vector<app::Forum>>(ctx, ctx.app().forums().ListForProgramme(p->id),
                                     [](const auto& list) {
                                       json out = json::array();
                                       for (const auto& f : list) out.push_back(ForumView(f));
                                       return json{{"forums", out}};
                                     });
}

http::Response CreateForum(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto form = ReadBody<app::CreateForumForm>(ctx, [](JsonFields& f) {
    app::CreateForumForm form{f.Str("kind"), f.Str("name"), f.Str("purpose"), f.Int("panel_id"),
                              f.Bool("binding"), f.Bool("community_statements")};
    return form;
  });
  if (!form.ok()) return ApiError(ctx, form.error());
  return Or<app::Forum>(ctx, ctx.app().forums().Create(ctx.actor(), p->id, *form), ForumView,
                        HttpStatus::created);
}

// The number named by path parameter `name`. Errors: kNotFound naming `what`.
Result<int64_t> Id(Ctx& ctx, const std::string& name, const std::string& what) {
  const std::string& text = ctx.req.Param(name);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Error::NotFound("No such " + what);
  }
  return id;
}

http::Response GetForum(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto& forums = ctx.app().forums();
  auto f = forums.Get(*id);
  if (!f.ok()) return ApiError(ctx, f.error());
  auto members = forums.Members(*id);
  auto sessions = forums.Sessions(*id);
  auto motions = forums.Motions(*id);
  auto training = forums.Training(*id);
  if (!members.ok()) return ApiError(ctx, members.error());
  if (!sessions.ok()) return ApiError(ctx, sessions.error());
  if (!motions.ok()) return ApiError(ctx, motions.error());
  if (!training.ok()) return ApiError(ctx, training.error());
  json j = ForumView(*f);
  j["members"] = json::array();
  for (const auto& m : *members) {
    j["members"].push_back({{"id", m.id}, {"name", m.display_name}, {"source", m.source},
                            {"active", m.active}, {"sessions_attended", m.sessions_attended}});
  }
  j["sessions"] = json::array();
  for (const auto& s : *sessions) j["sessions"].push_back(SessionView(s));
  j["motions"] = json::array();
  for (const auto& m : *motions) j["motions"].push_back(MotionView(m));
  j["training"] = json::array();
  for (const auto& t : *training) {
    j["training"].push_back({{"member_id", t.member_id}, {"name", t.display_name},
                             {"course", t.course}, {"completed_on", FormatIso8601(t.completed_on)},
                             {"accredited", t.accredited}});
  }
  return Json(ctx, j);
}

http::Response AddMember(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto user = ReadBody<int64_t>(ctx, [](JsonFields& f) { return f.Int("user_id").value_or(0); });
  if (!user.ok()) return ApiError(ctx, user.error());
  return Or<app::ForumMember>(ctx, ctx.app().forums().AddMember(ctx.actor(), *id, *user),
                              [](const app::ForumMember& m) {
                                return json{{"id", m.id}, {"name", m.display_name},
                                            {"source", m.source}};
                              },
                              HttpStatus::created);
}

http::Response AddSession(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto form = ReadBody<app::SessionForm>(ctx, [](JsonFields& f) {
    return app::SessionForm{f.Str("title"), f.Int("starts_at").value_or(0), f.Str("place"),
                            f.Str("agenda")};
  });
  if (!form.ok()) return ApiError(ctx, form.error());
  return Or<app::ForumSession>(ctx, ctx.app().forums().AddSession(ctx.actor(), *id, *form),
                               SessionView, HttpStatus::created);
}

http::Response GetSession(Ctx& ctx) {
  auto id = Id(ctx, "session", "session");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::ForumSession>(ctx, ctx.app().forums().GetSession(*id), SessionView);
}

http::Response AddEvidence(Ctx& ctx) {
  auto id = Id(ctx, "session", "session");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto form = ReadBody<app::EvidenceForm>(ctx, [](JsonFields& f) {
    app::EvidenceForm form;
    if (f.Has("kind")) form.kind = f.Str("kind");
    form.title = f.Str("title");
    form.author = f.Str("author");
    form.body = f.Str("body");
    return form;
  });
  if (!form.ok()) return ApiError(ctx, form.error());
  return Or<app::Evidence>(ctx, ctx.app().forums().AddEvidence(ctx.actor(), *id, *form),
                           [](const app::Evidence& e) {
                             return json{{"id", e.id}, {"session_id", e.session_id},
                                         {"kind", e.kind}, {"title", e.title}};
                           },
                           HttpStatus::created);
}

http::Response RecordAttendance(Ctx& ctx) {
  auto id = Id(ctx, "session", "session");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  std::vector<int64_t> ids;
  const json list = body->value("attended", json::array());
  const Error bad = Error::Field("attended", "Must be a list of member ids");
  if (!list.is_array()) return ApiError(ctx, bad);
  for (const auto& v : list) {
    if (!v.is_number_integer()) return ApiError(ctx, bad);
    ids.push_back(v.get<int64_t>());
  }
  return Done(ctx, ctx.app().forums().RecordAttendance(ctx.actor(), *id, ids),
              {{"attended", ids.size()}});
}

http::Response AddTraining(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto form = ReadBody<app::TrainingForm>(ctx, [](JsonFields& f) {
    return app::TrainingForm{f.Int("member_id").value_or(0), f.Str("course"),
                             f.Int("completed_on").value_or(0), f.Bool("accredited")};
  });
  if (!form.ok()) return ApiError(ctx, form.error());
  return Or<app::TrainingRecord>(ctx, ctx.app().forums().AddTraining(ctx.actor(), *id, *form),
                                 [](const app::TrainingRecord& t) {
                                   return json{{"id", t.id}, {"member_id", t.member_id},
                                               {"course", t.course}, {"accredited", t.accredited}};
                                 },
                                 HttpStatus::created);
}

http::Response OpenMotion(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto form = ReadBody<app::MotionForm>(ctx, [](JsonFields& f) {
    return app::MotionForm{f.Str("title"), f.Str("text")};
  });
  if (!form.ok()) return ApiError(ctx, form.error());
  return Or<app::Motion>(ctx, ctx.app().forums().OpenMotion(ctx.actor(), *id, *form), MotionView,
                         HttpStatus::created);
}

http::Response GetMotion(Ctx& ctx) {
  auto id = Id(ctx, "motion", "motion");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::Motion>(ctx, ctx.app().forums().GetMotion(ctx.actor(), *id), MotionView);
}

http::Response VoteMotion(Ctx& ctx) {
  auto id = Id(ctx, "motion", "motion");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto choice = ReadBody<std::string>(ctx, [](JsonFields& f) { return f.Str("choice"); });
  if (!choice.ok()) return ApiError(ctx, choice.error());
  return Done(ctx, ctx.app().forums().VoteMotion(ctx.actor(), *id, *choice),
              {{"voted", true}});
}

http::Response CloseMotion(Ctx& ctx) {
  auto id = Id(ctx, "motion", "motion");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::Motion>(ctx, ctx.app().forums().CloseMotion(ctx.actor(), *id), MotionView);
}

http::Response Respond(Ctx& ctx) {
  auto id = Id(ctx, "motion", "motion");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto form = ReadBody<app::ResponseForm>(ctx, [](JsonFields& f) {
    return app::ResponseForm{f.Str("decision"), f.Str("reasons")};
  });
  if (!form.ok()) return ApiError(ctx, form.error());
  return Or<app::Motion>(ctx, ctx.app().forums().Respond(ctx.actor(), *id, *form), MotionView,
                         HttpStatus::created);
}

http::Response Delivery(Ctx& ctx) {
  auto id = Id(ctx, "motion", "motion");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto form = ReadBody<app::DeliveryForm>(ctx, [](JsonFields& f) {
    return app::DeliveryForm{static_cast<int>(f.Int("progress_percent").value_or(-1)),
                             f.Str("note"), f.Str("evidence")};
  });
  if (!form.ok()) return ApiError(ctx, form.error());
  return Or<app::Motion>(ctx, ctx.app().forums().AddDeliveryUpdate(ctx.actor(), *id, *form),
                         MotionView, HttpStatus::created);
}

http::Response GetMap(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::OpinionMapView>(
      ctx, ctx.app().forums().OpinionMap(ctx.actor(), *id), [](const app::OpinionMapView& m) {
        json statements = json::array();
        for (const auto& s : m.statements) {
          json j{{"id", s.id}, {"text", s.text}, {"agree", s.agree}, {"disagree", s.disagree},
                 {"pass", s.pass}};
          if (s.my_vote) j["my_vote"] = *s.my_vote;
          statements.push_back(j);
        }
        json groups = json::array();
        for (const auto& g : m.group_rows) {
          groups.push_back({{"label", g.label}, {"size", g.size}, {"agrees_with", g.agrees_with},
                            {"disagrees_with", g.disagrees_with}});
        }
        auto rows = [](const std::vector<app::OpinionMapView::StatementRow>& in) {
          json out = json::array();
          for (const auto& r : in) {
            out.push_back({{"text", r.text}, {"direction", r.direction}, {"by_group", r.by_group}});
          }
          return out;
        };
        return json{{"participants", m.participants}, {"groups", groups},
                    {"silhouette", m.silhouette}, {"statements", statements},
                    {"consensus", rows(m.consensus)}, {"divisive", rows(m.divisive)}};
      });
}

http::Response PostStatement(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto text = ReadBody<std::string>(ctx, [](JsonFields& f) { return f.Str("text"); });
  if (!text.ok()) return ApiError(ctx, text.error());
  return Or<app::StatementView>(ctx, ctx.app().forums().PostStatement(ctx.actor(), *id, *text),
                                [](const app::StatementView& s) {
                                  return json{{"id", s.id}, {"text", s.text}};
                                },
                                HttpStatus::created);
}

http::Response VoteStatement(Ctx& ctx) {
  auto id = Id(ctx, "statement", "statement");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto vote = ReadBody<std::string>(ctx, [](JsonFields& f) { return f.Str("vote"); });
  if (!vote.ok()) return ApiError(ctx, vote.error());
  const int v = *vote == "agree" ? 1 : *vote == "disagree" ? -1 : *vote == "pass" ? 0 : 2;
  return Done(ctx, ctx.app().forums().VoteStatement(ctx.actor(), *id, v), {{"vote", *vote}});
}

http::Response ScreenedRounds(Ctx& ctx) {
  auto id = Id(ctx, "forum", "forum");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto f = ctx.app().forums().Get(*id);
  if (!f.ok()) return ApiError(ctx, f.error());
  return Or<std::vector<app::PbRound>>(ctx, ctx.app().pb_rounds().ScreenedBy(*id),
                                       [](const auto& list) {
                                         json out = json::array();
                                         for (const auto& r : list) out.push_back(PbRoundJson(r));
                                         return json{{"rounds", out}};
                                       });
}

}  // namespace

void AddForumApi(WebApp&, const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/api/programmes/{id}/forums", ListForums);
  on(Method::post, "/api/programmes/{id}/forums", CreateForum);
  on(Method::get, "/api/forums/{forum}", GetForum);
  on(Method::post, "/api/forums/{forum}/members", AddMember);
  on(Method::post, "/api/forums/{forum}/sessions", AddSession);
  on(Method::post, "/api/forums/{forum}/training", AddTraining);
  on(Method::post, "/api/forums/{forum}/motions", OpenMotion);
  on(Method::get, "/api/forums/{forum}/map", GetMap);
  on(Method::post, "/api/forums/{forum}/statements", PostStatement);
  on(Method::get, "/api/forums/{forum}/pb-rounds", ScreenedRounds);
  on(Method::post, "/api/statements/{statement}/vote", VoteStatement);
  on(Method::get, "/api/sessions/{session}", GetSession);
  on(Method::post, "/api/sessions/{session}/evidence", AddEvidence);
  on(Method::post, "/api/sessions/{session}/attendance", RecordAttendance);
  on(Method::get, "/api/motions/{motion}", GetMotion);
  on(Method::post, "/api/motions/{motion}/vote", VoteMotion);
  on(Method::post, "/api/motions/{motion}/close", CloseMotion);
  on(Method::post, "/api/motions/{motion}/response", Respond);
  on(Method::post, "/api/motions/{motion}/delivery", Delivery);
}

}  // namespace communitise::web
