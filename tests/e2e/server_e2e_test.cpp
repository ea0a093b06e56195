// Whole-server tests: the real server, pages, API, application layer and a temporary
// SQLite database, in-process on a free loopback port, driven over HTTP.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <future>
#include <map>
#include <regex>
#include <thread>

#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/http/client.h"
#include "communitise/http/server.h"
#include "communitise/storage/database.h"
#include "communitise/web/web_app.h"
#include "demo_server_test.h"

namespace communitise {
namespace {

using namespace std::chrono_literals;
using http::HttpStatus;
using http::Method;
using http::TestClient;
using nlohmann::json;

std::string CsrfFrom(const std::string& html) {
  static const std::regex kToken("name=\"csrf_token\" value=\"([0-9a-f]{64})\"");
  std::smatch m;
  return std::regex_search(html, m, kToken) ? m[1].str() : std::string();
}

class ServerE2eTest : public DemoServerTest {
 protected:
  // The server is started by each test (StartServer), after it has added any routes.
  void SetUp() override {
    web::WebOptions options;
    if (auto assets = web::WebApp::FindAssets(COMMUNITISE_SOURCE_DIR)) options.assets_dir = *assets;
    SetUpDemo(std::move(options));
    if (HasFatalFailure()) return;
    // Sample postcodes may carry their area's name: "DH2 1AA (Riverside North)".
    for (auto& p : demo_.sample_postcodes) p = p.substr(0, p.find(" ("));
  }

  // Tight limits, so the tests of oversized and slow requests run quickly.
  void StartServer(bool handle_signals = false) {
    http::ServerOptions o = ServerDefaults();
    o.max_body_bytes = 64 * 1024;
    o.header_timeout = 500ms;
    o.idle_timeout = 2s;
    o.body_timeout = 500ms;
    o.handle_signals = handle_signals;
    DemoServerTest::StartServer(o);
  }

  TestClient Client() { return TestClient("127.0.0.1", server_->port()); }

  // Signs up through the HTML form; returns the new session's CSRF token.
  std::string SignUpWithForm(TestClient& c, const std::string& email) {
    auto page = c.Get("/sign-up");
    EXPECT_TRUE(page.ok());
    auto res = c.PostForm("/sign-up", {{"csrf_token", CsrfFrom(page->body())},
                                       {"name", "Rosa Resident"},
                                       {"email", email},
                                       {"password", "correct horse battery"}});
    EXPECT_TRUE(res.ok());
    EXPECT_EQ(res->result(), HttpStatus::see_other) << res->body();
    EXPECT_TRUE(c.cookies().count("communitise_session"));
    auto home = c.Get("/programmes");
    return CsrfFrom(home->body());
  }

  // Signs in through the API; returns the CSRF token of the new session.
  std::string SignInWithApi(TestClient& c, const std::string& email, const std::string& password) {
    auto session = c.Get("/api/session", "application/json");
    std::string anon_token = Body(*session)["csrf_token"];
    auto res = c.SendJson(Method::post, "/api/session",
                          json{{"email", email}, {"password", password}}.dump(), anon_token);
    EXPECT_TRUE(res.ok());
    EXPECT_EQ(res->result(), HttpStatus::created) << res->body();
    return Body(*res)["csrf_token"];
  }

  const app::DemoLogin* LoginLike(const std::string& word) {
    for (const auto& l : demo_.logins) {
      if (l.description.find(word) != std::string::npos) return &l;
    }
    return nullptr;
  }

};

TEST_F(ServerE2eTest, SignUpJoinByPostcodeAndReadConstitutionThroughPages) {
  StartServer();
  auto c = Client();
  std::string csrf = SignUpWithForm(c, "rosa@example.org");
  ASSERT_EQ(csrf.size(), 64u);
  ASSERT_FALSE(demo_.programme_slugs.empty());

  // Join the first demo programme that one of the demo postcodes belongs to.
  std::string joined_slug;
  for (const auto& slug : demo_.programme_slugs) {
    for (const auto& postcode : demo_.sample_postcodes) {
      auto res = c.PostForm("/programmes/" + slug + "/join",
                            {{"csrf_token", csrf}, {"postcode", postcode}, {"confirm_age", "yes"}});
      ASSERT_TRUE(res.ok());
      if (res->result() == HttpStatus::see_other) {
        joined_slug = slug;
        break;
      }
      EXPECT_EQ(res->result(), HttpStatus::bad_request);
      EXPECT_NE(res->body().find("govuk-error-summary"), std::string::npos);
    }
    if (!joined_slug.empty()) break;
  }
  ASSERT_FALSE(joined_slug.empty()) << "no demo postcode joined a demo programme";
  auto page = c.Get("/programmes/" + joined_slug + "?joined=1");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->result(), HttpStatus::ok);
  EXPECT_NE(page->body().find("You are a member"), std::string::npos);
  EXPECT_NE(page->body().find("role=\"img\""), std::string::npos);  // the pictures

  auto constitution = c.Get("/programmes/" + joined_slug + "/constitution");
  ASSERT_TRUE(constitution.ok());
  EXPECT_EQ(constitution->result(), HttpStatus::ok);
  EXPECT_NE(constitution->body().find("Rules the system enforces"), std::string::npos);

  auto api = c.Get("/api/programmes/" + joined_slug + "/constitution", "application/json");
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->result(), HttpStatus::ok);
  EXPECT_GE(Body(*api)["version"].get<int>(), 1);
  EXPECT_TRUE(Body(*api)["rules"].contains("eligibility_mode"));

  auto mine = c.Get("/api/me/memberships", "application/json");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(Body(*mine)["memberships"].size(), 1u);
  EXPECT_EQ(Body(*mine)["memberships"][0]["status"], "active");

  auto history = c.Get("/programmes/" + joined_slug + "/history");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->result(), HttpStatus::ok);

  // Leaving: a confirmation page, then the form.
  auto confirm = c.Get("/programmes/" + joined_slug + "/leave");
  ASSERT_EQ(confirm->result(), HttpStatus::ok);
  auto left = c.PostForm("/programmes/" + joined_slug + "/leave",
                         {{"csrf_token", CsrfFrom(confirm->body())}});
  ASSERT_EQ(left->result(), HttpStatus::see_other) << left->body();
  mine = c.Get("/api/me/memberships", "application/json");
  EXPECT_EQ(Body(*mine)["memberships"][0]["status"], "left");
  auto again = c.PostForm("/programmes/" + joined_slug + "/leave",
                          {{"csrf_token", CsrfFrom(confirm->body())}});
  EXPECT_EQ(again->result(), HttpStatus::not_found);
}

TEST_F(ServerE2eTest, ApiSignUpAndJoin) {
  StartServer();
  auto c = Client();
  auto session = c.Get("/api/session", "application/json");
  ASSERT_TRUE(session.ok());
  EXPECT_FALSE(Body(*session)["signed_in"].get<bool>());
  auto made = c.SendJson(Method::post, "/api/users",
                         json{{"email", "api@example.org"}, {"password", "a long password"},
                              {"name", "Api Person"}}.dump(),
                         Body(*session)["csrf_token"]);
  ASSERT_TRUE(made.ok());
  ASSERT_EQ(made->result(), HttpStatus::created) << made->body();
  std::string csrf = Body(*made)["csrf_token"];
  bool joined = false;
  for (const auto& slug : demo_.programme_slugs) {
    for (const auto& postcode : demo_.sample_postcodes) {
      auto res = c.SendJson(Method::post, "/api/programmes/" + slug + "/join",
                            json{{"postcode", postcode}, {"confirm_age", true}}.dump(), csrf);
      ASSERT_TRUE(res.ok());
      if (res->result() == HttpStatus::created) {
        EXPECT_EQ(Body(*res)["status"], "active");
        joined = true;
        break;
      }
    }
    if (joined) break;
  }
  EXPECT_TRUE(joined);
  auto left = c.SendJson(Method::delete_, "/api/programmes/" + demo_.programme_slugs[0] +
                                              "/membership", "", csrf);
  auto left_other = c.SendJson(Method::delete_, "/api/programmes/" + demo_.programme_slugs[1] +
                                                    "/membership", "", csrf);
  // Exactly one of the two programmes had the membership to leave.
  EXPECT_EQ((left->result() == HttpStatus::no_content) + (left_other->result() == HttpStatus::no_content), 1);
  EXPECT_EQ((left->result() == HttpStatus::not_found) + (left_other->result() == HttpStatus::not_found), 1);
  auto list = c.Get("/api/programmes", "application/json");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Body(*list)["programmes"].size(), demo_.programme_slugs.size());
}

TEST_F(ServerE2eTest, EveryRoleIsRefusedWhatItMayNotDo) {
  StartServer();
  auto programme = app_->programmes().GetBySlug(demo_.programme_slugs.front());
  ASSERT_TRUE(programme.ok());
  const std::string id = std::to_string(programme->id);
  const std::string body_id = std::to_string(programme->public_body_id);
  json create = {{"public_body_id", programme->public_body_id}, {"name", "Not allowed"},
                 {"nature", "discretionary"}, {"services", {"Parks"}}, {"network", "geographic"},
                 {"areas", programme->scope.area_codes}, {"methods", {"operational_engagement"}}};
  json amend = {{"text", "Changed"}, {"change_note", "Because"},
                {"rules", json::parse(app::RulesToJson(app::ConstitutionRules{}))}};

  // Anonymous: may read, may not change.
  {
    auto c = Client();
    auto s = c.Get("/api/session", "application/json");
    std::string csrf = Body(*s)["csrf_token"];
    auto res = c.SendJson(Method::post, "/api/programmes", create.dump(), csrf);
    ASSERT_TRUE(res.ok());
    EXPECT_TRUE(res->result() == HttpStatus::unauthorized || res->result() == HttpStatus::forbidden)
        << res->result_int();
    auto page = c.Get("/programmes/new");
    EXPECT_EQ(page->result(), HttpStatus::see_other);  // sent to sign in
  }
  // A resident.
  {
    auto c = Client();
    std::string csrf = SignUpWithForm(c, "resident2@example.org");
    auto res = c.SendJson(Method::post, "/api/programmes", create.dump(), csrf);
    EXPECT_EQ(res->result(), HttpStatus::forbidden) << res->body();
    EXPECT_EQ(Body(*res)["error"]["code"], "forbidden");
    res = c.SendJson(Method::post, "/api/programmes/" + id + "/constitution", amend.dump(), csrf);
    EXPECT_EQ(res->result(), HttpStatus::forbidden) << res->body();
    res = c.Get("/api/programmes/" + id + "/memberships", "application/json");
    EXPECT_EQ(res->result(), HttpStatus::forbidden) << res->body();
    http::BeastRequest csv{Method::post, "/api/bodies/" + body_id + "/areas", 11};
    csv.set(http::bhttp::field::content_type, "text/csv");
    csv.set("X-CSRF-Token", csrf);
    csv.body() = "pcds,wd24cd,wd24nm\nDH1 3LE,E05000001,Somewhere\n";
    res = c.Send(std::move(csv));
    EXPECT_EQ(res->result(), HttpStatus::forbidden) << res->body();
    auto page = c.Get("/programmes/" + id + "/constitution/amend");
    EXPECT_EQ(page->result(), HttpStatus::forbidden);
    page = c.Get("/programmes/" + id + "/applications");
    EXPECT_EQ(page->result(), HttpStatus::forbidden);
  }
  // Every demo login that is not an officer or admin may not create or amend.
  int checked = 0;
  for (const auto& login : demo_.logins) {
    if (login.description.find("fficer") != std::string::npos ||
        login.description.find("dmin") != std::string::npos) {
      continue;
    }
    auto c = Client();
    std::string csrf = SignInWithApi(c, login.email, login.password);
    auto res = c.SendJson(Method::post, "/api/programmes", create.dump(), csrf);
    EXPECT_EQ(res->result(), HttpStatus::forbidden) << login.description << ": " << res->body();
    res = c.SendJson(Method::post, "/api/programmes/" + id + "/constitution", amend.dump(), csrf);
    EXPECT_EQ(res->result(), HttpStatus::forbidden) << login.description << ": " << res->body();
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST_F(ServerE2eTest, OfficerCreatesNeedProgrammeImportsAreasAndApprovesAnApplication) {
  StartServer();
  const app::DemoLogin* officer_login = LoginLike("Officer");
  ASSERT_NE(officer_login, nullptr);
  auto officer = Client();
  std::string officer_csrf = SignInWithApi(officer, officer_login->email, officer_login->password);
  auto bodies = officer.Get("/api/bodies", "application/json");
  int64_t body_id = Body(*bodies)["public_bodies"][0]["id"];

  // Areas import through the multipart form, as the page's file upload sends it.
  http::BeastRequest upload{Method::post, "/bodies/" + std::to_string(body_id) + "/areas", 11};
  upload.set(http::bhttp::field::content_type, "multipart/form-data; boundary=b0und");
  upload.body() =
      "--b0und\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + officer_csrf +
      "\r\n--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\npcds,wd24cd,wd24nm\r\nZZ1 1AA,E05999999,New Ward\r\n"
      "--b0und--\r\n";
  auto imported = officer.Send(std::move(upload));
  ASSERT_EQ(imported->result(), HttpStatus::see_other) << imported->body();
  auto areas = officer.Get("/api/bodies/" + std::to_string(body_id) + "/areas", "application/json");
  EXPECT_NE(areas->body().find("E05999999"), std::string::npos);

  json rules = json::parse(app::RulesToJson(app::DefaultRules(
      app::NetworkKind::kNeedInterest, {app::Method::kNonBindingDeliberation})));
  rules["eligibility_mode"] = "officer_approval";
  auto made = officer.SendJson(
      Method::post, "/api/programmes",
      json{{"public_body_id", body_id}, {"name", "Carers' voice"}, {"nature", "core"},
           {"services", {"Adult social care"}}, {"network", "need_interest"},
           {"eligibility_criteria", "People who care for a family member"},
           {"methods", {"non_binding_deliberation"}}, {"rules", rules}}.dump(),
      officer_csrf);
  ASSERT_EQ(made->result(), HttpStatus::created) << made->body();
  std::string slug = Body(*made)["slug"];

  auto resident = Client();
  std::string resident_csrf = SignUpWithForm(resident, "carer@example.org");
  auto applied = resident.PostForm("/programmes/" + slug + "/join",
                                   {{"csrf_token", resident_csrf},
                                    {"statement", "I look after my father"},
                                    {"confirm_age", "yes"}});
  ASSERT_EQ(applied->result(), HttpStatus::see_other) << applied->body();
  auto mine = resident.Get("/api/me/memberships", "application/json");
  ASSERT_EQ(Body(*mine)["memberships"].size(), 1u);
  EXPECT_EQ(Body(*mine)["memberships"][0]["status"], "pending");
  int64_t membership = Body(*mine)["memberships"][0]["id"];

  // The applicant may not decide; the officer may.
  auto self = resident.SendJson(Method::post, "/api/memberships/" + std::to_string(membership) + "/decision",
                                json{{"decision", "approve"}}.dump(), resident_csrf);
  EXPECT_EQ(self->result(), HttpStatus::forbidden) << self->body();
  auto queue = officer.Get("/programmes/" + slug + "/applications");
  ASSERT_EQ(queue->result(), HttpStatus::ok);
  EXPECT_NE(queue->body().find("I look after my father"), std::string::npos);
  std::string page_csrf = CsrfFrom(queue->body());
  auto approved = officer.PostForm(
      "/programmes/" + slug + "/applications/" + std::to_string(membership),
      {{"csrf_token", page_csrf}, {"decision", "approve"}});
  ASSERT_EQ(approved->result(), HttpStatus::see_other) << approved->body();
  mine = resident.Get("/api/me/memberships", "application/json");
  EXPECT_EQ(Body(*mine)["memberships"][0]["status"], "active");
  auto history = resident.Get("/api/programmes/" + slug + "/history", "application/json");
  EXPECT_GE(Body(*history)["entries"].size(), 3u);
}

TEST_F(ServerE2eTest, OfficerWidensScopeAndSchedulesAnAmendment) {
  StartServer();
  const app::DemoLogin* officer_login = LoginLike("Officer");
  ASSERT_NE(officer_login, nullptr);
  auto officer = Client();
  std::string csrf = SignInWithApi(officer, officer_login->email, officer_login->password);
  std::string slug;
  for (const auto& s : demo_.programme_slugs) {
    auto page = officer.Get("/programmes/" + s + "/scope");
    if (page->result() == HttpStatus::ok) {
      slug = s;
      break;
    }
  }
  ASSERT_FALSE(slug.empty()) << "the demo officer manages no programme";
  auto before = officer.Get("/api/programmes/" + slug + "/scopes", "application/json");
  const std::size_t scopes_before = Body(*before)["scopes"].size();

  // The page: a missing reason is a field error; with one, the scope changes.
  auto form = officer.Get("/programmes/" + slug + "/scope");
  std::string page_csrf = CsrfFrom(form->body());
  auto refused = officer.PostForm("/programmes/" + slug + "/scope",
                                  {{"csrf_token", page_csrf}, {"nature", "both"},
                                   {"methods", "binding_deliberation"}, {"change_note", ""}});
  EXPECT_EQ(refused->result(), HttpStatus::bad_request);
  EXPECT_NE(refused->body().find("govuk-error-summary"), std::string::npos);
  auto widened = officer.PostForm("/programmes/" + slug + "/scope",
                                  {{"csrf_token", page_csrf}, {"nature", "both"},
                                   {"methods", "binding_deliberation"},
                                   {"methods", "formal_governance"},
                                   {"change_note", "The board now commissions youth services"}});
  ASSERT_EQ(widened->result(), HttpStatus::see_other) << widened->body();
  auto after = officer.Get("/api/programmes/" + slug + "/scopes", "application/json");
  ASSERT_EQ(Body(*after)["scopes"].size(), scopes_before + 1);
  EXPECT_EQ(Body(*after)["scopes"].back()["nature"], "both");

  // The API: same use case.
  auto api = officer.SendJson(Method::post, "/api/programmes/" + slug + "/scopes",
                              json{{"methods", {"operational_engagement"}},
                                   {"change_note", "Back to engagement while we review"}}.dump(),
                              csrf);
  ASSERT_EQ(api->result(), HttpStatus::created) << api->body();
  after = officer.Get("/api/programmes/" + slug + "/scopes", "application/json");
  EXPECT_EQ(Body(*after)["scopes"].size(), scopes_before + 2);

  // A resident may not change the scope.
  auto resident = Client();
  std::string resident_csrf = SignUpWithForm(resident, "nosy@example.org");
  auto denied = resident.SendJson(Method::post, "/api/programmes/" + slug + "/scopes",
                                  json{{"change_note", "mine now"}}.dump(), resident_csrf);
  EXPECT_EQ(denied->result(), HttpStatus::forbidden) << denied->body();

  // An amendment that takes effect later: the version in force stays until then.
  auto amend = officer.Get("/programmes/" + slug + "/constitution/amend");
  ASSERT_EQ(amend->result(), HttpStatus::ok);
  EXPECT_NE(amend->body().find("effective_from-day"), std::string::npos);
  auto current = officer.Get("/api/programmes/" + slug + "/constitution", "application/json");
  const int version = Body(*current)["version"];
  json rules = Body(*current)["rules"];
  std::map<std::string, std::string> fields = {
      {"csrf_token", CsrfFrom(amend->body())},
      {"text", "Amended text"},
      {"change_note", "Quorum rises next year"},
      {"eligibility_mode", rules["eligibility_mode"]},
      {"pb_rule", rules["pb_rule"]},
      {"ballot_type", rules["ballot_type"]},
      {"minimum_age", std::to_string(rules["minimum_age"].get<int>())},
      {"binding_threshold_percent", std::to_string(rules["binding_threshold_percent"].get<int>())},
      {"quorum_percent", "40"},
      {"response_days", std::to_string(rules["response_days"].get<int>())},
      {"approval_limit", std::to_string(rules["approval_limit"].get<int>())},
      {"board_residents", std::to_string(rules["board_residents"].get<int>())},
      {"board_councillors", std::to_string(rules["board_councillors"].get<int>())},
      {"board_partners", std::to_string(rules["board_partners"].get<int>())}};
  auto with_date = [&](std::string d, std::string m, std::string y) {
    auto f = fields;
    f["effective_from-day"] = d;
    f["effective_from-month"] = m;
    f["effective_from-year"] = y;
    return officer.PostForm("/programmes/" + slug + "/constitution",
                            std::vector<std::pair<std::string, std::string>>(f.begin(), f.end()));
  };
  auto bad_date = with_date("31", "2", "2030");
  EXPECT_EQ(bad_date->result(), HttpStatus::bad_request);
  EXPECT_NE(bad_date->body().find("Enter a real date"), std::string::npos);
  auto past = with_date("1", "1", "2020");
  EXPECT_EQ(past->result(), HttpStatus::bad_request);
  EXPECT_NE(past->body().find("today or in the future"), std::string::npos);
  auto later = with_date("1", "4", "2030");
  ASSERT_EQ(later->result(), HttpStatus::see_other) << later->body();
  auto in_force = officer.Get("/api/programmes/" + slug + "/constitution", "application/json");
  EXPECT_EQ(Body(*in_force)["version"], version);  // not yet
  auto versions = officer.Get("/api/programmes/" + slug + "/constitution/versions",
                              "application/json");
  EXPECT_EQ(Body(*versions)["versions"].back()["version"], version + 1);
  EXPECT_EQ(Body(*versions)["versions"].back()["effective_from"], FormatIso8601(*UtcMidnight(2030, 4, 1)));
}

TEST_F(ServerE2eTest, StateChangesWithoutCsrfTokenAreRefused) {
  StartServer();
  auto c = Client();
  auto res = c.PostForm("/sign-in", {{"email", "x@example.org"}, {"password", "whatever"}});
  EXPECT_EQ(res->result(), HttpStatus::forbidden);
  EXPECT_NE(res->body().find("did not come from this site"), std::string::npos);

  std::string csrf = SignUpWithForm(c, "csrf@example.org");
  const std::string slug = demo_.programme_slugs.front();
  res = c.SendJson(Method::post, "/api/programmes/" + slug + "/join",
                   json{{"postcode", demo_.sample_postcodes.front()}}.dump());
  EXPECT_EQ(res->result(), HttpStatus::forbidden);
  EXPECT_EQ(Body(*res)["error"]["code"], "forbidden");
  res = c.SendJson(Method::post, "/api/programmes/" + slug + "/join",
                   json{{"postcode", demo_.sample_postcodes.front()}}.dump(), std::string(64, 'a'));
  EXPECT_EQ(res->result(), HttpStatus::forbidden);
  res = c.PostForm("/sign-out", {});
  EXPECT_EQ(res->result(), HttpStatus::forbidden);
  // The anonymous token stops working once signed in (the session has its own).
  auto anon = Client();
  auto s = anon.Get("/api/session", "application/json");
  std::string anon_token = Body(*s)["csrf_token"];
  EXPECT_NE(anon_token, csrf);
  res = c.PostForm("/sign-out", {{"csrf_token", anon_token}});
  EXPECT_EQ(res->result(), HttpStatus::forbidden);
  res = c.PostForm("/sign-out", {{"csrf_token", csrf}});
  EXPECT_EQ(res->result(), HttpStatus::see_other);
}

TEST_F(ServerE2eTest, MalformedBodiesGetFieldMessagesOnPagesAndInTheApi) {
  StartServer();
  auto c = Client();
  auto s = c.Get("/api/session", "application/json");
  std::string csrf = Body(*s)["csrf_token"];

  auto bad_json = c.SendJson(Method::post, "/api/users", "{\"email\": ", csrf);
  EXPECT_EQ(bad_json->result(), HttpStatus::bad_request);
  EXPECT_NE(Body(*bad_json)["error"]["message"].get<std::string>().find("not valid JSON"),
            std::string::npos);
  auto not_object = c.SendJson(Method::post, "/api/users", "[1,2]", csrf);
  EXPECT_EQ(not_object->result(), HttpStatus::bad_request);
  auto wrong_type = c.SendJson(Method::post, "/api/users",
                               json{{"email", 5}, {"password", "x"}, {"name", "n"}}.dump(), csrf);
  EXPECT_EQ(wrong_type->result(), HttpStatus::bad_request);
  EXPECT_EQ(Body(*wrong_type)["error"]["fields"][0]["field"], "email");

  // The same invalid sign-up through the API and the form gives the same messages.
  auto api = c.SendJson(Method::post, "/api/users",
                        json{{"email", "not-an-email"}, {"password", "short"}, {"name", ""}}.dump(),
                        csrf);
  ASSERT_EQ(api->result(), HttpStatus::bad_request) << api->body();
  auto fields = Body(*api)["error"]["fields"];
  ASSERT_GE(fields.size(), 2u);
  auto form = c.PostForm("/sign-up", {{"csrf_token", csrf}, {"email", "not-an-email"},
                                      {"password", "short"}, {"name", ""}});
  ASSERT_EQ(form->result(), HttpStatus::bad_request);
  EXPECT_NE(form->body().find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(form->body().find("<title>Error: "), std::string::npos);
  for (const auto& f : fields) {
    std::string message = http::HtmlEscape(f["message"].get<std::string>());
    EXPECT_NE(form->body().find("href=\"#" + f["field"].get<std::string>() + "\">" + message),
              std::string::npos)
        << "summary lacks " << f;
    EXPECT_NE(form->body().find("id=\"" + f["field"].get<std::string>() + "-error\""),
              std::string::npos)
        << "field lacks its message: " << f;
  }
  auto garbled = c.Send([&] {
    http::BeastRequest r{Method::post, "/sign-up", 11};
    r.set(http::bhttp::field::content_type, "application/x-www-form-urlencoded");
    r.body() = "csrf_token=" + csrf + "&email=%ZZ";
    return r;
  }());
  EXPECT_EQ(garbled->result(), HttpStatus::bad_request);
}

TEST_F(ServerE2eTest, UnknownThingsAre404) {
  StartServer();
  auto c = Client();
  auto page = c.Get("/no/such/page");
  EXPECT_EQ(page->result(), HttpStatus::not_found);
  EXPECT_NE(page->body().find("Page not found"), std::string::npos);
  auto api = c.Get("/api/programmes/987654", "application/json");
  EXPECT_EQ(api->result(), HttpStatus::not_found);
  EXPECT_EQ(Body(*api)["error"]["code"], "not_found");
  EXPECT_EQ(c.Get("/programmes/no-such-programme")->result(), HttpStatus::not_found);
  EXPECT_EQ(c.Get("/api/nothing", "application/json")->result(), HttpStatus::not_found);
  EXPECT_EQ(c.Get("/assets/../CMakeLists.txt")->result(), HttpStatus::not_found);
}

TEST_F(ServerE2eTest, ServiceEndpointsAndSecurityHeaders) {
  StartServer();
  auto c = Client();
  auto health = c.Get("/healthz", "application/json");
  EXPECT_EQ(health->result(), HttpStatus::ok);
  EXPECT_EQ(Body(*health)["database"], "ok");
  auto home = c.Get("/");
  EXPECT_EQ(home->result(), HttpStatus::ok);
  std::string csp((*home)["Content-Security-Policy"]);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ((*home)["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(home->body().find("<script>"), std::string::npos);  // no inline script
  EXPECT_NE(home->body().find("name=\"viewport\""), std::string::npos);
  auto openapi = c.Get("/api/openapi.json", "application/json");
  EXPECT_EQ(openapi->result(), HttpStatus::ok);
  EXPECT_FALSE(Body(*openapi).is_discarded());
  auto css = c.Get("/static/communitise.css");
  EXPECT_EQ(css->result(), HttpStatus::ok);
  EXPECT_NE(std::string((*css)["Cache-Control"]).find("max-age"), std::string::npos);
  auto metrics = c.Get("/metrics");
  EXPECT_NE(metrics->body().find("communitise_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics->body().find("communitise_uptime_seconds"), std::string::npos);
}

TEST_F(ServerE2eTest, OversizedAndSlowRequestsAreCutOff) {
  StartServer();
  auto big = Client();
  auto s = big.Get("/api/session", "application/json");
  std::string csrf = Body(*s)["csrf_token"];
  auto res = big.SendJson(Method::post, "/api/users", std::string(100 * 1024, ' '), csrf);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->result(), HttpStatus::payload_too_large);

  auto slow = Client();
  ASSERT_TRUE(slow.WriteRaw("POST /api/users HTTP/1.1\r\nHost: x\r\n").ok());
  EXPECT_TRUE(slow.ServerClosed(5s));
  auto healthy = Client();
  EXPECT_EQ(healthy.Get("/healthz")->result(), HttpStatus::ok);  // others still served
}

TEST_F(ServerE2eTest, SigtermFinishesTheRequestInFlightThenStops) {
  std::promise<void> started, release;
  auto release_future = release.get_future().share();
  web_->router().Add(Method::get, "/test/slow", [&](http::Request& req) {
    started.set_value();
    release_future.wait();
    return http::MakeResponse(req, HttpStatus::ok, "text/plain", "finished");
  });
  StartServer(/*handle_signals=*/true);
  auto c = Client();
  auto in_flight = std::async(std::launch::async, [&] { return c.Get("/test/slow"); });
  started.get_future().wait();
  std::raise(SIGTERM);
  std::this_thread::sleep_for(100ms);
  auto late = Client();
  EXPECT_FALSE(late.Get("/healthz").ok());  // no longer accepting
  release.set_value();
  auto res = in_flight.get();
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->body(), "finished");
  thread_.join();  // Run() returned by itself
  server_.reset();
  // Storage is still consistent and closes cleanly afterwards.
  EXPECT_TRUE(app_->programmes().List().ok());
}

}  // namespace
}  // namespace communitise
