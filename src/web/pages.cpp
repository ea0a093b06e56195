// HTML pages: one small handler per page that parses, calls the application layer and
// renders a template. Every form works without JavaScript.
#include <fmt/format.h>

#include <algorithm>

#include "communitise/core/clock.h"
#include "communitise/web/pictures.h"
#include "context.h"
#include "labels.h"

namespace communitise::web {

using http::HttpStatus;
using http::Method;
using nlohmann::json;

namespace {

// A `next` address is only followed when it is a path on this site.
std::string SafeNext(const std::optional<std::string>& next) {
  if (!next || next->empty() || (*next)[0] != '/' || next->rfind("//", 0) == 0 ||
      next->find('\\') != std::string::npos) {
    return "/";
  }
  return *next;
}

std::string ClientAddress(const Ctx& ctx) {
  auto colon = ctx.req.remote.rfind(':');
  return colon == std::string::npos ? ctx.req.remote : ctx.req.remote.substr(0, colon);
}

json ProgrammeCard(const app::Programme& p) {
  json j = ProgrammeJson(p);
  j["depth_label"] = std::string(app::Label(p.scope.depth));
  j["nature_label"] = NatureLabel(p.scope.nature);
  j["network_label"] = NetworkLabel(p.scope.network);
  return j;
}

// ---- home and programme list ----------------------------------------------------------

http::Response Home(Ctx& ctx) {
  auto programmes = ctx.app().programmes().List();
  if (!programmes.ok()) return ErrorPage(ctx, programmes.error());
  json list = json::array();
  for (const auto& p : *programmes) list.push_back(ProgrammeCard(p));
  return RenderPage(ctx, "home", "Communitise",
                    {{"programmes", list}, {"has_programmes", !list.empty()}});
}

http::Response ProgrammeList(Ctx& ctx) {
  auto programmes = ctx.app().programmes().List();
  if (!programmes.ok()) return ErrorPage(ctx, programmes.error());
  json list = json::array();
  bool can_create = false;
  for (const auto& p : *programmes) list.push_back(ProgrammeCard(p));
  if (const app::Actor* a = ctx.actor()) {
    can_create = a->site_admin;
    for (const auto& g : a->roles) {
      can_create |= g.programme_id == 0 &&
                    (g.role == app::Role::kOfficer || g.role == app::Role::kAdmin);
    }
  }
  return RenderPage(ctx, "programmes", "Programmes",
                    {{"programmes", list}, {"has_programmes", !list.empty()},
                     {"can_create", can_create}});
}

// ---- accounts -------------------------------------------------------------------------

json SignUpData(const Ctx& ctx) {
  return {{"name", ctx.form.GetOr("name")}, {"email", ctx.form.GetOr("email")}};
}

http::Response SignUpPage(Ctx& ctx) {
  return RenderPage(ctx, "sign_up", "Create an account", SignUpData(ctx));
}

http::Response SignUpSubmit(Ctx& ctx) {
  app::SignUpForm form{ctx.form.GetOr("email"), ctx.form.GetOr("password"),
                       ctx.form.GetOr("name")};
  auto made = ctx.app().accounts().SignUp(ctx.session_token, form);
  if (!made.ok()) return RenderForm(ctx, "sign_up", "Create an account", SignUpData(ctx), &made.error());
  ctx.SetSessionCookie(made->token, made->session.expires_at - ctx.app().clock().NowSeconds());
  return SeeOther(ctx, SafeNext(ctx.req.QueryParam("next")));
}

json SignInData(const Ctx& ctx) {
  return {{"email", ctx.form.GetOr("email")},
          {"next", SafeNext(ctx.req.QueryParam("next"))}};
}

http::Response SignInPage(Ctx& ctx) {
  return RenderPage(ctx, "sign_in", "Sign in", SignInData(ctx));
}

http::Response SignInSubmit(Ctx& ctx) {
  app::SignInForm form{ctx.form.GetOr("email"), ctx.form.GetOr("password")};
  auto made = ctx.app().accounts().SignIn(ctx.session_token, form, ClientAddress(ctx));
  if (!made.ok()) {
    Error e = made.error();
    if (e.fields.empty() && e.code == ErrorCode::kUnauthenticated) {
      e.fields.push_back({"email", e.public_message});
    }
    json data = SignInData(ctx);
    http::Response res = RenderForm(ctx, "sign_in", "Sign in", data, &e);
    if (e.code == ErrorCode::kUnauthenticated) res.result(HttpStatus::bad_request);
    return res;
  }
  ctx.SetSessionCookie(made->token, made->session.expires_at - ctx.app().clock().NowSeconds());
  return SeeOther(ctx, SafeNext(ctx.form.Get("next")));
}

http::Response SignOutSubmit(Ctx& ctx) {
  if (!ctx.session_token.empty()) {
    if (auto s = ctx.app().accounts().SignOut(ctx.session_token); !s.ok()) {
      return ErrorPage(ctx, s.error());
    }
  }
  ctx.SetSessionCookie("", 0);
  return SeeOther(ctx, "/");
}

// ---- creating a programme -------------------------------------------------------------

// Bodies the actor may create programmes for.
std::vector<app::PublicBody> ManagedBodies(Ctx& ctx, const std::vector<app::PublicBody>& all) {
  std::vector<app::PublicBody> out;
  for (const auto& b : all) {
    if (CanManageBody(ctx.actor(), b.id)) out.push_back(b);
  }
  return out;
}

json CheckedList(const std::vector<std::string>& options_values,
                 const std::vector<std::string>& labels, const std::vector<std::string>& chosen,
                 const std::string& field) {
  json out = json::array();
  for (std::size_t i = 0; i < options_values.size(); ++i) {
    bool checked = std::find(chosen.begin(), chosen.end(), options_values[i]) != chosen.end();
    out.push_back({{"value", options_values[i]},
                   {"label", labels[i]},
                   {"checked", checked},
                   {"id", i == 0 ? field : field + "-" + std::to_string(i)}});
  }
  return out;
}

// Values and labels for a list of radios or checkboxes.
struct Choices {
  std::vector<std::string> values, labels;
};

Choices NatureChoices() {
  return {{"discretionary", "core", "both"},
          {"Discretionary or non-core (for example parks, environment, youth, public health)",
           "Core or statutory (for example social care, acute health)", "Both"}};
}

Choices MethodChoices() {
  Choices out;
  for (auto m : app::AllMethods()) {
    out.values.emplace_back(app::ToString(m));
    out.labels.emplace_back(app::Label(m));
  }
  return out;
}

Result<Choices> AreaChoices(Ctx& ctx, int64_t public_body_id) {
  ASSIGN_OR_RETURN(auto areas, ctx.app().public_bodies().ListAreas(public_body_id));
  Choices out;
  for (const auto& a : areas) {
    out.values.push_back(a.code);
    out.labels.push_back(a.name + " (" + a.code + ")");
  }
  return out;
}

Result<json> NewProgrammeData(Ctx& ctx, const app::PublicBody& body) {
  const http::Form& f = ctx.form;
  std::vector<std::string> networks = {"geographic", "need_interest"};
  std::vector<std::string> network_labels = {
      "Geographic: everyone who lives in a set of areas",
      "Service need or interest: people with a stated need or interest"};
  const Choices natures = NatureChoices(), methods = MethodChoices();
  ASSIGN_OR_RETURN(const Choices areas, AreaChoices(ctx, body.id));
  ASSIGN_OR_RETURN(auto services, ctx.app().programmes().ListServices(body.id));
  std::string catalogue;
  for (const auto& s : services) catalogue += (catalogue.empty() ? "" : ", ") + s.name;
  return json{{"body_id", body.id},
              {"body_name", body.name},
              {"body_slug", body.slug},
              {"name", f.GetOr("name")},
              {"summary", f.GetOr("summary")},
              {"services", f.GetOr("services")},
              {"catalogue", catalogue},
              {"eligibility_criteria", f.GetOr("eligibility_criteria")},
              {"annual_budget", f.GetOr("annual_budget")},
              {"natures", CheckedList(natures.values, natures.labels, f.GetAll("nature"), "nature")},
              {"networks", CheckedList(networks, network_labels, f.GetAll("network"), "network")},
              {"methods", CheckedList(methods.values, methods.labels, f.GetAll("methods"), "methods")},
              {"areas", CheckedList(areas.values, areas.labels, f.GetAll("areas"), "areas")},
              {"has_areas", !areas.values.empty()}};
}

Result<app::PublicBody> ChosenBody(Ctx& ctx, const std::vector<app::PublicBody>& managed) {
  auto id = ctx.req.QueryParam("body");
  if (!id) id = ctx.form.Get("public_body_id");
  if (!id && managed.size() == 1) return managed.front();
  for (const auto& b : managed) {
    if (id && (std::to_string(b.id) == *id || b.slug == *id)) return b;
  }
  return Error::NotFound("No such public body");
}

http::Response NewProgrammePage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto bodies = ctx.app().public_bodies().List();
  if (!bodies.ok()) return ErrorPage(ctx, bodies.error());
  auto managed = ManagedBodies(ctx, *bodies);
  if (managed.empty()) {
    return ErrorPage(ctx, Error::Forbidden("Only officers of a public body can create programmes"));
  }
  if (managed.size() > 1 && !ctx.req.QueryParam("body")) {
    json list = json::array();
    for (const auto& b : managed) list.push_back(BodyJson(b));
    return RenderPage(ctx, "choose_body", "Which public body is this programme for?",
                      {{"bodies", list}});
  }
  auto body = ChosenBody(ctx, managed);
  if (!body.ok()) return ErrorPage(ctx, body.error());
  auto data = NewProgrammeData(ctx, *body);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "programme_new", "Create a programme", *data);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text + "\n") {
    if (c == '\n' || c == ',') {
      auto b = current.find_first_not_of(" \t\r");
      auto e = current.find_last_not_of(" \t\r");
      if (b != std::string::npos) out.push_back(current.substr(b, e - b + 1));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return out;
}

http::Response CreateProgrammeSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto bodies = ctx.app().public_bodies().List();
  if (!bodies.ok()) return ErrorPage(ctx, bodies.error());
  auto managed = ManagedBodies(ctx, *bodies);
  auto body = ChosenBody(ctx, managed);
  if (!body.ok()) {
    return ErrorPage(ctx, managed.empty() ? Error::Forbidden(
                                                "Only officers of a public body can create programmes")
                                          : body.error());
  }
  const http::Form& f = ctx.form;
  std::vector<FieldError> errors;
  auto pounds = FormInt(f, "annual_budget", "Enter the yearly budget in whole pounds, like 100000",
                        &errors);
  app::CreateProgrammeForm form;
  form.public_body_id = body->id;
  form.name = f.GetOr("name");
  form.summary = f.GetOr("summary");
  form.nature = f.GetOr("nature");
  form.services = Lines(f.GetOr("services"));
  form.network = f.GetOr("network");
  form.areas = f.GetAll("areas");
  form.eligibility_criteria = f.GetOr("eligibility_criteria");
  form.methods = f.GetAll("methods");
  if (pounds) form.annual_budget_pence = *pounds * 100;
  Result<app::Programme> made = errors.empty()
                                    ? ctx.app().programmes().Create(ctx.actor(), form)
                                    : Result<app::Programme>(Error::InvalidArgument(
                                          "Check the budget", errors));
  if (!made.ok()) {
    Error e = made.error();
    for (auto& fe : e.fields) {
      if (fe.field == "annual_budget_pence") fe.field = "annual_budget";
    }
    if (e.code != ErrorCode::kInvalidArgument && e.code != ErrorCode::kConflict) {
      return ErrorPage(ctx, e);
    }
    auto data = NewProgrammeData(ctx, *body);
    if (!data.ok()) return ErrorPage(ctx, data.error());
    return RenderForm(ctx, "programme_new", "Create a programme", *data, &e);
  }
  return SeeOther(ctx, "/programmes/" + made->slug + "?created=1");
}

// ---- one programme --------------------------------------------------------------------

json ProgrammeHeader(Ctx& ctx, const app::Programme& p) {
  json j = ProgrammeCard(p);
  j["can_manage"] = CanManage(ctx.actor(), p);
  j["can_amend"] = CanAmend(ctx.actor(), p);
  j["can_manage_body"] = CanManageBody(ctx.actor(), p.public_body_id);
  return j;
}

http::Response ProgrammePage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto scopes = ctx.app().programmes().ScopeHistory(p->id);
  if (!scopes.ok()) return ErrorPage(ctx, scopes.error());
  auto constitution = ctx.app().constitutions().Current(p->id);
  if (!constitution.ok()) return ErrorPage(ctx, constitution.error());

  std::vector<DepthPoint> depth;
  json scope_rows = json::array();
  for (const auto& s : *scopes) {
    depth.push_back({s.at, s.depth});
    json methods = json::array();
    for (auto m : s.methods) methods.push_back(std::string(app::Label(m)));
    scope_rows.push_back({{"date", FormatLongDate(s.at)},
                          {"depth", std::string(app::Label(s.depth))},
                          {"nature", NatureLabel(s.nature)},
                          {"methods", methods},
                          {"change_note", s.change_note}});
  }
  if (depth.empty()) depth.push_back({p->created_at, p->scope.depth});

  json data = ProgrammeHeader(ctx, *p);
  json quadrants = json::array();
  for (auto q : p->scope.quadrants) quadrants.push_back(std::string(app::Label(q)));
  json methods = json::array();
  for (auto m : p->scope.methods) methods.push_back(std::string(app::Label(m)));
  data["quadrant_labels"] = quadrants;
  data["method_labels"] = methods;
  data["quadrant_svg"] = QuadrantSvg(p->scope.quadrants, "quadrant");
  data["arrow_svg"] = ArrowSvg(depth, "arrow");
  data["depth_level"] = app::DepthLevel(p->scope.depth);
  data["scopes"] = scope_rows;
  data["geographic"] = p->scope.network == app::NetworkKind::kGeographic;
  data["has_areas"] = !p->areas.empty();
  data["budget"] = p->annual_budget_pence ? Money(*p->annual_budget_pence) : "";
  data["constitution_version"] = constitution->version;
  data["eligibility"] = EligibilityLabel(constitution->rules.eligibility_mode);
  data["forums"] = ForumProgrammeSummary(ctx, p->id);
  data["created"] = ctx.req.QueryParam("created").has_value();
  data["joined"] = ctx.req.QueryParam("joined").has_value();
  data["left"] = ctx.req.QueryParam("left").has_value();
  data["scope_changed"] = ctx.req.QueryParam("scope_changed").has_value();
  data["services_text"] = fmt::format("{}", fmt::join(p->scope.services, ", "));
  if (const app::Actor* a = ctx.actor()) {
    auto mine = ctx.app().memberships().MineIn(a, p->id);
    if (!mine.ok()) return ErrorPage(ctx, mine.error());
    if (*mine) {
      data["membership_status"] = std::string(app::ToString((*mine)->status));
      data["is_member"] = (*mine)->status == app::MembershipStatus::kActive;
      data["is_pending"] = (*mine)->status == app::MembershipStatus::kPending;
    }
  }
  data["can_join"] = !data.value("is_member", false) && !data.value("is_pending", false);
  return RenderPage(ctx, "programme", p->name, data);
}

http::Response ConstitutionPage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto versions = ctx.app().constitutions().ListVersions(p->id);
  if (!versions.ok()) return ErrorPage(ctx, versions.error());
  auto current = ctx.app().constitutions().Current(p->id);
  if (!current.ok()) return ErrorPage(ctx, current.error());
  const app::Constitution* shown = &*current;
  if (auto v = ctx.req.QueryParam("version")) {
    auto it = std::find_if(versions->begin(), versions->end(),
                           [&](const app::Constitution& c) { return std::to_string(c.version) == *v; });
    if (it == versions->end()) return ErrorPage(ctx, Error::NotFound("No such version"));
    shown = &*it;
  }
  json list = json::array();
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
    list.push_back({{"version", it->version},
                    {"effective_from", FormatLongDate(it->effective_from)},
                    {"change_note", it->change_note},
                    {"current", it->version == current->version},
                    {"shown", it->version == shown->version}});
  }
  json data = ProgrammeHeader(ctx, *p);
  data["version"] = shown->version;
  data["is_current"] = shown->version == current->version;
  data["effective_from"] = FormatLongDate(shown->effective_from);
  data["paragraphs"] = Paragraphs(shown->text);
  data["rules"] = RuleRows(shown->rules);
  data["versions"] = list;
  data["amended"] = ctx.req.QueryParam("amended").has_value();
  return RenderPage(ctx, "constitution", "Constitution: " + p->name, data);
}

json AmendData(const Ctx& ctx, const app::Programme& p, const app::Constitution& c, bool from_form) {
  const http::Form& f = ctx.form;
  const app::ConstitutionRules& r = c.rules;
  auto val = [&](const std::string& field, const std::string& current) {
    return from_form ? f.GetOr(field) : current;
  };
  std::vector<std::string> modes, mode_labels;
  for (auto m : {app::EligibilityMode::kPostcodeInAreas, app::EligibilityMode::kOfficerApproval,
                 app::EligibilityMode::kSelfDeclaration}) {
    modes.emplace_back(app::ToString(m));
    mode_labels.push_back(EligibilityLabel(m));
  }
  std::vector<std::string> rules_v, rule_labels;
  for (auto m : {app::PbRule::kGreedy, app::PbRule::kEqualShares, app::PbRule::kPhragmen}) {
    rules_v.emplace_back(app::ToString(m));
    rule_labels.push_back(PbRuleLabel(m));
  }
  std::vector<std::string> ballots, ballot_labels;
  for (auto m : {app::BallotType::kApproval, app::BallotType::kKnapsack,
                 app::BallotType::kCumulative, app::BallotType::kRanking}) {
    ballots.emplace_back(app::ToString(m));
    ballot_labels.push_back(BallotLabel(m));
  }
  auto chosen = [&](const std::string& field, std::string_view current) {
    return std::vector<std::string>{from_form ? f.GetOr(field) : std::string(current)};
  };
  const std::vector<std::string> openers = {
      std::string(app::ToString(app::RoundOpeners::kOfficers)),
      std::string(app::ToString(app::RoundOpeners::kOfficersAndBoard))};
  const std::vector<std::string> opener_labels = {"Officers only",
                                                  "Officers and members of the board"};
  return {{"id", p.slug},
          {"name", p.name},
          {"version", c.version},
          {"next_version", c.version + 1},
          {"text", val("text", c.text)},
          {"change_note", from_form ? f.GetOr("change_note") : ""},
          {"effective_day", from_form ? f.GetOr("effective_from-day") : ""},
          {"effective_month", from_form ? f.GetOr("effective_from-month") : ""},
          {"effective_year", from_form ? f.GetOr("effective_from-year") : ""},
          {"minimum_age", val("minimum_age", std::to_string(r.minimum_age))},
          {"binding_threshold_percent",
           val("binding_threshold_percent", std::to_string(r.binding_threshold_percent))},
          {"quorum_percent", val("quorum_percent", std::to_string(r.quorum_percent))},
          {"response_days", val("response_days", std::to_string(r.response_days))},
          {"approval_minimum", val("approval_minimum", std::to_string(r.approval_minimum))},
          {"approval_limit", val("approval_limit", std::to_string(r.approval_limit))},
          {"points", val("points", std::to_string(r.points))},
          {"openers", CheckedList(openers, opener_labels,
                                  chosen("pb_round_openers", app::ToString(r.pb_round_openers)),
                                  "pb_round_openers")},
          {"board_residents", val("board_residents", std::to_string(r.board.residents))},
          {"board_councillors", val("board_councillors", std::to_string(r.board.councillors))},
          {"board_partners", val("board_partners", std::to_string(r.board.partners))},
          {"modes", CheckedList(modes, mode_labels,
                                chosen("eligibility_mode", app::ToString(r.eligibility_mode)),
                                "eligibility_mode")},
          {"pb_rules", CheckedList(rules_v, rule_labels, chosen("pb_rule", app::ToString(r.pb_rule)),
                                   "pb_rule")},
          {"ballots", CheckedList(ballots, ballot_labels,
                                  chosen("ballot_type", app::ToString(r.ballot_type)),
                                  "ballot_type")}};
}

http::Response AmendPage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  if (!CanAmend(ctx.actor(), *p)) {
    return ErrorPage(ctx, Error::Forbidden("Only officers of this programme can amend its constitution"));
  }
  auto c = ctx.app().constitutions().Current(p->id);
  if (!c.ok()) return ErrorPage(ctx, c.error());
  return RenderPage(ctx, "constitution_amend", "Amend the constitution: " + p->name,
                    AmendData(ctx, *p, *c, false));
}

// The optional "takes effect on" date (GOV.UK date input): blank or today means now,
// otherwise 00:00 UTC on that day.
std::optional<int64_t> EffectiveFrom(Ctx& ctx, std::vector<FieldError>* errors) {
  const http::Form& f = ctx.form;
  std::string d = f.GetOr("effective_from-day"), m = f.GetOr("effective_from-month"),
              y = f.GetOr("effective_from-year");
  if (d.empty() && m.empty() && y.empty()) return std::nullopt;
  const char* kMessage = "Enter a real date, like 1 4 2027, or leave it blank for today";
  auto day = FormInt(f, "effective_from-day", kMessage, errors);
  auto month = day ? FormInt(f, "effective_from-month", kMessage, errors) : std::nullopt;
  auto year = month ? FormInt(f, "effective_from-year", kMessage, errors) : std::nullopt;
  std::optional<int64_t> at;
  if (day && month && year && *year > 0 && *year < 10000 && *month > 0 && *month < 13 &&
      *day > 0 && *day < 32) {
    at = UtcMidnight(static_cast<int>(*year), static_cast<int>(*month), static_cast<int>(*day));
  }
  if (!at) {
    bool reported = false;
    for (auto& e : *errors) {
      if (e.field.rfind("effective_from", 0) == 0) {
        e.field = "effective_from";
        reported = true;
      }
    }
    if (!reported) errors->push_back({"effective_from", kMessage});
    return std::nullopt;
  }
  const int64_t now = ctx.app().clock().NowSeconds();
  if (*at <= now && now < *at + 86400) return std::nullopt;  // today
  if (*at < now) {
    errors->push_back({"effective_from", "The date must be today or in the future"});
    return std::nullopt;
  }
  return at;
}

http::Response AmendSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto c = ctx.app().constitutions().Current(p->id);
  if (!c.ok()) return ErrorPage(ctx, c.error());
  const http::Form& f = ctx.form;
  std::vector<FieldError> errors;
  app::AmendConstitutionForm form;
  form.text = f.GetOr("text");
  form.change_note = f.GetOr("change_note");
  app::ConstitutionRules& r = form.rules;
  auto mode = app::ParseEligibilityMode(f.GetOr("eligibility_mode"));
  if (!mode) errors.push_back({"eligibility_mode", "Select who can join"});
  else r.eligibility_mode = *mode;
  auto rule = app::ParsePbRule(f.GetOr("pb_rule"));
  if (!rule) errors.push_back({"pb_rule", "Select how the budget is allocated"});
  else r.pb_rule = *rule;
  auto ballot = app::ParseBallotType(f.GetOr("ballot_type"));
  if (!ballot) errors.push_back({"ballot_type", "Select the ballot"});
  else r.ballot_type = *ballot;
  // Fields added after the form was first published keep the version in force when a
  // form without them (an older page, a script) is sent.
  r.pb_round_openers = c->rules.pb_round_openers;
  if (f.Has("pb_round_openers")) {
    auto openers = app::ParseRoundOpeners(f.GetOr("pb_round_openers"));
    if (!openers) errors.push_back({"pb_round_openers", "Select who may open a round"});
    else r.pb_round_openers = *openers;
  }
  struct IntField {
    const char* name;
    int* target;
    const char* message;
  };
  const IntField ints[] = {
      {"minimum_age", &r.minimum_age, "Enter the minimum age as a whole number, like 16"},
      {"binding_threshold_percent", &r.binding_threshold_percent,
       "Enter the binding threshold as a whole number of percent, like 80"},
      {"quorum_percent", &r.quorum_percent, "Enter the quorum as a whole number of percent"},
      {"response_days", &r.response_days, "Enter the number of days as a whole number"},
      {"approval_minimum", &r.approval_minimum,
       "Enter the fewest projects on a ballot as a whole number, like 1"},
      {"approval_limit", &r.approval_limit, "Enter the approval limit as a whole number"},
      {"points", &r.points, "Enter the points each voter shares out as a whole number, like 10"},
      {"board_residents", &r.board.residents, "Enter the number of resident seats"},
      {"board_councillors", &r.board.councillors, "Enter the number of councillor seats"},
      {"board_partners", &r.board.partners, "Enter the number of partner seats"},
  };
  r.approval_minimum = c->rules.approval_minimum;
  r.points = c->rules.points;
  for (const auto& i : ints) {
    if ((i.target == &r.approval_minimum || i.target == &r.points) && !f.Has(i.name)) continue;
    auto v = FormInt(f, i.name, i.message, &errors);
    if (v && (*v < -1000000 || *v > 1000000)) {
      errors.push_back({i.name, i.message});
    } else if (v) {
      *i.target = static_cast<int>(*v);
    } else if (!f.Has(i.name) || f.GetOr(i.name).empty()) {
      *i.target = 0;
    }
  }
  form.effective_from = EffectiveFrom(ctx, &errors);
  Result<app::Constitution> made =
      errors.empty() ? ctx.app().constitutions().Amend(ctx.actor(), p->id, form)
                     : Result<app::Constitution>(
                           Error::InvalidArgument("Check the rules", errors));
  if (!made.ok()) {
    if (made.error().code != ErrorCode::kInvalidArgument) return ErrorPage(ctx, made.error());
    return RenderForm(ctx, "constitution_amend", "Amend the constitution: " + p->name,
                      AmendData(ctx, *p, *c, true), &made.error());
  }
  return SeeOther(ctx, "/programmes/" + p->slug + "/constitution?amended=1");
}

// ---- widening or changing the scope -------------------------------------------------------

// The scope form: the current scope, or what was submitted.
Result<json> ScopeData(Ctx& ctx, const app::Programme& p, bool from_form) {
  const http::Form& f = ctx.form;
  const Choices natures = NatureChoices(), methods = MethodChoices();
  ASSIGN_OR_RETURN(const Choices areas, AreaChoices(ctx, p.public_body_id));
  std::vector<std::string> chosen_methods, chosen_nature, chosen_areas;
  std::string services;
  if (from_form) {
    chosen_nature = f.GetAll("nature");
    chosen_methods = f.GetAll("methods");
    chosen_areas = f.GetAll("areas");
    services = f.GetOr("services");
  } else {
    chosen_nature = {std::string(app::ToString(p.scope.nature))};
    for (auto m : p.scope.methods) chosen_methods.emplace_back(app::ToString(m));
    chosen_areas = p.scope.area_codes;
    services = fmt::format("{}", fmt::join(p.scope.services, "\n"));
  }
  json data = ProgrammeHeader(ctx, p);
  data["geographic"] = p.scope.network == app::NetworkKind::kGeographic;
  data["natures"] = CheckedList(natures.values, natures.labels, chosen_nature, "nature");
  data["methods"] = CheckedList(methods.values, methods.labels, chosen_methods, "methods");
  data["areas"] = CheckedList(areas.values, areas.labels, chosen_areas, "areas");
  data["has_areas"] = !areas.values.empty();
  data["services"] = services;
  data["change_note"] = f.GetOr("change_note");
  data["depth_label"] = std::string(app::Label(p.scope.depth));
  return data;
}

http::Response ScopePage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  if (!CanAmend(ctx.actor(), *p)) {
    return ErrorPage(ctx, Error::Forbidden("Only officers of this programme can change its scope"));
  }
  auto data = ScopeData(ctx, *p, false);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  return RenderPage(ctx, "programme_scope", "Change the scope: " + p->name, *data);
}

http::Response ScopeSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  app::UpdateScopeForm form;
  form.nature = ctx.form.GetOr("nature");
  form.services = Lines(ctx.form.GetOr("services"));
  form.areas = ctx.form.GetAll("areas");
  form.methods = ctx.form.GetAll("methods");
  form.change_note = ctx.form.GetOr("change_note");
  auto updated = ctx.app().programmes().UpdateScope(ctx.actor(), p->id, form);
  if (!updated.ok()) {
    if (updated.error().code != ErrorCode::kInvalidArgument) {
      return ErrorPage(ctx, updated.error());
    }
    auto data = ScopeData(ctx, *p, true);
    if (!data.ok()) return ErrorPage(ctx, data.error());
    return RenderForm(ctx, "programme_scope", "Change the scope: " + p->name, *data,
                      &updated.error());
  }
  return SeeOther(ctx, "/programmes/" + p->slug + "?scope_changed=1");
}

// ---- leaving ------------------------------------------------------------------------------

http::Response LeavePage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto mine = ctx.app().memberships().MineIn(ctx.actor(), p->id);
  if (!mine.ok()) return ErrorPage(ctx, mine.error());
  if (!*mine || ((*mine)->status != app::MembershipStatus::kActive &&
                 (*mine)->status != app::MembershipStatus::kPending)) {
    return ErrorPage(ctx, Error::NotFound("You are not a member of this programme"));
  }
  json data = ProgrammeHeader(ctx, *p);
  data["is_pending"] = (*mine)->status == app::MembershipStatus::kPending;
  return RenderPage(ctx, "leave", "Leave " + p->name, data);
}

http::Response LeaveSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  if (auto left = ctx.app().memberships().Leave(ctx.actor(), p->id); !left.ok()) {
    return ErrorPage(ctx, left.error());
  }
  return SeeOther(ctx, "/programmes/" + p->slug + "?left=1");
}

// ---- joining ----------------------------------------------------------------------------

json JoinData(const Ctx& ctx, const app::Programme& p, const app::Constitution& c) {
  bool by_postcode = c.rules.eligibility_mode == app::EligibilityMode::kPostcodeInAreas;
  return {{"id", p.slug},
          {"name", p.name},
          {"by_postcode", by_postcode},
          {"needs_statement", !by_postcode},
          {"officer_approval", c.rules.eligibility_mode == app::EligibilityMode::kOfficerApproval},
          {"eligibility_criteria", p.eligibility_criteria},
          {"minimum_age", c.rules.minimum_age},
          {"needs_age", c.rules.minimum_age > 0},
          {"postcode", ctx.form.GetOr("postcode")},
          {"statement", ctx.form.GetOr("statement")},
          {"confirm_age", ctx.form.Has("confirm_age")}};
}

http::Response JoinPage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto c = ctx.app().constitutions().Current(p->id);
  if (!c.ok()) return ErrorPage(ctx, c.error());
  return RenderPage(ctx, "join", "Join " + p->name, JoinData(ctx, *p, *c));
}

http::Response JoinSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto c = ctx.app().constitutions().Current(p->id);
  if (!c.ok()) return ErrorPage(ctx, c.error());
  app::JoinForm form{ctx.form.GetOr("postcode"), ctx.form.Has("confirm_age"),
                     ctx.form.GetOr("statement")};
  auto joined = ctx.app().memberships().Join(ctx.actor(), p->id, form);
  if (!joined.ok()) {
    if (joined.error().code != ErrorCode::kInvalidArgument &&
        joined.error().code != ErrorCode::kConflict) {
      return ErrorPage(ctx, joined.error());
    }
    return RenderForm(ctx, "join", "Join " + p->name, JoinData(ctx, *p, *c), &joined.error());
  }
  return SeeOther(ctx, "/programmes/" + p->slug + "?joined=1");
}

// ---- applications (officers) ------------------------------------------------------------

http::Response ApplicationsPage(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  auto pending = ctx.app().memberships().List(ctx.actor(), p->id, app::MembershipStatus::kPending);
  if (!pending.ok()) return ErrorPage(ctx, pending.error());
  auto all = ctx.app().memberships().List(ctx.actor(), p->id);
  if (!all.ok()) return ErrorPage(ctx, all.error());
  json list = json::array(), members = json::array();
  for (const auto& m : *pending) {
    json j = MembershipJson(m);
    j["applied"] = FormatLongDate(m.created_at);
    list.push_back(j);
  }
  for (const auto& m : *all) {
    if (m.status == app::MembershipStatus::kPending) continue;
    json j = MembershipJson(m);
    j["since"] = FormatLongDate(m.created_at);
    members.push_back(j);
  }
  json data = ProgrammeHeader(ctx, *p);
  data["applications"] = list;
  data["has_applications"] = !list.empty();
  data["members"] = members;
  data["has_members"] = !members.empty();
  data["decided"] = ctx.req.QueryParam("decided").has_value();
  return RenderPage(ctx, "applications", "Members and applications: " + p->name, data);
}

http::Response DecideSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  int64_t membership_id = 0;
  try {
    membership_id = std::stoll(ctx.req.Param("membership"));
  } catch (const std::exception&) {
    return ErrorPage(ctx, Error::NotFound("No such application"));
  }
  app::DecideForm form{ctx.form.GetOr("decision"), ctx.form.GetOr("reason")};
  auto decided = ctx.app().memberships().Decide(ctx.actor(), membership_id, form);
  if (!decided.ok()) return ErrorPage(ctx, decided.error());
  return SeeOther(ctx, "/programmes/" + p->slug + "/applications?decided=1");
}

// ---- history ---------------------------------------------------------------------------

http::Response HistoryPage(Ctx& ctx) {
  auto p = ProgrammeFromParam(ctx);
  if (!p.ok()) return ErrorPage(ctx, p.error());
  std::optional<int64_t> before;
  if (auto b = ctx.req.QueryParam("before")) {
    try {
      before = std::stoll(*b);
    } catch (const std::exception&) {
      return ErrorPage(ctx, Error::InvalidArgument("Not a valid page of history",
                                                   {{"before", "Must be a whole number"}}));
    }
  }
  auto entries = ctx.app().history().ForProgramme(p->id, 50, before);
  if (!entries.ok()) return ErrorPage(ctx, entries.error());
  json list = json::array();
  for (const auto& h : *entries) {
    json j = HistoryJson(h);
    j["date"] = FormatLongDate(h.at);
    j["short_hash"] = h.hash.substr(0, 12);
    list.push_back(j);
  }
  json data = ProgrammeHeader(ctx, *p);
  data["entries"] = list;
  data["has_entries"] = !list.empty();
  if (entries->size() == 50) data["older"] = entries->back().seq;
  return RenderPage(ctx, "history", "History: " + p->name, data);
}

// ---- areas -----------------------------------------------------------------------------

Result<app::PublicBody> BodyFromParam(Ctx& ctx) {
  const std::string& id = ctx.req.Param("id");
  if (!id.empty() && std::all_of(id.begin(), id.end(), ::isdigit) && id.size() < 18) {
    return ctx.app().public_bodies().Get(std::stoll(id));
  }
  return ctx.app().public_bodies().GetBySlug(id);
}

Result<json> AreasData(Ctx& ctx, const app::PublicBody& body) {
  ASSIGN_OR_RETURN(auto areas, ctx.app().public_bodies().ListAreas(body.id));
  json list = json::array();
  for (const auto& a : areas) list.push_back(AreaJson(a));
  return json{{"body", BodyJson(body)},
              {"areas", list},
              {"has_areas", !list.empty()},
              {"can_import", CanManageBody(ctx.actor(), body.id)}};
}

http::Response AreasPage(Ctx& ctx) {
  auto body = BodyFromParam(ctx);
  if (!body.ok()) return ErrorPage(ctx, body.error());
  auto data = AreasData(ctx, *body);
  if (!data.ok()) return ErrorPage(ctx, data.error());
  (*data)["imported"] = ctx.req.QueryParam("imported").value_or("");
  return RenderPage(ctx, "areas", "Areas: " + body->name, *data);
}

http::Response AreasImportSubmit(Ctx& ctx) {
  if (!ctx.actor()) return SignInFirst(ctx);
  auto body = BodyFromParam(ctx);
  if (!body.ok()) return ErrorPage(ctx, body.error());
  const http::UploadedFile* file = nullptr;
  for (const auto& f : ctx.files) {
    if (f.field == "file") file = &f;
  }
  Result<app::ImportSummary> imported =
      file && !file->data.empty()
          ? ctx.app().public_bodies().ImportAreas(ctx.actor(), body->id, file->data,
                                                  file->filename)
          : Result<app::ImportSummary>(Error::InvalidArgument(
                "Choose a CSV file", {{"file", "Choose a CSV file of postcodes and areas"}}));
  if (!imported.ok()) {
    if (imported.error().code != ErrorCode::kInvalidArgument) return ErrorPage(ctx, imported.error());
    auto data = AreasData(ctx, *body);
    if (!data.ok()) return ErrorPage(ctx, data.error());
    return RenderForm(ctx, "areas", "Areas: " + body->name, *data, &imported.error());
  }
  return SeeOther(ctx, "/bodies/" + body->slug + "/areas?imported=" +
                           std::to_string(imported->postcodes));
}

}  // namespace

void AddPages(WebApp&, const std::function<void(Method, std::string, PageFn)>& on) {
  on(Method::get, "/", Home);
  on(Method::get, "/sign-up", SignUpPage);
  on(Method::post, "/sign-up", SignUpSubmit);
  on(Method::get, "/sign-in", SignInPage);
  on(Method::post, "/sign-in", SignInSubmit);
  on(Method::post, "/sign-out", SignOutSubmit);
  on(Method::get, "/programmes", ProgrammeList);
  on(Method::get, "/programmes/new", NewProgrammePage);
  on(Method::post, "/programmes", CreateProgrammeSubmit);
  on(Method::get, "/programmes/{id}", ProgrammePage);
  on(Method::get, "/programmes/{id}/constitution", ConstitutionPage);
  on(Method::get, "/programmes/{id}/constitution/amend", AmendPage);
  on(Method::post, "/programmes/{id}/constitution", AmendSubmit);
  on(Method::get, "/programmes/{id}/scope", ScopePage);
  on(Method::post, "/programmes/{id}/scope", ScopeSubmit);
  on(Method::get, "/programmes/{id}/leave", LeavePage);
  on(Method::post, "/programmes/{id}/leave", LeaveSubmit);
  on(Method::get, "/programmes/{id}/join", JoinPage);
  on(Method::post, "/programmes/{id}/join", JoinSubmit);
  on(Method::get, "/programmes/{id}/applications", ApplicationsPage);
  on(Method::post, "/programmes/{id}/applications/{membership}", DecideSubmit);
  on(Method::get, "/programmes/{id}/history", HistoryPage);
  on(Method::get, "/bodies/{id}/areas", AreasPage);
  on(Method::post, "/bodies/{id}/areas", AreasImportSubmit);
}

}  // namespace communitise::web
