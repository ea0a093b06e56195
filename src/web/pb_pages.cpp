// Participatory-budgeting pages: rounds, proposals and bids, screening, the ballot,
// receipts, results with charts, awards and downloads. Every form works without
// JavaScript; the ballot's running total is recomputed by the server ("Update total").
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "communitise/core/clock.h"
#include "communitise/core/text.h"
#include "labels.h"
#include "pb_views.h"

namespace communitise::web {

using http::HttpStatus;
using http::Method;
using nlohmann::json;

namespace {

// ---- parsing form input ------------------------------------------------------------------

// "50000", "£50,000", "1,250.50" → pence.
std::optional<int64_t> ParseMoney(const std::string& text) {
  std::string s;
  for (char c : text) {
    if (c == ',' || c == ' ') continue;
    s += c;
  }
  if (s.rfind("£", 0) == 0) s = s.substr(std::string("£").size());
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t pounds = 0, pence = 0;
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), ::isdigit)) return std::nullopt;
  pounds = std::stoll(whole);
  if (dot != std::string::npos) {
    std::string frac = s.substr(dot + 1);
    if (frac.empty() || frac.size() > 2 || !std::all_of(frac.begin(), frac.end(), ::isdigit)) {
      return std::nullopt;
    }
    if (frac.size() == 1) frac += '0';
    pence = std::stoll(frac);
  }
  return pounds * 100 + pence;
}

// "2026-12-01" → seconds at the start of that day (UTC), plus `offset`.
std::optional<int64_t> ParseDate(const std::string& text, int64_t offset) {
  std::tm tm{};
  if (text.size() != 10 || !strptime(text.c_str(), "%Y-%m-%d", &tm)) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) + offset;
}

std::string DateInput(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string Pounds(int64_t pence) { return Money(pence); }

std::string PoundsInput(int64_t pence) {
  if (pence % 100 == 0) return std::to_string(pence / 100);
  return fmt::format("{}.{:02d}", pence / 100, pence % 100);
}

http::Response Fail(Ctx& ctx, const Error& e) { return ErrorPage(ctx, e); }

Result<app::PbRound> RoundFromParam(Ctx& ctx) {
  ASSIGN_OR_RETURN(int64_t id, IdParam(ctx, "round", "round"));
  return ctx.app().pb_rounds().Get(id);
}

// ---- views -------------------------------------------------------------------------------

json PhaseSteps(const app::PbRound& r) {
  json steps = json::array();
  for (auto p : {app::PbPhase::kProposals, app::PbPhase::kScreening, app::PbPhase::kVoting,
                 app::PbPhase::kResults, app::PbPhase::kDelivery}) {
    if (p == app::PbPhase::kVoting && r.panel_decides) continue;  // no ballot
    steps.push_back({{"label", std::string(app::Label(p))},
                     {"current", p == r.phase},
                     {"done", static_cast<int>(p) < static_cast<int>(r.phase)}});
  }
  return steps;
}

json RoundView(Ctx& ctx, const app::PbRound& r) {
  json j = PbRoundJson(r);
  j["budget"] = Pounds(r.budget_pence);
  j["phase_label"] = std::string(app::Label(r.phase));
  j["steps"] = PhaseSteps(r);
  j["proposals_close_date"] = FormatLongDate(r.proposals_close);
  j["voting_opens_date"] = FormatLongDate(r.voting_opens);
  j["voting_closes_date"] = FormatLongDate(r.voting_closes);
  j["can_run"] = app::PbRounds::CanRun(ctx.actor(), r);
  j["in_proposals"] = r.phase == app::PbPhase::kProposals;
  j["in_screening"] = r.phase == app::PbPhase::kScreening;
  j["in_voting"] = r.phase == app::PbPhase::kVoting;
  j["published"] = r.published_at.has_value();
  j["rule_label"] = r.rule == "equal_shares" ? "Method of Equal Shares"
                    : r.rule == "phragmen"   ? "Sequential Phragmén"
                                             : "Most votes first (greedy)";
  std::string ballot;
  if (r.ballot_type == "approval") {
    ballot = fmt::format("Choose at least {}", std::max(1, r.approval_min));
    if (r.approval_max > 0) ballot += fmt::format(" and at most {}", r.approval_max);
    ballot += " projects";
  } else if (r.ballot_type == "knapsack") {
    ballot = "Choose projects whose costs add up to no more than the budget";
  } else if (r.ballot_type == "cumulative") {
    ballot = fmt::format("Share {} points between the projects", r.points);
  } else {
    ballot = "Rank the projects in order of preference";
    if (r.approval_max > 0) ballot += fmt::format(" (up to {})", r.approval_max);
  }
  j["ballot_label"] = ballot;
  json splits = json::array();
  for (const auto& s : r.splits) {
    splits.push_back({{"kind", s.kind}, {"name", s.name}, {"amount", Pounds(s.amount_pence)}});
  }
  j["splits"] = splits;
  j["has_splits"] = !splits.empty();
  if (r.panel_decides) {
    auto funded = ctx.app().pb_rounds().FundedByPanel(r.id);
    j["funded_so_far"] = Pounds(funded.ok() ? *funded : 0);
    j["rule_label"] = "By the decision of " + r.screening_forum_name + ", within the fund";
  }
  return j;
}

// In a round its panel decides, accepted and rejected mean funded and not funded.
void PanelLabels(json& project, const app::PbRound& r, app::PbProjectStatus status) {
  if (!r.panel_decides) return;
  if (status == app::PbProjectStatus::kAccepted) project["status_label"] = "Funded by the panel";
  if (status == app::PbProjectStatus::kRejected) project["status_label"] = "Not funded by the panel";
}

std::string StatusTag(app::PbProjectStatus s) {
  switch (s) {
    case app::PbProjectStatus::kAccepted: return "govuk-tag--green";
    case app::PbProjectStatus::kRejected:
    case app::PbProjectStatus::kIneligible: return "govuk-tag--red";
    case app::PbProjectStatus::kWithdrawn: return "govuk-tag--grey";
    case app::PbProjectStatus::kEligible: return "govuk-tag--blue";
    default: return "govuk-tag--yellow";
  }
}

json ProjectView(const app::PbProject& p) {
  json j = PbProjectJson(p);
  j["cost"] = Pounds(p.cost_pence);
  j["requested"] = Pounds(p.requested_pence);
  j["cost_adjusted"] = p.cost_pence != p.requested_pence;
  j["status_label"] = std::string(app::Label(p.status));
  j["status_tag"] = StatusTag(p.status);
  j["is_bid"] = p.kind == "bid";
  j["kind_label"] = p.kind == "bid" ? "Bid from a group" : "Resident's proposal";
  if (p.funded) {
    j["funded_label"] = *p.funded ? "Funded" : "Not funded";
    j["is_funded"] = *p.funded;
  }
  for (auto& a : j["attachments"]) {
    a["size"] = fmt::format("{} KB", (a["size_bytes"].get<int64_t>() + 1023) / 1024);
  }
  j["has_attachments"] = !p.attachments.empty();
  return j;
}

// ---- charts (server-rendered SVG with a table beside it) ---------------------------------

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Horizontal bars, one per project: votes (funded dark, not funded light).
std::string VotesChart(const app::PbResults& r, const std::string& id) {
  const int row = 28, label_w = 260, bar_w = 380;
  const int h = static_cast<int>(r.projects.size()) * row + 20;
  int64_t max_votes = 1;
  for (const auto& p : r.projects) max_votes = std::max(max_votes, p.votes);
  std::string svg = fmt::format(
      R"(<svg class="app-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">Votes for each project; funded projects in dark blue. The table below gives the same figures.</title>)",
      label_w + bar_w + 80, h, id, id);
  int y = 10;
  for (const auto& p : r.projects) {
    const int w = static_cast<int>(bar_w * p.votes / max_votes);
    std::string title = p.title.size() > 34 ? p.title.substr(0, 32) + "…" : p.title;
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" font-size="14" fill="#0b0c0c">{}</text>)",
                       label_w - 8, y + 17, Escape(title));
    svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="20" fill="{}"/>)", label_w, y + 2,
                       std::max(w, 1), p.funded ? "#1d70b8" : "#b1b4b6");
    svg += fmt::format(R"(<text x="{}" y="{}" font-size="14" fill="#0b0c0c">{}</text>)",
                       label_w + w + 6, y + 17, p.votes);
    y += row;
  }
  return svg + "</svg>";
}

// One bar: the budget, with the part spent on funded projects.
std::string BudgetChart(const app::PbResults& r, const std::string& id) {
  const int w = 640;
  const int spent = r.budget_pence > 0 ? static_cast<int>(w * r.spent_pence / r.budget_pence) : 0;
  return fmt::format(
      R"(<svg class="app-chart" viewBox="0 0 {} 60" role="img" aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">Budget used: {} of {}</title><rect x="0" y="10" width="{}" height="28" fill="#f3f2f1" stroke="#0b0c0c"/><rect x="0" y="10" width="{}" height="28" fill="#00703c"/><text x="0" y="56" font-size="14" fill="#0b0c0c">{} of {} used</text></svg>)",
      w, id, id, Pounds(r.spent_pence), Pounds(r.budget_pence), w, spent, Pounds(r.spent_pence),
      Pounds(r.budget_pence));
}

// ---- rounds --------------------------------------------------------------------------------

http::Response RoundsPage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return Fail(ctx, p.error());
  auto rounds = ctx.app().pb_rounds().ListForProgramme(p->id);
  if (!rounds.ok()) return Fail(ctx, rounds.error());
  json list = json::array();
  for (const auto& r : *rounds) list.push_back(RoundView(ctx, r));
  json data = {{"programme", ProgrammeJson(*p)}, {"rounds", list}, {"has_rounds", !list.empty()},
               {"can_open", CanManage(ctx.actor(), *p) ||
                                (ctx.actor() && ctx.actor()->Has(app::Role::kBoardMember,
                                                                 p->public_body_id, p->id))}};
  return RenderPage(ctx, "pb_rounds", "Participatory budgeting: " + p->name, data);
}

json OpenFormData(Ctx& ctx, const app::Programme& p) {
  const int64_t now = ctx.app().clock().NowSeconds();
  auto get = [&](const char* name, const std::string& fallback) {
    auto v = ctx.form.Get(name);
    return v ? *v : fallback;
  };
  return {{"programme", ProgrammeJson(p)},
          {"title", get("title", "")},
          {"budget", get("budget", p.annual_budget_pence ? PoundsInput(*p.annual_budget_pence) : "")},
          {"proposals_close", get("proposals_close", DateInput(now + 28 * 86400))},
          {"voting_opens", get("voting_opens", DateInput(now + 42 * 86400))},
          {"voting_closes", get("voting_closes", DateInput(now + 56 * 86400))},
          {"screeners", get("screeners", "")},
          {"approval_min", get("approval_min", "")},
          {"approval_max", get("approval_max", "")},
          {"points", get("points", "")},
          {"splits", get("splits", "")},
          {"forums", [&] {
             json list = json::array();
             auto forums = ctx.app().forums().ListForProgramme(p.id);
             const std::string chosen = get("screening_forum_id", "");
             if (forums.ok()) {
               for (const auto& f : *forums) {
                 list.push_back({{"id", f.id}, {"name", f.name},
                                 {"selected", chosen == std::to_string(f.id)}});
               }
             }
             return list;
           }()},
          {"has_forums", [&] {
             auto forums = ctx.app().forums().ListForProgramme(p.id);
             return forums.ok() && !forums->empty();
           }()},
          {"panel_decides", ctx.form.Has("panel_decides")}};
}

http::Response OpenRoundPage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return Fail(ctx, p.error());
  return RenderPage(ctx, "pb_round_new", "Open a participatory budgeting round", OpenFormData(ctx, *p));
}

http::Response OpenRoundSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return Fail(ctx, p.error());
  std::vector<FieldError> errors;
  app::OpenRoundForm form;
  form.title = ctx.form.GetOr("title");
  auto budget = ParseMoney(ctx.form.GetOr("budget"));
  if (!budget) errors.push_back({"budget", "Enter the fund in pounds, like 50000"});
  form.budget_pence = budget.value_or(0);
  auto date = [&](const char* field, int64_t offset, int64_t& out) {
    auto d = ParseDate(ctx.form.GetOr(field), offset);
    if (!d) errors.push_back({field, "Enter a date like 2026-12-31"});
    out = d.value_or(0);
  };
  date("proposals_close", 86399, form.proposals_close);
  date("voting_opens", 0, form.voting_opens);
  date("voting_closes", 86399, form.voting_closes);
  for (std::string email : Lines(ctx.form.GetOr("screeners"))) {
    while (!email.empty() && email.back() == ' ') email.pop_back();
    if (!email.empty()) form.screeners.push_back(email);
  }
  for (const std::string& text : Lines(ctx.form.GetOr("splits"))) {
    if (text.find_first_not_of(" \r") == std::string::npos) continue;
    // "area: Riverside North: 20000"
    auto a = text.find(':'), b = text.rfind(':');
    auto amount = a != b ? ParseMoney(text.substr(b + 1)) : std::nullopt;
    if (!amount) {
      errors.push_back({"splits", "Write each split as kind: name: amount, like area: Old Mill: 20000"});
      break;
    }
    auto trim = [](std::string s) {
      while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
      while (!s.empty() && s.front() == ' ') s.erase(s.begin());
      return s;
    };
    form.splits.push_back({trim(text.substr(0, a)), trim(text.substr(a + 1, b - a - 1)), *amount});
  }
  // Empty: the constitution's value.
  auto limit = [&](const char* field, int& out) {
    if (ctx.form.GetOr(field).empty()) return;
    auto v = FormInt(ctx.form, field, "Enter a whole number, or leave it empty", &errors);
    if (v && (*v < 0 || *v > 1000)) {
      errors.push_back({field, "Enter a whole number from 0 to 1,000, or leave it empty"});
    } else if (v) {
      out = static_cast<int>(*v);
    }
  };
  limit("approval_min", form.approval_min);
  if (form.approval_min == 0) errors.push_back({"approval_min", "At least 1"});
  limit("approval_max", form.approval_max);
  limit("points", form.points);
  if (form.points == 0) errors.push_back({"points", "Between 1 and 1,000"});
  form.screening_forum_id = FormInt(ctx.form, "screening_forum_id", "Choose a forum", &errors);
  form.panel_decides = ctx.form.Has("panel_decides");
  if (form.panel_decides) {
    // A round its panel decides has no voting dates.
    std::erase_if(errors, [](const FieldError& e) {
      return e.field == "voting_opens" || e.field == "voting_closes";
    });
  }
  Result<app::PbRound> opened = errors.empty()
                                    ? ctx.app().pb_rounds().Open(ctx.actor(), p->id, form)
                                    : Result<app::PbRound>(Error::InvalidArgument("Check the form", errors));
  if (!opened.ok()) {
    if (opened.error().code != ErrorCode::kInvalidArgument) return Fail(ctx, opened.error());
    Error e = opened.error();
    for (auto& f : e.fields) {
      if (f.field == "budget_pence") f.field = "budget";
    }
    return RenderForm(ctx, "pb_round_new", "Open a participatory budgeting round",
                      OpenFormData(ctx, *p), &e);
  }
  return SeeOther(ctx, "/pb/rounds/" + std::to_string(opened->id) + "?opened=1");
}

http::Response RoundPage(Ctx& ctx) {
  auto r = RoundFromParam(ctx);
  if (!r.ok()) return Fail(ctx, r.error());
  auto projects = ctx.app().pb_rounds().ListProjects(ctx.actor(), r->id);
  if (!projects.ok()) return Fail(ctx, projects.error());
  json data = RoundView(ctx, *r);
  json list = json::array();
  for (const auto& p : *projects) {
    json j = ProjectView(p);
    PanelLabels(j, *r, p.status);
    list.push_back(std::move(j));
  }
  data["projects"] = list;
  data["has_projects"] = !list.empty();
  if (data["can_run"].get<bool>()) {
    auto batches = ctx.app().pb_rounds().ListPaperBatches(ctx.actor(), r->id);
    if (!batches.ok()) return Fail(ctx, batches.error());
    json b = json::array();
    for (const auto& x : *batches) {
      json j = PbBatchJson(x);
      j["pending"] = x.status == "pending";
      j["mine"] = ctx.actor() && x.entered_by == ctx.actor()->user_id;
      b.push_back(j);
    }
    data["batches"] = b;
    data["has_batches"] = !b.empty();
    if (r->phase != app::PbPhase::kDelivery) {
      const int step = r->panel_decides && r->phase == app::PbPhase::kScreening ? 2 : 1;
      auto next = static_cast<app::PbPhase>(static_cast<int>(r->phase) + step);
      data["next_phase"] = std::string(app::ToString(next));
      data["next_phase_label"] = std::string(app::Label(next));
    }
  }
  auto voted = ctx.app().pb_rounds().HasVoted(ctx.actor(), r->id);
  data["has_voted"] = voted.ok() && *voted;
  data["signed_in"] = ctx.actor() != nullptr;
  for (const char* flag : {"opened", "phase", "entered", "confirmed"}) {
    data[std::string("flash_") + flag] = ctx.req.QueryParam(flag).has_value();
  }
  return RenderPage(ctx, "pb_round", r->title, data);
}

http::Response PhaseSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return Fail(ctx, id.error());
  auto r = ctx.app().pb_rounds().SetPhase(ctx.actor(), *id, ctx.form.GetOr("phase"));
  if (!r.ok()) return Fail(ctx, r.error());
  if (r->phase == app::PbPhase::kResults) {
    return SeeOther(ctx, "/pb/rounds/" + std::to_string(*id) + "/results");
  }
  return SeeOther(ctx, "/pb/rounds/" + std::to_string(*id) + "?phase=1");
}

// ---- proposals and bids ------------------------------------------------------------------

json ProjectFormData(Ctx& ctx, const app::PbRound& r) {
  json data = RoundView(ctx, r);
  data["round"] = PbRoundJson(r);
  for (const char* f : {"title", "summary", "area", "theme", "outcomes", "org_name", "org_number", "cost"}) {
    data["f_" + std::string(f)] = ctx.form.GetOr(f);
  }
  const std::string kind = ctx.form.GetOr("kind", ctx.req.QueryParam("kind").value_or("proposal"));
  data["kind_bid"] = kind == "bid";
  data["kind_proposal"] = kind != "bid";
  return data;
}

http::Response ProposePage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto r = RoundFromParam(ctx);
  if (!r.ok()) return Fail(ctx, r.error());
  return RenderPage(ctx, "pb_propose", "Propose a project or bid", ProjectFormData(ctx, *r));
}

http::Response ProposeSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto r = RoundFromParam(ctx);
  if (!r.ok()) return Fail(ctx, r.error());
  std::vector<FieldError> errors;
  app::ProjectForm form;
  form.kind = ctx.form.GetOr("kind", "proposal");
  form.title = ctx.form.GetOr("title");
  form.summary = ctx.form.GetOr("summary");
  form.area = ctx.form.GetOr("area");
  form.theme = ctx.form.GetOr("theme");
  form.outcomes = ctx.form.GetOr("outcomes");
  form.org_name = ctx.form.GetOr("org_name");
  form.org_number = ctx.form.GetOr("org_number");
  form.submit = ctx.form.GetOr("action") != "draft";
  auto cost = ParseMoney(ctx.form.GetOr("cost"));
  if (!cost) errors.push_back({"cost", "Enter the cost in pounds, like 9500"});
  form.cost_pence = cost.value_or(0);
  Result<app::PbProject> made =
      errors.empty() ? ctx.app().pb_rounds().Submit(ctx.actor(), r->id, form)
                     : Result<app::PbProject>(Error::InvalidArgument("Check the form", errors));
  if (made.ok()) {
    for (const auto& f : ctx.files) {
      if (f.field != "attachment" || f.data.empty()) continue;
      auto s = ctx.app().pb_rounds().Attach(ctx.actor(), made->id,
                                            {f.filename, f.content_type, f.data});
      if (!s.ok()) return Fail(ctx, s.error());
    }
    return SeeOther(ctx, "/pb/projects/" + std::to_string(made->id) + "?submitted=1");
  }
  if (made.error().code != ErrorCode::kInvalidArgument) return Fail(ctx, made.error());
  Error e = made.error();
  for (auto& f : e.fields) {
    if (f.field == "cost_pence") f.field = "cost";
  }
  return RenderForm(ctx, "pb_propose", "Propose a project or bid", ProjectFormData(ctx, *r), &e);
}

json ProjectPageData(Ctx& ctx, const app::PbProject& p, const app::PbRound& r) {
  json data = ProjectView(p);
  data["round"] = RoundView(ctx, r);
  const app::Actor* a = ctx.actor();
  const bool run = app::PbRounds::CanRun(a, r);
  const bool mine = a && a->user_id == p.proposer_id;
  const bool screener = a && std::find(r.screeners.begin(), r.screeners.end(), a->user_id) != r.screeners.end();
  const bool screening = r.phase == app::PbPhase::kScreening;
  data["can_check"] = run && screening &&
                      (p.status == app::PbProjectStatus::kSubmitted ||
                       p.status == app::PbProjectStatus::kEligible ||
                       p.status == app::PbProjectStatus::kIneligible);
  const bool undecided = p.status == app::PbProjectStatus::kEligible ||
                         p.status == app::PbProjectStatus::kIneligible;
  data["can_screen"] = screener && screening && undecided && !r.panel_decides;
  data["can_decide"] = screener && screening && undecided && r.panel_decides && !mine;
  data["can_fund"] = p.status == app::PbProjectStatus::kEligible;
  data["panel_decides"] = r.panel_decides;
  PanelLabels(data, r, p.status);
  auto discussion = ctx.app().pb_rounds().Discussion(p.id);
  json entries = json::array();
  if (discussion.ok()) {
    for (const auto& d : *discussion) {
      entries.push_back({{"author", d.author}, {"text", d.text}, {"date", FormatLongDate(d.at)}});
    }
  }
  data["discussion"] = entries;
  data["has_discussion"] = !entries.empty();
  auto interests = ctx.app().pb_rounds().Interests(p.id);
  json declared = json::array();
  if (interests.ok()) {
    for (const auto& i : *interests) declared.push_back({{"name", i.name}, {"declaration", i.declaration}});
  }
  data["interests"] = declared;
  data["has_interests"] = !declared.empty();
  const bool staff = run || (a && a->Has(app::Role::kFacilitator, r.public_body_id, r.programme_id));
  data["can_discuss"] = screening && (screener || staff) && !mine;
  data["is_screener"] = screener;
  data["can_withdraw"] = mine && (r.phase == app::PbPhase::kProposals || screening) &&
                         p.status != app::PbProjectStatus::kWithdrawn;
  data["can_declare"] = a != nullptr && screening;
  data["f_cost"] = PoundsInput(p.cost_pence);
  for (const char* flag : {"submitted", "checked", "screened", "declared", "withdrawn", "discussed", "decided"}) {
    data[std::string("flash_") + flag] = ctx.req.QueryParam(flag).has_value();
  }
  return data;
}

http::Response ProjectPage(Ctx& ctx) {
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return Fail(ctx, id.error());
  auto p = ctx.app().pb_rounds().GetProject(ctx.actor(), *id);
  if (!p.ok()) return Fail(ctx, p.error());
  auto r = ctx.app().pb_rounds().Get(p->round_id);
  if (!r.ok()) return Fail(ctx, r.error());
  return RenderPage(ctx, "pb_project", p->title, ProjectPageData(ctx, *p, *r));
}

// Runs a project action; on a field error re-renders the project page with it.
http::Response ProjectAction(Ctx& ctx, const std::string& flag,
                             const std::function<Status(int64_t)>& action) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "project", "project");
  if (!id.ok()) return Fail(ctx, id.error());
  Status s = action(*id);
  if (s.ok()) return SeeOther(ctx, "/pb/projects/" + std::to_string(*id) + "?" + flag + "=1");
  if (s.error().code != ErrorCode::kInvalidArgument) return Fail(ctx, s.error());
  auto p = ctx.app().pb_rounds().GetProject(ctx.actor(), *id);
  if (!p.ok()) return Fail(ctx, p.error());
  auto r = ctx.app().pb_rounds().Get(p->round_id);
  if (!r.ok()) return Fail(ctx, r.error());
  json data = ProjectPageData(ctx, *p, *r);
  for (const char* f : {"note", "cost_reason", "reason", "declaration", "text"}) data["f_" + std::string(f)] = ctx.form.GetOr(f);
  if (ctx.form.Get("cost")) data["f_cost"] = ctx.form.GetOr("cost");
  return RenderForm(ctx, "pb_project", p->title, data, &s.error());
}

http::Response CheckSubmit(Ctx& ctx) {
  return ProjectAction(ctx, "checked", [&](int64_t id) -> Status {
    app::CheckForm form;
    form.eligible = ctx.form.GetOr("eligible") != "no";
    form.note = ctx.form.GetOr("note");
    form.cost_reason = ctx.form.GetOr("cost_reason");
    auto p = ctx.app().pb_rounds().GetProject(ctx.actor(), id);
    if (!p.ok()) return p.error();
    auto cost = ParseMoney(ctx.form.GetOr("cost"));
    if (!ctx.form.GetOr("cost").empty() && !cost) {
      return Error::InvalidArgument("Check the cost", {{"cost", "Enter the cost in pounds"}});
    }
    if (cost && *cost != p->cost_pence) form.cost_pence = *cost;
    return ctx.app().pb_rounds().Check(ctx.actor(), id, form).status();
  });
}

http::Response ScreenSubmit(Ctx& ctx) {
  return ProjectAction(ctx, "screened", [&](int64_t id) -> Status {
    app::ScreenForm form{ctx.form.GetOr("decision"), ctx.form.GetOr("reason")};
    return ctx.app().pb_rounds().Screen(ctx.actor(), id, form).status();
  });
}

http::Response DiscussSubmit(Ctx& ctx) {
  return ProjectAction(ctx, "discussed", [&](int64_t id) -> Status {
    return ctx.app().pb_rounds().Discuss(ctx.actor(), id, ctx.form.GetOr("text")).status();
  });
}

http::Response DecideSubmit(Ctx& ctx) {
  return ProjectAction(ctx, "decided", [&](int64_t id) -> Status {
    app::PanelDecisionForm form{ctx.form.GetOr("decision"), ctx.form.GetOr("reason")};
    Status s = ctx.app().pb_rounds().Decide(ctx.actor(), id, form).status();
    if (s.ok()) return s;
    // The reason box has its own id: the project page also has the screening form.
    Error e = s.error();
    for (auto& f : e.fields) f.field = "decision_reason";
    return e;
  });
}

http::Response ConflictSubmit(Ctx& ctx) {
  return ProjectAction(ctx, "declared", [&](int64_t id) -> Status {
    return ctx.app().pb_rounds().DeclareConflict(ctx.actor(), id, ctx.form.GetOr("declaration"));
  });
}

http::Response WithdrawSubmit(Ctx& ctx) {
  return ProjectAction(ctx, "withdrawn", [&](int64_t id) -> Status {
    return ctx.app().pb_rounds().Withdraw(ctx.actor(), id).status();
  });
}

http::Response AttachmentDownload(Ctx& ctx) {
  auto id = IdParam(ctx, "attachment", "file");
  if (!id.ok()) return Fail(ctx, id.error());
  auto f = ctx.app().pb_rounds().GetAttachment(ctx.actor(), *id);
  if (!f.ok()) return Fail(ctx, f.error());
  auto res = http::MakeResponse(ctx.req, HttpStatus::ok, "application/octet-stream", f->data);
  std::string name;
  for (char c : f->filename) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  res.set(http::bhttp::field::content_disposition, "attachment; filename=\"" + name + "\"");
  return res;
}

// ---- the ballot ------------------------------------------------------------------------------

struct BallotInput {
  app::CastBallotForm form;
  std::map<int64_t, int64_t> points;  // cumulative / ranking numbers as entered
  std::vector<FieldError> errors;
};

// Approval/knapsack: checkboxes "choice"; cumulative: "points_<id>"; ranking: "rank_<id>".
BallotInput ReadBallot(Ctx& ctx, const app::PbRound& r, const std::vector<app::PbProject>& on_ballot) {
  BallotInput in;
  if (r.ballot_type == "approval" || r.ballot_type == "knapsack") {
    for (const auto& v : ctx.form.GetAll("choice")) {
      try {
        in.form.choices.push_back(std::stoll(v));
      } catch (const std::exception&) {
        in.errors.push_back({"choices", "Choose from the projects listed"});
      }
    }
    return in;
  }
  std::vector<std::pair<int64_t, int64_t>> ranked;
  for (const auto& p : on_ballot) {
    const std::string field = (r.ballot_type == "cumulative" ? "points_" : "rank_") + std::to_string(p.id);
    const std::string v = ctx.form.GetOr(field);
    if (v.empty()) continue;
    try {
      int64_t n = std::stoll(v);
      in.points[p.id] = n;
      if (n != 0 || r.ballot_type == "ranking") ranked.push_back({n, p.id});
    } catch (const std::exception&) {
      in.errors.push_back({"choices", "Enter whole numbers"});
    }
  }
  if (r.ballot_type == "ranking") {
    std::sort(ranked.begin(), ranked.end());
    for (size_t i = 0; i < ranked.size(); ++i) {
      if (ranked[i].first != static_cast<int64_t>(i + 1)) {
        in.errors.push_back({"choices", "Number your choices 1, 2, 3 … without gaps or repeats"});
        break;
      }
      in.form.choices.push_back(ranked[i].second);
    }
  } else {
    for (const auto& [n, id] : ranked) {
      in.form.choices.push_back(id);
      in.form.points.push_back(n);
    }
  }
  return in;
}

json BallotData(Ctx& ctx, const app::PbRound& r, const std::vector<app::PbProject>& on_ballot,
                const BallotInput* in) {
  json data = RoundView(ctx, r);
  json list = json::array();
  int64_t total = 0, points = 0;
  for (const auto& p : on_ballot) {
    json j = ProjectView(p);
    bool chosen = false;
    if (in) {
      chosen = std::find(in->form.choices.begin(), in->form.choices.end(), p.id) != in->form.choices.end();
      if (auto it = in->points.find(p.id); it != in->points.end()) j["entered"] = std::to_string(it->second);
    }
    j["chosen"] = chosen;
    if (chosen) total += p.cost_pence;
    list.push_back(j);
  }
  if (in) {
    for (int64_t x : in->form.points) points += x;
  }
  data["projects"] = list;
  data["is_choice"] = r.ballot_type == "approval" || r.ballot_type == "knapsack";
  data["is_knapsack"] = r.ballot_type == "knapsack";
  data["is_cumulative"] = r.ballot_type == "cumulative";
  data["is_ranking"] = r.ballot_type == "ranking";
  data["total"] = Pounds(total);
  data["remaining"] = Pounds(std::max<int64_t>(0, r.budget_pence - total));
  data["over_budget"] = total > r.budget_pence;
  data["points_used"] = points;
  data["chosen_count"] = in ? in->form.choices.size() : 0;
  auto voted = ctx.app().pb_rounds().HasVoted(ctx.actor(), r.id);
  data["has_voted"] = voted.ok() && *voted;
  data["change"] = data["has_voted"].get<bool>() || ctx.req.QueryParam("change").has_value() ||
                   ctx.form.GetOr("replace") == "yes";
  return data;
}

Result<std::vector<app::PbProject>> OnBallot(Ctx& ctx, int64_t round_id) {
  ASSIGN_OR_RETURN(auto all, ctx.app().pb_rounds().ListProjects(ctx.actor(), round_id));
  std::vector<app::PbProject> out;
  for (auto& p : all) {
    if (p.status == app::PbProjectStatus::kAccepted) out.push_back(std::move(p));
  }
  return out;
}

http::Response BallotPage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto r = RoundFromParam(ctx);
  if (!r.ok()) return Fail(ctx, r.error());
  if (r->phase != app::PbPhase::kVoting) {
    return Fail(ctx, Error::Conflict("Voting in this round is not open"));
  }
  auto on = OnBallot(ctx, r->id);
  if (!on.ok()) return Fail(ctx, on.error());
  return RenderPage(ctx, "pb_ballot", "Your ballot: " + r->title, BallotData(ctx, *r, *on, nullptr));
}

http::Response BallotSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto r = RoundFromParam(ctx);
  if (!r.ok()) return Fail(ctx, r.error());
  auto on = OnBallot(ctx, r->id);
  if (!on.ok()) return Fail(ctx, on.error());
  BallotInput in = ReadBallot(ctx, *r, *on);
  in.form.replace = ctx.form.GetOr("replace") == "yes";
  const std::string title = "Your ballot: " + r->title;
  if (ctx.form.GetOr("action") == "update") {
    return RenderPage(ctx, "pb_ballot", title, BallotData(ctx, *r, *on, &in));
  }
  Result<app::BallotReceipt> cast =
      in.errors.empty() ? ctx.app().pb_rounds().CastBallot(ctx.actor(), r->id, in.form)
                        : Result<app::BallotReceipt>(Error::InvalidArgument("Check your ballot", in.errors));
  if (!cast.ok()) {
    const auto code = cast.error().code;
    if (code != ErrorCode::kInvalidArgument && code != ErrorCode::kConflict) return Fail(ctx, cast.error());
    Error e = cast.error();
    if (e.fields.empty()) e.fields.push_back({"choices", e.public_message});
    http::Response res = RenderForm(ctx, "pb_ballot", title, BallotData(ctx, *r, *on, &in), &e);
    res.result(code == ErrorCode::kConflict ? HttpStatus::conflict : HttpStatus::bad_request);
    return res;
  }
  json data = RoundView(ctx, *r);
  data["receipt"] = cast->code;
  data["replaced"] = cast->replaced;
  return RenderPage(ctx, "pb_voted", "Your vote is counted", data);
}

http::Response ReceiptPage(Ctx& ctx) {
  json data = json::object();
  auto code = ctx.req.QueryParam("code");
  if (!code) return RenderPage(ctx, "pb_receipt", "Check your ballot was counted", data);
  data["code"] = *code;
  auto status = ctx.app().pb_rounds().CheckReceipt(*code);
  if (!status.ok()) {
    if (status.error().code == ErrorCode::kNotFound) {
      data["not_found"] = true;
      data["not_found_message"] = status.error().public_message;
      return RenderPage(ctx, "pb_receipt", "Check your ballot was counted", data);
    }
    if (status.error().code != ErrorCode::kInvalidArgument) return Fail(ctx, status.error());
    return RenderForm(ctx, "pb_receipt", "Check your ballot was counted", data, &status.error());
  }
  data["found"] = true;
  data["round_id"] = status->round_id;
  data["round_title"] = status->round_title;
  data["counted"] = status->counted;
  data["closed"] = status->closed;
  return RenderPage(ctx, "pb_receipt", "Check your ballot was counted", data);
}

// ---- paper ballots ---------------------------------------------------------------------------

http::Response PaperSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "round", "round");
  if (!id.ok()) return Fail(ctx, id.error());
  app::PaperBatchForm form;
  form.label = ctx.form.GetOr("label");
  for (const std::string& text : Lines(ctx.form.GetOr("ballots"))) {
    if (text.find_first_not_of(" \r\t") == std::string::npos) continue;
    auto b = ParseBallotText(text);
    if (!b.ok()) return Fail(ctx, b.error());
    form.ballots.push_back(*b);
  }
  auto made = ctx.app().pb_rounds().EnterPaperBatch(ctx.actor(), *id, form);
  if (!made.ok()) return Fail(ctx, made.error());
  return SeeOther(ctx, "/pb/rounds/" + std::to_string(*id) + "?entered=1");
}

http::Response PaperConfirmSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "batch", "batch");
  if (!id.ok()) return Fail(ctx, id.error());
  auto done = ctx.app().pb_rounds().ConfirmPaperBatch(ctx.actor(), *id);
  if (!done.ok()) return Fail(ctx, done.error());
  return SeeOther(ctx, "/pb/rounds/" + std::to_string(done->round_id) + "?confirmed=1");
}

// ---- results, awards, downloads ------------------------------------------------------------

http::Response ResultsPage(Ctx& ctx) {
  auto r = RoundFromParam(ctx);
  if (!r.ok()) return Fail(ctx, r.error());
  auto results = ctx.app().pb_rounds().Results(r->id);
  if (!results.ok()) return Fail(ctx, results.error());
  auto awards = ctx.app().pb_rounds().Awards(r->id);
  if (!awards.ok()) return Fail(ctx, awards.error());
  std::map<int64_t, int64_t> award_of;
  for (const auto& a : *awards) award_of[a.project_id] = a.id;
  json data = RoundView(ctx, *r);
  const bool split = results->parts.size() > 1;
  json rows = json::array();
  int funded = 0;
  for (const auto& p : results->projects) {
    json j = {{"project_id", p.project_id}, {"title", p.title}, {"cost", Pounds(p.cost_pence)},
              {"votes", p.votes}, {"funded", p.funded}, {"story", p.story}};
    if (split) {
      j["part"] = p.part >= 0 && p.part < static_cast<int>(results->parts.size())
                      ? results->parts[p.part].name
                      : "None";
    }
    if (award_of.count(p.project_id)) j["award_id"] = award_of[p.project_id];
    funded += p.funded;
    rows.push_back(j);
  }
  json parts = json::array();
  for (size_t i = 0; i < results->parts.size() && split; ++i) {
    const auto& part = results->parts[i];
    parts.push_back({{"number", i + 1}, {"name", part.name}, {"budget", Pounds(part.budget_pence)},
                     {"spent", Pounds(part.spent_pence)}, {"voters", part.voters}});
  }
  data["split"] = split;
  data["split_kind"] = split && !r->splits.empty() ? r->splits.front().kind : "";
  data["parts"] = parts;
  data["results"] = rows;
  data["engine_rule"] = results->rule;
  data["ballots_counted"] = results->ballots;
  data["spent"] = Pounds(results->spent_pence);
  data["funded_count"] = funded;
  data["published_date"] = FormatLongDate(results->published_at);
  data["votes_svg"] = VotesChart(*results, "votes-chart");
  data["budget_svg"] = BudgetChart(*results, "budget-chart");
  return RenderPage(ctx, "pb_results", "Results: " + r->title, data);
}

http::Response AwardPage(Ctx& ctx) {
  auto id = IdParam(ctx, "award", "award");
  if (!id.ok()) return Fail(ctx, id.error());
  auto a = ctx.app().pb_rounds().GetAward(*id);
  if (!a.ok()) return Fail(ctx, a.error());
  auto r = ctx.app().pb_rounds().Get(a->round_id);
  if (!r.ok()) return Fail(ctx, r.error());
  auto p = ctx.app().pb_rounds().GetProject(ctx.actor(), a->project_id);
  if (!p.ok()) return Fail(ctx, p.error());
  json data = PbAwardJson(*a);
  data["round"] = RoundView(ctx, *r);
  data["amount"] = Pounds(a->amount_pence);
  data["spent"] = Pounds(a->spent_pence);
  data["completed"] = a->status == "completed";
  json updates = json::array();
  for (const auto& u : a->updates) {
    json j = {{"kind", u.kind}, {"text", u.text}, {"evidence", u.evidence},
              {"date", FormatLongDate(u.at)}};
    if (u.kind == "spend") j["amount"] = Pounds(u.amount_pence);
    if (u.kind == "progress") j["amount"] = std::to_string(u.amount_pence) + "%";
    updates.push_back(j);
  }
  data["updates"] = updates;
  data["has_updates"] = !updates.empty();
  const app::Actor* actor = ctx.actor();
  data["can_report"] = a->status != "completed" &&
                       (app::PbRounds::CanRun(actor, *r) || (actor && actor->user_id == p->proposer_id));
  data["flash_updated"] = ctx.req.QueryParam("updated").has_value();
  return RenderPage(ctx, "pb_award", "Award: " + a->title, data);
}

http::Response AwardUpdateSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto id = IdParam(ctx, "award", "award");
  if (!id.ok()) return Fail(ctx, id.error());
  app::AwardUpdateForm form;
  form.kind = ctx.form.GetOr("kind");
  form.text = ctx.form.GetOr("text");
  form.evidence = ctx.form.GetOr("evidence");
  std::vector<FieldError> errors;
  if (form.kind == "spend") {
    auto amount = ParseMoney(ctx.form.GetOr("amount"));
    if (!amount) errors.push_back({"amount", "Enter the amount in pounds"});
    form.amount_pence = amount.value_or(0);
  } else if (form.kind == "progress") {
    form.progress_percent = static_cast<int>(FormInt(ctx.form, "amount", "Enter a percentage", &errors).value_or(-1));
  }
  auto done = errors.empty() ? ctx.app().pb_rounds().UpdateAward(ctx.actor(), *id, form)
                             : Result<app::PbAward>(Error::InvalidArgument("Check the form", errors));
  if (!done.ok()) return Fail(ctx, done.error());
  return SeeOther(ctx, "/pb/awards/" + std::to_string(*id) + "?updated=1");
}

}  // namespace

void AddPbRoutes(WebApp&, const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/programmes/{id}/pb", RoundsPage);
  on(Method::get, "/programmes/{id}/pb/new", OpenRoundPage);
  on(Method::post, "/programmes/{id}/pb", OpenRoundSubmit);
  on(Method::get, "/pb/rounds/{round}", RoundPage);
  on(Method::post, "/pb/rounds/{round}/phase", PhaseSubmit);
  on(Method::get, "/pb/rounds/{round}/propose", ProposePage);
  on(Method::post, "/pb/rounds/{round}/projects", ProposeSubmit);
  on(Method::get, "/pb/projects/{project}", ProjectPage);
  on(Method::post, "/pb/projects/{project}/check", CheckSubmit);
  on(Method::post, "/pb/projects/{project}/screen", ScreenSubmit);
  on(Method::post, "/pb/projects/{project}/conflict", ConflictSubmit);
  on(Method::post, "/pb/projects/{project}/discussion", DiscussSubmit);
  on(Method::post, "/pb/projects/{project}/decision", DecideSubmit);
  on(Method::post, "/pb/projects/{project}/withdraw", WithdrawSubmit);
  on(Method::get, "/pb/attachments/{attachment}", AttachmentDownload);
  on(Method::get, "/pb/rounds/{round}/ballot", BallotPage);
  on(Method::post, "/pb/rounds/{round}/ballot", BallotSubmit);
  on(Method::get, "/pb/receipt", ReceiptPage);
  on(Method::post, "/pb/rounds/{round}/paper", PaperSubmit);
  on(Method::post, "/pb/paper/{batch}/confirm", PaperConfirmSubmit);
  on(Method::get, "/pb/rounds/{round}/results", ResultsPage);
  on(Method::get, "/pb/awards/{award}", AwardPage);
  on(Method::post, "/pb/awards/{award}/updates", AwardUpdateSubmit);
  on(Method::get, "/pb/rounds/{round}/ballots.pb", [](Ctx& c) { return PbDownload(c, "pabulib"); });
  on(Method::get, "/pb/rounds/{round}/parts/{part}/ballots.pb",
     [](Ctx& c) { return PbDownload(c, "pabulib"); });
  on(Method::get, "/pb/rounds/{round}/projects.csv", [](Ctx& c) { return PbDownload(c, "projects"); });
  on(Method::get, "/pb/rounds/{round}/awards-360giving.json", [](Ctx& c) { return PbDownload(c, "360json"); });
  on(Method::get, "/pb/rounds/{round}/awards-360giving.csv", [](Ctx& c) { return PbDownload(c, "360csv"); });
  AddPbApi(on);
}

}  // namespace communitise::web
