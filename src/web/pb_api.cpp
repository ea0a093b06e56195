// The participatory-budgeting JSON API: rounds, projects, screening, ballots, paper
// batches, results, awards and exports. Same use cases as the pages (pb_pages.cpp).
#include <charconv>

#include "communitise/core/clock.h"
#include "labels.h"
#include "pb_views.h"

namespace communitise::web {

using http::HttpStatus;
using http::Method;
using nlohmann::json;

json PbRoundJson(const app::PbRound& r) {
  json splits = json::array();
  for (const auto& s : r.splits) {
    splits.push_back({{"kind", s.kind}, {"name", s.name}, {"amount_pence", s.amount_pence}});
  }
  json j = {{"id", r.id},
            {"programme_id", r.programme_id},
            {"programme_slug", r.programme_slug},
            {"programme_name", r.programme_name},
            {"title", r.title},
            {"budget_pence", r.budget_pence},
            {"phase", std::string(app::ToString(r.phase))},
            {"rule", r.rule},
            {"ballot_type", r.ballot_type},
            {"approval_min", r.approval_min},
            {"approval_max", r.approval_max},
            {"points", r.points},
            {"constitution_version", r.constitution_version},
            {"proposals_close", r.proposals_close},
            {"voting_opens", r.voting_opens},
            {"voting_closes", r.voting_closes},
            {"splits", splits},
            {"screening_panel_size", r.screeners.size()},
            {"ballots", r.ballots},
            {"created_at", r.created_at}};
  if (r.published_at) j["published_at"] = *r.published_at;
  if (r.screening_forum_id) {
    j["screening_forum_id"] = *r.screening_forum_id;
    j["screening_forum_name"] = r.screening_forum_name;
  }
  j["panel_decides"] = r.panel_decides;
  return j;
}

json PbProjectJson(const app::PbProject& p) {
  json files = json::array();
  for (const auto& a : p.attachments) {
    files.push_back({{"id", a.id}, {"filename", a.filename}, {"content_type", a.content_type},
                     {"size_bytes", a.size_bytes}, {"url", "/pb/attachments/" + std::to_string(a.id)}});
  }
  json j = {{"id", p.id},
            {"round_id", p.round_id},
            {"kind", p.kind},
            {"proposer_name", p.proposer_name},
            {"org_name", p.org_name},
            {"org_number", p.org_number},
            {"title", p.title},
            {"summary", p.summary},
            {"area", p.area},
            {"theme", p.theme},
            {"outcomes", p.outcomes},
            {"cost_pence", p.cost_pence},
            {"requested_pence", p.requested_pence},
            {"cost_reason", p.cost_reason},
            {"status", std::string(app::ToString(p.status))},
            {"check_note", p.check_note},
            {"screening_reason", p.screening_reason},
            {"story", p.story},
            {"attachments", files}};
  if (p.votes) j["votes"] = *p.votes;
  if (p.funded) j["funded"] = *p.funded;
  return j;
}

json PbResultsJson(const app::PbResults& r) {
  json projects = json::array();
  for (const auto& p : r.projects) {
    projects.push_back({{"project_id", p.project_id}, {"title", p.title},
                        {"cost_pence", p.cost_pence}, {"votes", p.votes}, {"funded", p.funded},
                        {"story", p.story}, {"part", p.part + 1}});
  }
  json parts = json::array();
  for (size_t i = 0; i < r.parts.size(); ++i) {
    const auto& p = r.parts[i];
    parts.push_back({{"part", i + 1}, {"kind", p.kind}, {"name", p.name},
                     {"budget_pence", p.budget_pence}, {"spent_pence", p.spent_pence},
                     {"voters", p.voters},
                     {"pabulib", r.parts.size() > 1
                                     ? "/pb/rounds/" + std::to_string(r.round_id) + "/parts/" +
                                           std::to_string(i + 1) + "/ballots.pb"
                                     : "/pb/rounds/" + std::to_string(r.round_id) + "/ballots.pb"}});
  }
  return {{"round_id", r.round_id}, {"rule", r.rule}, {"budget_pence", r.budget_pence},
          {"spent_pence", r.spent_pence}, {"ballots", r.ballots},
          {"published_at", r.published_at}, {"parts", parts}, {"projects", projects}};
}

json PbAwardJson(const app::PbAward& a) {
  json updates = json::array();
  for (const auto& u : a.updates) {
    updates.push_back({{"id", u.id}, {"kind", u.kind}, {"text", u.text}, {"evidence", u.evidence},
                       {"amount", u.amount_pence}, {"at", u.at}});
  }
  return {{"id", a.id}, {"round_id", a.round_id}, {"project_id", a.project_id},
          {"title", a.title}, {"org_name", a.org_name}, {"amount_pence", a.amount_pence},
          {"spent_pence", a.spent_pence}, {"progress_percent", a.progress_percent},
          {"status", a.status}, {"awarded_at", a.awarded_at}, {"updates", updates}};
}

json PbBatchJson(const app::PaperBatch& b) {
  json j = {{"id", b.id}, {"round_id", b.round_id}, {"label", b.label}, {"ballots", b.ballots},
            {"status", b.status}, {"entered_by", b.entered_by}, {"created_at", b.created_at}};
  if (b.confirmed_by) j["confirmed_by"] = *b.confirmed_by;
  return j;
}

Result<app::CastBallotForm> ParseBallotText(const std::string& text) {
  app::CastBallotForm out;
  size_t pos = 0;
  auto bad = [] {
    return Error::InvalidArgument("Write a ballot as project numbers separated by commas",
                                  {{"ballots", "Write each ballot as project numbers separated "
                                               "by commas, with :points after each for points "
                                               "ballots (12:5,7:3)"}});
  };
  std::string s;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r') s += c;
  }
  while (pos < s.size()) {
    size_t comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(pos, comma - pos);
    size_t colon = item.find(':');
    int64_t id = 0, points = 0;
    std::string idpart = item.substr(0, colon);
    auto r = std::from_chars(idpart.data(), idpart.data() + idpart.size(), id);
    if (idpart.empty() || r.ec != std::errc() || r.ptr != idpart.data() + idpart.size()) return bad();
    out.choices.push_back(id);
    if (colon != std::string::npos) {
      std::string pp = item.substr(colon + 1);
      auto r2 = std::from_chars(pp.data(), pp.data() + pp.size(), points);
      if (pp.empty() || r2.ec != std::errc() || r2.ptr != pp.data() + pp.size()) return bad();
      out.points.push_back(points);
    }
    pos = comma + 1;
  }
  return out;
}

Result<int64_t> IdParam(Ctx& ctx, const std::string& name, const std::string& what) {
  const std::string& text = ctx.req.Param(name);
  int64_t id = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return Error::NotFound("No such " + what);
  }
  return id;
}

namespace {

template <typename T>
http::Response Or(Ctx& ctx, const Result<T>& r, const std::function<json(const T&)>& view,
                  HttpStatus status = HttpStatus::ok) {
  if (!r.ok()) return ApiError(ctx, r.error());
  return Json(ctx, view(*r), status);
}

http::Response Download(Ctx& ctx, const Result<std::string>& body, const std::string& type,
                        const std::string& filename) {
  if (!body.ok()) return ctx.req.WantsJson() ? ApiError(ctx, body.error()) : ErrorPage(ctx, body.error());
  auto res = http::MakeResponse(ctx.req, HttpStatus::ok, type, *body);
  res.set(http::bhttp::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  return res;
}

http::Response ListRounds(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  return Or<std::vector<app::PbRound>>(ctx, ctx.app().pb_rounds().ListForProgramme(p->id),
                                       [](const auto& list) {
                                         json out = json::array();
                                         for (const auto& r : list) out.push_back(PbRoundJson(r));
                                         return json{{"rounds", out}};
                                       });
}

http::Response OpenRound(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ApiError(ctx, p.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::OpenRoundForm form;
  form.title = f.Str("title");
  form.budget_pence = f.Int("budget_pence").value_or(0);
  form.proposals_close = f.Int("proposals_close").value_or(0);
  form.voting_opens = f.Int("voting_opens").value_or(0);
  form.voting_closes = f.Int("voting_closes").value_or(0);
  form.screeners = f.StrList("screeners");
  if (f.Has("approval_min")) form.approval_min = static_cast<int>(f.Int("approval_min").value_or(1));
  if (f.Has("approval_max")) form.approval_max = static_cast<int>(f.Int("approval_max").value_or(-1));
  if (f.Has("points")) form.points = static_cast<int>(f.Int("points").value_or(10));
  form.screening_forum_id = f.Int("screening_forum_id");
  form.panel_decides = f.Bool("panel_decides");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  if (body->contains("splits") && (*body)["splits"].is_array()) {
    for (const auto& s : (*body)["splits"]) {
      if (!s.is_object()) continue;
      form.splits.push_back({s.value("kind", ""), s.value("name", ""), s.value("amount_pence", int64_t{0})});
    }
  }
  return Or<app::PbRound>(ctx, ctx.app().pb_rounds().Open(ctx.actor(), p->id, form), PbRoundJson,
                          HttpStatus::created);
}

http::Response GetRound(Ctx& ctx) {
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto round = ctx.app().pb_rounds().Get(*id);
  if (!round.ok()) return ApiError(ctx, round.error());
  auto projects = ctx.app().pb_rounds().ListProjects(ctx.actor(), *id);
  if (!projects.ok()) return ApiError(ctx, projects.error());
  json j = PbRoundJson(*round);
  j["projects"] = json::array();
  for (const auto& p : *projects) j["projects"].push_back(PbProjectJson(p));
  return Json(ctx, j);
}

http::Response SetPhase(Ctx& ctx) {
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  std::string phase = f.Str("phase");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbRound>(ctx, ctx.app().pb_rounds().SetPhase(ctx.actor(), *id, phase), PbRoundJson);
}

app::ProjectForm ProjectFormFrom(JsonFields& f) {
  app::ProjectForm form;
  if (f.Has("kind")) form.kind = f.Str("kind");
  form.title = f.Str("title");
  form.summary = f.Str("summary");
  form.cost_pence = f.Int("cost_pence").value_or(0);
  form.area = f.Str("area");
  form.theme = f.Str("theme");
  form.outcomes = f.Str("outcomes");
  form.org_name = f.Str("org_name");
  form.org_number = f.Str("org_number");
  form.submit = f.Has("submit") ? f.Bool("submit") : true;
  return form;
}

http::Response SubmitProject(Ctx& ctx) {
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::ProjectForm form = ProjectFormFrom(f);
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbProject>(ctx, ctx.app().pb_rounds().Submit(ctx.actor(), *id, form),
                            PbProjectJson, HttpStatus::created);
}

http::Response GetProject(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::PbProject>(ctx, ctx.app().pb_rounds().GetProject(ctx.actor(), *id), PbProjectJson);
}

http::Response EditProject(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::ProjectForm form = ProjectFormFrom(f);
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbProject>(ctx, ctx.app().pb_rounds().Edit(ctx.actor(), *id, form), PbProjectJson);
}

http::Response WithdrawProject(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::PbProject>(ctx, ctx.app().pb_rounds().Withdraw(ctx.actor(), *id), PbProjectJson);
}

http::Response CheckProject(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::CheckForm form;
  form.eligible = f.Has("eligible") ? f.Bool("eligible") : true;
  form.cost_pence = f.Int("cost_pence");
  form.cost_reason = f.Str("cost_reason");
  form.note = f.Str("note");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbProject>(ctx, ctx.app().pb_rounds().Check(ctx.actor(), *id, form), PbProjectJson);
}

http::Response ScreenProject(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::ScreenForm form{f.Str("decision"), f.Str("reason")};
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbProject>(ctx, ctx.app().pb_rounds().Screen(ctx.actor(), *id, form), PbProjectJson);
}

http::Response DeclareConflict(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  std::string declaration = f.Str("declaration");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  auto s = ctx.app().pb_rounds().DeclareConflict(ctx.actor(), *id, declaration);
  if (!s.ok()) return ApiError(ctx, s.error());
  return Json(ctx, {{"declared", true}}, HttpStatus::created);
}

json DiscussionEntryJson(const app::PbDiscussionEntry& d) {
  return {{"id", d.id}, {"author", d.author}, {"text", d.text}, {"at", d.at}};
}

http::Response GetDiscussion(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto project = ctx.app().pb_rounds().GetProject(ctx.actor(), *id);
  if (!project.ok()) return ApiError(ctx, project.error());
  auto discussion = ctx.app().pb_rounds().Discussion(*id);
  if (!discussion.ok()) return ApiError(ctx, discussion.error());
  auto interests = ctx.app().pb_rounds().Interests(*id);
  if (!interests.ok()) return ApiError(ctx, interests.error());
  json d = json::array(), i = json::array();
  for (const auto& e : *discussion) d.push_back(DiscussionEntryJson(e));
  for (const auto& e : *interests) {
    i.push_back({{"name", e.name}, {"declaration", e.declaration}, {"at", e.at}});
  }
  return Json(ctx, {{"project_id", *id}, {"discussion", d}, {"interests", i}});
}

http::Response PostDiscussion(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  std::string text = f.Str("text");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbDiscussionEntry>(ctx, ctx.app().pb_rounds().Discuss(ctx.actor(), *id, text),
                                    DiscussionEntryJson, HttpStatus::created);
}

http::Response DecideProject(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::PanelDecisionForm form{f.Str("decision"), f.Str("reason")};
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbProject>(ctx, ctx.app().pb_rounds().Decide(ctx.actor(), *id, form), PbProjectJson);
}

http::Response CastBallot(Ctx& ctx) {
  auto id = IdParam(ctx, "round", "round");
  auto body = id.ok() ? JsonBody(ctx) : Result<json>(id.error());
  if (ctx.session_unread && !body.ok()) {
    // Which error comes first depends on the session: read it on a worker.
    ctx.req.RunOnWorker();
    return http::Response{};
  }
  if (!id.ok()) return ApiError(ctx, id.error());
  if (!body.ok()) return ApiError(ctx, body.error());
  app::CastBallotForm form;
  std::vector<FieldError> errors;
  auto ints = [&](const char* name, std::vector<int64_t>& out) {
    if (!body->contains(name)) return;
    const json& list = (*body)[name];
    if (!list.is_array()) {
      errors.push_back({name, "Must be a list of whole numbers"});
      return;
    }
    for (const auto& v : list) {
      if (!v.is_number_integer()) {
        errors.push_back({name, "Must be a list of whole numbers"});
        return;
      }
      out.push_back(v.get<int64_t>());
    }
  };
  ints("choices", form.choices);
  ints("points", form.points);
  JsonFields f(*body);
  form.replace = f.Bool("replace");
  if (ctx.session_unread && (!f.Check().ok() || !errors.empty() || !ctx.req.CanDefer())) {
    ctx.req.RunOnWorker();
    return http::Response{};
  }
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  if (!errors.empty()) return ApiError(ctx, Error::InvalidArgument("Check your ballot", errors));
  auto answer = [](Ctx& c, const Result<app::BallotReceipt>& receipt) {
    if (!receipt.ok()) return ApiError(c, receipt.error());
    return Json(c, {{"receipt", receipt->code}, {"replaced", receipt->replaced}},
                receipt->replaced ? HttpStatus::ok : HttpStatus::created);
  };
  if (ctx.session_unread) {
    // A session not in memory is read by the ballot writer with its batch; the answer
    // is then the one reading it first would have given.
    auto reply = ctx.Defer();
    ctx.app().pb_rounds().CastBallotWithSessionToken(
        ctx.session_token, ctx.submitted_csrf, *id, form,
        [reply, answer, req = &ctx.req, web = &ctx.web, csrf = ctx.submitted_csrf](
            Result<app::BallotReceipt> receipt, app::SessionCheck check) {
          Ctx later{*req, *web};  // the request lives until reply is called
          later.submitted_csrf = csrf;
          switch (check) {
            case app::SessionCheck::kOk:
              return reply(answer(later, receipt));
            case app::SessionCheck::kCsrfMismatch:
              return reply(CsrfRefused(later));
            case app::SessionCheck::kNoSession:
              return reply(AnswerWithoutSession(later, [](Ctx& c) {
                return ApiError(c, Error::Unauthenticated("Sign in to vote"));
              }));
          }
        });
    return http::Response{};
  }
  // The ballot waits for its group commit without holding a worker thread: the answer
  // is rendered and sent from the ballot writer once the ballot is durable.
  if (auto reply = ctx.Defer()) {
    ctx.app().pb_rounds().CastBallotAsync(
        ctx.actor(), *id, form,
        [reply, answer, req = &ctx.req, web = &ctx.web](Result<app::BallotReceipt> receipt) {
          Ctx later{*req, *web};  // the request lives until reply is called
          reply(answer(later, receipt));
        });
    return http::Response{};
  }
  return answer(ctx, ctx.app().pb_rounds().CastBallot(ctx.actor(), *id, form));
}

http::Response CheckReceipt(Ctx& ctx) {
  auto r = ctx.app().pb_rounds().CheckReceipt(ctx.req.Param("code"));
  return Or<app::ReceiptStatus>(ctx, r, [](const app::ReceiptStatus& s) {
    return json{{"round_id", s.round_id}, {"round_title", s.round_title},
                {"counted", s.counted}, {"closed", s.closed}};
  });
}

http::Response EnterPaper(Ctx& ctx) {
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::PaperBatchForm form;
  form.label = f.Str("label");
  for (const auto& text : f.StrList("ballots")) {
    auto b = ParseBallotText(text);
    if (!b.ok()) return ApiError(ctx, b.error());
    form.ballots.push_back(*b);
  }
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PaperBatch>(ctx, ctx.app().pb_rounds().EnterPaperBatch(ctx.actor(), *id, form),
                             PbBatchJson, HttpStatus::created);
}

http::Response ConfirmPaper(Ctx& ctx) {
  auto id = IdParam(ctx, "batch", "batch");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::PaperBatch>(ctx, ctx.app().pb_rounds().ConfirmPaperBatch(ctx.actor(), *id),
                             PbBatchJson);
}

http::Response Results(Ctx& ctx) {
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<app::PbResults>(ctx, ctx.app().pb_rounds().Results(*id), PbResultsJson);
}

http::Response Awards(Ctx& ctx) {
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return ApiError(ctx, id.error());
  return Or<std::vector<app::PbAward>>(ctx, ctx.app().pb_rounds().Awards(*id), [](const auto& list) {
    json out = json::array();
    for (const auto& a : list) out.push_back(PbAwardJson(a));
    return json{{"awards", out}};
  });
}

http::Response UpdateAward(Ctx& ctx) {
  auto id = IdParam(ctx, "award", "award");
  if (!id.ok()) return ApiError(ctx, id.error());
  auto body = JsonBody(ctx);
  if (!body.ok()) return ApiError(ctx, body.error());
  JsonFields f(*body);
  app::AwardUpdateForm form;
  form.kind = f.Str("kind");
  form.text = f.Str("text");
  form.amount_pence = f.Int("amount_pence").value_or(0);
  form.progress_percent = static_cast<int>(f.Int("progress_percent").value_or(-1));
  form.evidence = f.Str("evidence");
  if (auto s = f.Check(); !s.ok()) return ApiError(ctx, s.error());
  return Or<app::PbAward>(ctx, ctx.app().pb_rounds().UpdateAward(ctx.actor(), *id, form),
                          PbAwardJson, HttpStatus::created);
}

}  // namespace

// Downloads shared by the pages and the API (public files, not JSON views).
http::Response PbDownload(Ctx& ctx, const std::string& what) {
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return ErrorPage(ctx, id.error());
  auto& pb = ctx.app().pb_rounds();
  const std::string base = "pb-round-" + std::to_string(*id);
  if (what == "pabulib") {
    const std::string& part_text = ctx.req.Param("part");
    if (part_text.empty()) return Download(ctx, pb.ExportPabulib(*id), "text/csv; charset=utf-8", base + ".pb");
    int part = 0;
    auto r = std::from_chars(part_text.data(), part_text.data() + part_text.size(), part);
    if (r.ec != std::errc() || r.ptr != part_text.data() + part_text.size() || part < 1) {
      return ErrorPage(ctx, Error::NotFound("This round has no such part"));
    }
    return Download(ctx, pb.ExportPabulib(*id, part - 1), "text/csv; charset=utf-8",
                    base + "-part-" + part_text + ".pb");
  }
  if (what == "projects") return Download(ctx, pb.ExportProjectsCsv(*id), "text/csv; charset=utf-8", base + "-projects.csv");
  if (what == "360json") return Download(ctx, pb.Export360GivingJson(*id), "application/json", base + "-360giving.json");
  return Download(ctx, pb.Export360GivingCsv(*id), "text/csv; charset=utf-8", base + "-360giving.csv");
}

void AddPbApi(const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/api/programmes/{id}/pb/rounds", ListRounds);
  on(Method::post, "/api/programmes/{id}/pb/rounds", OpenRound);
  on(Method::get, "/api/pb/rounds/{round}", GetRound);
  on(Method::post, "/api/pb/rounds/{round}/phase", SetPhase);
  on(Method::post, "/api/pb/rounds/{round}/projects", SubmitProject);
  on(Method::get, "/api/pb/projects/{project}", GetProject);
  on(Method::put, "/api/pb/projects/{project}", EditProject);
  on(Method::post, "/api/pb/projects/{project}/withdraw", WithdrawProject);
  on(Method::post, "/api/pb/projects/{project}/check", CheckProject);
  on(Method::post, "/api/pb/projects/{project}/screening", ScreenProject);
  on(Method::post, "/api/pb/projects/{project}/conflicts", DeclareConflict);
  on(Method::get, "/api/pb/projects/{project}/discussion", GetDiscussion);
  on(Method::post, "/api/pb/projects/{project}/discussion", PostDiscussion);
  on(Method::post, "/api/pb/projects/{project}/decision", DecideProject);
  on(Method::post, "/api/pb/rounds/{round}/ballot", CastBallot);
  on(Method::get, "/api/pb/receipts/{code}", CheckReceipt);
  on(Method::post, "/api/pb/rounds/{round}/paper-batches", EnterPaper);
  on(Method::post, "/api/pb/paper-batches/{batch}/confirm", ConfirmPaper);
  on(Method::get, "/api/pb/rounds/{round}/results", Results);
  on(Method::get, "/api/pb/rounds/{round}/awards", Awards);
  on(Method::post, "/api/pb/awards/{award}/updates", UpdateAward);
}

}  // namespace communitise::web
