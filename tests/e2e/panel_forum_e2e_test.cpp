// Resident panels and forums over HTTP: demographic answers refused to every role that
// should not see them (page, API and CSV); the invitation lottery redone from the list
// and the published seed; a tally under quorum that does not bind; a constitution change
// during a vote that does not change the vote's rule; forms that come back with
// field-level errors, and the same messages from the API; and bids before a panel (the
// NCIL model), from the round to the awards. The real server on a temporary SQLite
// database with the demo data, driven through pages and the JSON API.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <thread>

#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/http/client.h"
#include "communitise/http/server.h"
#include "communitise/sortition/invitations.h"
#include "communitise/storage/database.h"
#include "communitise/web/web_app.h"
#include "demo_server_test.h"

namespace communitise {
namespace {

using http::HttpStatus;
using http::Method;
using http::TestClient;
using nlohmann::json;

// The messages of a JSON error's fields, by field name.
std::map<std::string, std::string> FieldMessages(const http::Response& res) {
  std::map<std::string, std::string> out;
  json b = Body(res);
  for (const auto& f : b["error"]["fields"]) out[f["field"]] = f["message"];
  return out;
}

bool Contains(const http::Response& res, std::string_view text) {
  return res.body().find(text) != std::string::npos;
}

class PanelForumE2eTest : public DemoServerTest {
 protected:
  void SetUp() override {
    DemoServerTest::SetUp();
    if (HasFatalFailure()) return;
    aap_ = *app_->programmes().GetBySlug(demo_.programme_slugs.at(0));
    ncil_ = *app_->programmes().GetBySlug(demo_.programme_slugs.at(1));
  }

  struct Person {
    std::unique_ptr<TestClient> client;
    std::string csrf;
    int64_t user_id = 0;
  };

  Person Anonymous() {
    Person p{std::make_unique<TestClient>("127.0.0.1", server_->port()), "", 0};
    auto session = p.client->Get("/api/session", "application/json");
    p.csrf = Body(*session)["csrf_token"];
    return p;
  }

  Person SignIn(const std::string& email, const std::string& password) {
    Person p = Anonymous();
    auto res = p.client->SendJson(Method::post, "/api/session",
                                  json{{"email", email}, {"password", password}}.dump(), p.csrf);
    EXPECT_EQ(res->result(), HttpStatus::created) << email << " " << res->body();
    p.csrf = Body(*res)["csrf_token"];
    p.user_id = Body(*res)["user"]["id"].get<int64_t>();
    return p;
  }

  // A new account with these roles in the demo council (none for a resident), or in a
  // second council when `other_body`.
  Person WithRoles(const std::string& email, std::vector<app::Role> roles, bool other_body = false) {
    const app::Actor system = app::SystemActor();
    auto id = app_->accounts().CreateUser(&system, {email, "a long enough password", email});
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    int64_t body = aap_.public_body_id;
    if (other_body) body = OtherBody();
    for (app::Role r : roles) {
      Status s = app_->accounts().GrantRole(&system, {email, std::string(app::ToString(r)), body, 0});
      EXPECT_TRUE(s.ok()) << s.error().ToString();
    }
    return SignIn(email, "a long enough password");
  }

  int64_t OtherBody() {
    if (other_body_ == 0) {
      const app::Actor system = app::SystemActor();
      auto b = app_->public_bodies().Create(&system, {"Elsewhere Council", "elsewhere", "council"});
      EXPECT_TRUE(b.ok()) << b.error().ToString();
      other_body_ = b->id;
    }
    return other_body_;
  }

  Result<http::Response> Post(Person& p, const std::string& target, const json& body) {
    return p.client->SendJson(Method::post, target, body.dump(), p.csrf);
  }

  Result<http::Response> Form(Person& p, const std::string& target,
                              std::vector<std::pair<std::string, std::string>> fields) {
    fields.push_back({"csrf_token", p.csrf});
    return p.client->PostForm(target, fields);
  }

  Result<http::Response> Upload(Person& p, const std::string& target, const std::string& field,
                                const std::string& filename, const std::string& data) {
    const std::string boundary = "communitise-test-boundary";
    std::string body = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + p.csrf +
                       "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field +
                       "\"; filename=\"" + filename + "\"\r\nContent-Type: text/csv\r\n\r\n" + data +
                       "\r\n--" + boundary + "--\r\n";
    http::BeastRequest req{Method::post, target, 11};
    req.set(http::bhttp::field::content_type, "multipart/form-data; boundary=" + boundary);
    req.body() = std::move(body);
    return p.client->Send(std::move(req));
  }

  int64_t DemoPanelId() { return app_->panels().ListForProgramme(ncil_.id)->at(0).id; }
  int64_t DemoForumId() { return app_->forums().ListForProgramme(ncil_.id)->at(0).id; }

  // A binding forum of the Riverside partnership with `n` members from the pool.
  struct Assembly {
    int64_t forum = 0;
    std::vector<Person> members;
  };
  Assembly MakeAssembly(Person& officer, int n) {
    Assembly a;
    auto made = Post(officer, "/api/programmes/" + aap_.slug + "/forums",
                     {{"kind", "citizens_assembly"}, {"name", "Riverside assembly"},
                      {"binding", true}});
    EXPECT_EQ(made->result(), HttpStatus::created) << made->body();
    a.forum = Body(*made)["id"];
    for (int i = 0; i < n; ++i) {
      Person m = WithRoles("assembly" + std::to_string(i) + "@example.org", {});
      auto added = Post(officer, "/api/forums/" + std::to_string(a.forum) + "/members",
                        {{"user_id", m.user_id}});
      EXPECT_EQ(added->result(), HttpStatus::created) << added->body();
      a.members.push_back(std::move(m));
    }
    return a;
  }

  // Opens a motion; `yes` members vote for, `no` against.
  int64_t OpenAndVote(Person& officer, Assembly& a, const std::string& title, int yes, int no) {
    auto opened = Post(officer, "/api/forums/" + std::to_string(a.forum) + "/motions",
                       {{"title", title}, {"text", "The council will " + title}});
    EXPECT_EQ(opened->result(), HttpStatus::created) << opened->body();
    const int64_t id = Body(*opened)["id"];
    for (int i = 0; i < yes + no; ++i) {
      auto v = Post(a.members[i], "/api/motions/" + std::to_string(id) + "/vote",
                    {{"choice", i < yes ? "for" : "against"}});
      EXPECT_EQ(v->result(), HttpStatus::ok) << v->body();
    }
    return id;
  }

  app::Programme aap_, ncil_;
  int64_t other_body_ = 0;
};

TEST_F(PanelForumE2eTest, DemographicAnswersAreRefusedToEveryRoleThatDoesNotRunSelection) {
  const std::string panel = "/panels/" + std::to_string(DemoPanelId());
  const std::string api = "/api/panels/" + std::to_string(DemoPanelId());
  struct Case {
    std::string who;
    Person person;
  };
  std::vector<Case> refused;
  refused.push_back({"a resident", SignIn("resident2@demo.communitise.test", "demo-resident-password")});
  refused.push_back({"a panel member who registered", SignIn("panel1@demo.communitise.test",
                                                            "demo panel member password")});
  refused.push_back({"a councillor", SignIn("councillor@demo.communitise.test", "demo-councillor-password")});
  refused.push_back({"a partner", SignIn("partner@demo.communitise.test", "demo-partner-password")});
  refused.push_back({"a member of the body", WithRoles("member@example.org", {app::Role::kMember})});
  refused.push_back({"a community researcher",
                     WithRoles("researcher@example.org", {app::Role::kCommunityResearcher})});
  for (app::Role r : {app::Role::kOfficer, app::Role::kFacilitator, app::Role::kAdmin}) {
    refused.push_back({"another council's " + std::string(app::ToString(r)),
                       WithRoles("other-" + std::string(app::ToString(r)) + "@example.org", {r}, true)});
  }
  for (auto& c : refused) {
    for (const std::string& url : {panel + "/respondents", panel + "/respondents.csv"}) {
      auto res = c.person.client->Get(url);
      EXPECT_EQ(res->result(), HttpStatus::forbidden) << c.who << " " << url;
      EXPECT_FALSE(Contains(*res, "16-34")) << c.who << " " << url;
    }
    auto res = c.person.client->Get(api + "/respondents", "application/json");
    EXPECT_EQ(res->result(), HttpStatus::forbidden) << c.who;
    // The public record has the chances, without who has them.
    auto pub = c.person.client->Get(api, "application/json");
    ASSERT_EQ(pub->result(), HttpStatus::ok);
    EXPECT_FALSE(Body(*pub)["selection"].contains("respondent_ids")) << c.who;
    EXPECT_FALSE(Contains(*c.person.client->Get(panel), "Registrations and their answers")) << c.who;
  }
  // Without signing in: sent to sign in (page), 401 (API and CSV).
  Person visitor = Anonymous();
  EXPECT_EQ(visitor.client->Get(panel + "/respondents")->result(), HttpStatus::see_other);
  EXPECT_EQ(visitor.client->Get(api + "/respondents", "application/json")->result(),
            HttpStatus::unauthorized);
  EXPECT_EQ(visitor.client->Get(panel + "/respondents.csv")->result(), HttpStatus::unauthorized);

  // Those who run selection see them.
  std::vector<Person> allowed;
  allowed.push_back(SignIn("officer@demo.communitise.test", "demo-officer-password"));
  allowed.push_back(SignIn("facilitator@demo.communitise.test", "demo-facilitator-password"));
  allowed.push_back(SignIn("admin@demo.communitise.test", "demo-admin-password"));
  for (auto& p : allowed) {
    auto page = p.client->Get(panel + "/respondents");
    EXPECT_EQ(page->result(), HttpStatus::ok);
    EXPECT_TRUE(Contains(*page, "16-34"));
    auto csv = p.client->Get(panel + "/respondents.csv");
    ASSERT_EQ(csv->result(), HttpStatus::ok);
    EXPECT_EQ(csv->body().substr(0, csv->body().find('\r')),
              "id,name,area,age,gender,area,availability,status");
    auto list = p.client->Get(api + "/respondents", "application/json");
    ASSERT_EQ(list->result(), HttpStatus::ok);
    EXPECT_EQ(Body(*list)["respondents"].size(), 30u);
    EXPECT_TRUE(Body(*p.client->Get(api, "application/json"))["selection"].contains("respondent_ids"));
  }
}

TEST_F(PanelForumE2eTest, TheInvitationLotteryIsRedoneFromTheListAndThePublishedSeed) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  auto made = Form(officer, "/programmes/" + ncil_.slug + "/panels",
                   {{"name", "Second panel"}, {"panel_size", "12"},
                    {"quotas", "category,feature,min,max\nage,16-34,3,5\nage,35-54,3,5\nage,55+,3,5\n"}});
  ASSERT_EQ(made->result(), HttpStatus::see_other) << made->body();
  const std::string panel = std::string((*made)[http::bhttp::field::location]);
  std::string csv = "id,line1,postcode\n";
  const char* postcodes[] = {"IG11 7DA", "IG11 7DB", "RM9 6EA", "RM9 6EB"};
  for (int i = 1; i <= 1000; ++i) {
    csv += "UPRN" + std::to_string(500000 + i) + "," + std::to_string(i) + " Ripple Road," +
           postcodes[i % 4] + "\n";
  }
  ASSERT_EQ(Upload(officer, panel + "/addresses", "file", "addresses.csv", csv)->result(),
            HttpStatus::see_other);
  ASSERT_EQ(Form(officer, panel + "/seed", {{"seed", "987654321"}})->result(), HttpStatus::see_other);
  ASSERT_EQ(Form(officer, panel + "/invitations", {{"count", "100"}})->result(), HttpStatus::see_other);

  // Anyone: the published draw, and the same draw from the list and the seed.
  Person visitor = Anonymous();
  auto draw = visitor.client->Get("/api" + panel + "/invitation-draw", "application/json");
  ASSERT_EQ(draw->result(), HttpStatus::ok) << draw->body();
  EXPECT_EQ(Body(*draw)["seed"], "987654321");
  EXPECT_EQ(Body(*draw)["list_size"], 1000);
  auto rows = sortition::ParseAddressCsv(csv, "addresses.csv");
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> expected;
  for (int i : sortition::DrawInvitations(1000, 100, 987654321)) expected.push_back((*rows)[i].id);
  EXPECT_EQ(Body(*draw)["address_ids"].get<std::vector<std::string>>(), expected);
  // The seed cannot change afterwards, and the draw is not redone.
  EXPECT_EQ(Form(officer, panel + "/seed", {{"seed", "1"}})->result(), HttpStatus::conflict);
  EXPECT_EQ(Form(officer, panel + "/invitations", {{"count", "100"}})->result(), HttpStatus::conflict);
  EXPECT_EQ(Body(*visitor.client->Get("/api" + panel + "/invitation-draw", "application/json"))["address_ids"]
                .get<std::vector<std::string>>(),
            expected);
}

TEST_F(PanelForumE2eTest, ATallyUnderQuorumDoesNotBind) {
  // Riverside: binding at 60%, quorum 20% of the members.
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  Assembly a = MakeAssembly(officer, 10);
  const int64_t thin = OpenAndVote(officer, a, "Light the river path", 1, 0);  // 10% voted
  auto closed = Post(officer, "/api/motions/" + std::to_string(thin) + "/close", json::object());
  ASSERT_EQ(closed->result(), HttpStatus::ok) << closed->body();
  EXPECT_EQ(Body(*closed)["outcome"], "not_carried");
  EXPECT_FALSE(Body(*closed)["tally"]["quorate"].get<bool>());
  EXPECT_EQ(Body(*closed)["tally"]["for"], 1);
  auto page = officer.client->Get("/motions/" + std::to_string(thin));
  EXPECT_TRUE(Contains(*page, ">Not carried<"));
  // Nothing to answer or deliver: it is not in the programme's decisions.
  auto decisions = officer.client->Get("/api/programmes/" + aap_.slug + "/decisions", "application/json");
  ASSERT_EQ(decisions->result(), HttpStatus::ok) << decisions->body();
  const json listed = Body(*decisions);
  ASSERT_TRUE(listed["decisions"].is_array()) << decisions->body();
  for (const auto& d : listed["decisions"]) EXPECT_NE(d["id"], thin);

  // The same unanimous support from a quorum binds.
  const int64_t quorate = OpenAndVote(officer, a, "Light the park", 2, 0);  // 20% voted
  auto bound = Post(officer, "/api/motions/" + std::to_string(quorate) + "/close", json::object());
  EXPECT_EQ(Body(*bound)["outcome"], "binding");
}

TEST_F(PanelForumE2eTest, AConstitutionChangeDuringAVoteDoesNotChangeItsRule) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  Assembly a = MakeAssembly(officer, 10);
  auto before = Body(*officer.client->Get("/api/programmes/" + aap_.slug + "/constitution",
                                          "application/json"));
  const int version = before["version"];
  const int64_t motion = OpenAndVote(officer, a, "Resurface the river path", 7, 3);  // 70%

  // While the vote is open the partnership raises the binding threshold to 90%.
  clock_.Advance(60);
  json rules = before["rules"];
  rules["binding_threshold_percent"] = 90;
  auto amended = Post(officer, "/api/programmes/" + aap_.slug + "/constitution",
                      {{"text", before["text"]}, {"rules", rules}, {"change_note", "A higher bar"}});
  ASSERT_EQ(amended->result(), HttpStatus::created) << amended->body();
  clock_.Advance(60);

  auto closed = Post(officer, "/api/motions/" + std::to_string(motion) + "/close", json::object());
  ASSERT_EQ(closed->result(), HttpStatus::ok) << closed->body();
  EXPECT_EQ(Body(*closed)["outcome"], "binding");
  EXPECT_EQ(Body(*closed)["constitution_version"], version);
  EXPECT_EQ(Body(*closed)["tally"]["threshold_percent"], 60);
  EXPECT_TRUE(Contains(*officer.client->Get("/motions/" + std::to_string(motion)),
                       "constitution version " + std::to_string(version) + ","));

  // A vote opened after the change is held to the new rule: 70% only recommends.
  const int64_t later = OpenAndVote(officer, a, "Resurface the car park", 7, 3);
  auto second = Post(officer, "/api/motions/" + std::to_string(later) + "/close", json::object());
  EXPECT_EQ(Body(*second)["outcome"], "recommendation");
  EXPECT_EQ(Body(*second)["constitution_version"], version + 1);
}

TEST_F(PanelForumE2eTest, ForumFormsShowFieldErrorsAndTheApiGivesTheSameMessages) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  const std::string forum = std::to_string(DemoForumId());

  // A session without title, date or agenda: the forum page again, with the summary,
  // a message by each field, and what was typed kept.
  auto page = Form(officer, "/forums/" + forum + "/sessions",
                   {{"title", ""}, {"starts_at", "next tuesday"}, {"place", "Town hall"}, {"agenda", ""}});
  ASSERT_EQ(page->result(), HttpStatus::bad_request) << page->body();
  EXPECT_TRUE(Contains(*page, "<title>Error: "));
  EXPECT_TRUE(Contains(*page, "govuk-error-summary"));
  EXPECT_TRUE(Contains(*page, "href=\"#session_title\">Enter the session&apos;s title</a>"));
  EXPECT_TRUE(Contains(*page, "id=\"session_title-error\""));
  EXPECT_TRUE(Contains(*page, "href=\"#agenda\">Enter the agenda</a>"));
  EXPECT_TRUE(Contains(*page, "Enter the date as YYYY-MM-DD"));
  EXPECT_TRUE(Contains(*page, "value=\"Town hall\""));
  EXPECT_TRUE(Contains(*page, "value=\"next tuesday\""));

  auto api = Post(officer, "/api/forums/" + forum + "/sessions", {{"place", "Town hall"}});
  ASSERT_EQ(api->result(), HttpStatus::bad_request);
  auto messages = FieldMessages(*api);
  EXPECT_EQ(messages["title"], "Enter the session's title");
  EXPECT_EQ(messages["agenda"], "Enter the agenda");
  EXPECT_EQ(messages["starts_at"], "Enter the date of the session");

  // Motions, statements, responses and forums themselves, the same way.
  auto motion = Form(officer, "/forums/" + forum + "/motions", {{"title", ""}, {"text", "Fund the lido"}});
  EXPECT_EQ(motion->result(), HttpStatus::bad_request);
  EXPECT_TRUE(Contains(*motion, "href=\"#motion_title\">Enter the motion&apos;s title</a>"));
  EXPECT_TRUE(Contains(*motion, ">Fund the lido</textarea>"));
  EXPECT_EQ(FieldMessages(*Post(officer, "/api/forums/" + forum + "/motions", {{"text", "x"}}))["title"],
            "Enter the motion's title");

  auto statement = Form(officer, "/forums/" + forum + "/statements", {{"text", "no"}});
  EXPECT_EQ(statement->result(), HttpStatus::bad_request);
  EXPECT_TRUE(Contains(*statement, "href=\"#text\">Enter your statement</a>"));
  EXPECT_EQ(FieldMessages(*Post(officer, "/api/forums/" + forum + "/statements", {{"text", "no"}}))["text"],
            "Enter your statement");

  auto created = Form(officer, "/programmes/" + ncil_.slug + "/forums", {{"name", "Youth forum"}, {"binding", "yes"}});
  EXPECT_EQ(created->result(), HttpStatus::bad_request);
  EXPECT_TRUE(Contains(*created, "href=\"#kind\">Choose what kind of forum this is</a>"));
  EXPECT_TRUE(Contains(*created, "href=\"#binding\">"));
  EXPECT_TRUE(Contains(*created, "value=\"Youth forum\""));
  auto created_api = Post(officer, "/api/programmes/" + ncil_.slug + "/forums",
                          {{"name", "Youth forum"}, {"binding", true}});
  auto forum_messages = FieldMessages(*created_api);
  EXPECT_EQ(forum_messages["kind"], "Choose what kind of forum this is");
  EXPECT_NE(forum_messages["binding"].find("does not use binding deliberation"), std::string::npos);

  // The demo recommendation waits for an answer; an answer without reasons comes back.
  auto decisions = Body(*officer.client->Get("/api/programmes/" + ncil_.slug + "/decisions",
                                             "application/json"))["decisions"];
  ASSERT_FALSE(decisions.empty());
  const std::string rec = std::to_string(decisions[0]["id"].get<int64_t>());
  auto response = Form(officer, "/motions/" + rec + "/response", {{"decision", "accept"}, {"reasons", " "}});
  EXPECT_EQ(response->result(), HttpStatus::bad_request);
  EXPECT_TRUE(Contains(*response, "href=\"#reasons\">Enter the reasons</a>"));
  EXPECT_TRUE(Contains(*response, "value=\"accept\" checked"));
  EXPECT_EQ(FieldMessages(*Post(officer, "/api/motions/" + rec + "/response", {{"decision", "accept"}}))["reasons"],
            "Enter the reasons");
  // Not allowed is not a form problem: a resident gets the refusal.
  Person resident = SignIn("resident2@demo.communitise.test", "demo-resident-password");
  EXPECT_EQ(Form(resident, "/forums/" + forum + "/sessions", {{"title", ""}})->result(), HttpStatus::forbidden);
}

TEST_F(PanelForumE2eTest, BidsBeforeAPanelThatDecidesWithinTheFund) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  Person facilitator = SignIn("facilitator@demo.communitise.test", "demo-facilitator-password");
  Person group = SignIn("resident2@demo.communitise.test", "demo-resident-password");
  const int64_t forum = DemoForumId();
  const int64_t now = clock_.NowSeconds();

  // The panel's members, signed in (the demo drew them from its respondents).
  auto members = Body(*officer.client->Get("/api/forums/" + std::to_string(forum), "application/json"))["members"];
  const app::Actor system = app::SystemActor();
  auto respondents = app_->panels().ListRespondents(&system, DemoPanelId());
  ASSERT_TRUE(respondents.ok());
  std::vector<Person> panel;
  for (const auto& m : members) {
    for (const auto& r : *respondents) {
      if (r.display_name != m["name"].get<std::string>()) continue;
      auto view = app_->accounts().GetUser(&system, r.user_id);
      ASSERT_TRUE(view.ok() && view->email);
      panel.push_back(SignIn(*view->email, "demo panel member password"));
    }
    if (panel.size() == 4) break;
  }
  ASSERT_EQ(panel.size(), 4u);

  // The round: £50,000 that the resident panel decides, with no public vote.
  json open = {{"title", "NCIL 2026"}, {"budget_pence", 5000000}, {"proposals_close", now + 86400},
               {"panel_decides", true}};
  auto no_forum = Post(officer, "/api/programmes/" + ncil_.slug + "/pb/rounds", open);
  EXPECT_EQ(no_forum->result(), HttpStatus::bad_request);
  EXPECT_TRUE(FieldMessages(*no_forum).count("screening_forum_id"));
  open["screening_forum_id"] = forum;
  auto other_programme = Post(officer, "/api/programmes/" + aap_.slug + "/pb/rounds", open);
  EXPECT_EQ(FieldMessages(*other_programme)["screening_forum_id"], "Choose a forum of this programme");
  auto opened = Post(officer, "/api/programmes/" + ncil_.slug + "/pb/rounds", open);
  ASSERT_EQ(opened->result(), HttpStatus::created) << opened->body();
  EXPECT_TRUE(Body(*opened)["panel_decides"].get<bool>());
  EXPECT_EQ(Body(*opened)["screening_panel_size"], members.size());
  const std::string round = "/api/pb/rounds/" + std::to_string(Body(*opened)["id"].get<int64_t>());
  auto listed = Body(*officer.client->Get("/api/forums/" + std::to_string(forum) + "/pb-rounds",
                                          "application/json"));
  EXPECT_EQ(listed["rounds"].size(), 1u);

  // Three bids; one from a panel member, who joins the programme to bid.
  auto joined = Post(panel[0], "/api/programmes/" + ncil_.slug + "/join",
                     {{"postcode", "IG11 7DA"}, {"confirm_age", true}});
  ASSERT_EQ(joined->result(), HttpStatus::created) << joined->body();
  auto bid = [&](Person& who, const std::string& title, int64_t pounds) -> int64_t {
    auto res = Post(who, round + "/projects",
                    {{"kind", "bid"}, {"title", title}, {"summary", title + " for Eastbury"},
                     {"cost_pence", pounds * 100}, {"org_name", title + " group"},
                     {"org_number", "1123456"}, {"area", "Eastbury"}});
    EXPECT_EQ(res->result(), HttpStatus::created) << res->body();
    return Body(*res)["id"];
  };
  const int64_t play = bid(group, "Play street", 30000);
  const int64_t hall = bid(panel[0], "Church hall roof", 25000);
  const int64_t garden = bid(group, "Community garden", 10000);
  auto project = [](int64_t id) { return "/api/pb/projects/" + std::to_string(id); };
  ASSERT_EQ(Post(officer, round + "/phase", {{"phase", "screening"}})->result(), HttpStatus::ok);
  for (int64_t id : {play, hall, garden}) {
    ASSERT_EQ(Post(officer, project(id) + "/check", {{"eligible", true}})->result(), HttpStatus::ok);
  }

  // A member with an interest, and the proposer, take no part; the interest is public.
  ASSERT_EQ(Post(panel[1], project(play) + "/conflicts", {{"declaration", "My children's school runs it"}})->result(),
            HttpStatus::created);
  auto conflicted = Post(panel[1], project(play) + "/discussion", {{"text", "It is a fine idea"}});
  EXPECT_EQ(conflicted->result(), HttpStatus::forbidden);
  EXPECT_EQ(Post(panel[0], project(hall) + "/discussion", {{"text", "Mine is best"}})->result(),
            HttpStatus::forbidden);
  EXPECT_EQ(Post(group, project(play) + "/discussion", {{"text", "Please fund us"}})->result(),
            HttpStatus::forbidden);
  ASSERT_EQ(Post(panel[2], project(play) + "/discussion", {{"text", "Who maintains it after a year?"}})->result(),
            HttpStatus::created);
  ASSERT_EQ(Post(facilitator, project(play) + "/discussion", {{"text", "The highways team does."}})->result(),
            HttpStatus::created);
  EXPECT_EQ(FieldMessages(*Post(panel[2], project(play) + "/discussion", {{"text", " "}}))["text"],
            "Enter what you want to say");
  auto discussion = Body(*Anonymous().client->Get(project(play) + "/discussion", "application/json"));
  EXPECT_EQ(discussion["discussion"].size(), 2u);
  EXPECT_EQ(discussion["interests"].size(), 1u);
  EXPECT_EQ(discussion["interests"][0]["declaration"], "My children's school runs it");

  // Decisions: one per bid, with reasons, within the fund.
  json fund = {{"decision", "fund"}, {"reason", "Many children, no safe place to play"}};
  EXPECT_EQ(Post(panel[1], project(play) + "/decision", fund)->result(), HttpStatus::forbidden);
  EXPECT_EQ(Post(panel[0], project(hall) + "/decision", fund)->result(), HttpStatus::forbidden);
  EXPECT_EQ(Post(group, project(garden) + "/decision", fund)->result(), HttpStatus::forbidden);
  EXPECT_EQ(FieldMessages(*Post(panel[2], project(play) + "/decision", {{"decision", "fund"}}))["reason"],
            "Enter the reason for the decision");
  EXPECT_EQ(Post(panel[2], project(play) + "/screening", {{"decision", "accept"}, {"reason", "x"}})->result(),
            HttpStatus::conflict);
  auto funded = Post(panel[2], project(play) + "/decision", fund);
  ASSERT_EQ(funded->result(), HttpStatus::ok) << funded->body();
  EXPECT_EQ(Body(*funded)["status"], "accepted");
  EXPECT_EQ(Body(*funded)["screening_reason"], "Many children, no safe place to play");
  auto over = Post(panel[3], project(hall) + "/decision", {{"decision", "fund"}, {"reason", "Needed"}});
  EXPECT_EQ(over->result(), HttpStatus::conflict);
  EXPECT_NE(over->body().find("£20,000 is left"), std::string::npos) << over->body();
  ASSERT_EQ(Post(panel[3], project(hall) + "/decision",
                 {{"decision", "decline"}, {"reason", "The church can apply to the heritage fund"}})->result(),
            HttpStatus::ok);
  EXPECT_EQ(Post(panel[3], project(hall) + "/decision", fund)->result(), HttpStatus::conflict);

  // No public vote: screening goes straight to results, once every bid is decided.
  EXPECT_EQ(Post(officer, round + "/phase", {{"phase", "results"}})->result(), HttpStatus::conflict);
  ASSERT_EQ(Post(panel[2], project(garden) + "/decision",
                 {{"decision", "fund"}, {"reason", "Cheap and loved"}})->result(), HttpStatus::ok);
  EXPECT_EQ(Post(officer, round + "/phase", {{"phase", "voting"}})->result(), HttpStatus::conflict);
  auto published = Post(officer, round + "/phase", {{"phase", "results"}});
  ASSERT_EQ(published->result(), HttpStatus::ok) << published->body();
  auto results = Body(*officer.client->Get(round + "/results", "application/json"));
  EXPECT_EQ(results["rule"], "panel");
  EXPECT_EQ(results["spent_pence"], 4000000);
  std::set<int64_t> funded_ids;
  for (const auto& p : results["projects"]) {
    if (p["funded"].get<bool>()) funded_ids.insert(p["project_id"].get<int64_t>());
  }
  EXPECT_EQ(funded_ids, (std::set<int64_t>{play, garden}));

  // Funded bids are awards, with the usual delivery record.
  auto awards = Body(*officer.client->Get(round + "/awards", "application/json"))["awards"];
  ASSERT_EQ(awards.size(), 2u);
  const std::string award = "/api/pb/awards/" + std::to_string(awards[0]["id"].get<int64_t>());
  EXPECT_EQ(Post(officer, award + "/updates", {{"kind", "spend"}, {"text", "First payment"},
                                               {"amount_pence", 1000000}})->result(),
            HttpStatus::created);

  // The pages show the panel's decisions and reasons; the results have no ballots.
  const std::string round_page = "/pb/rounds/" + std::to_string(Body(*opened)["id"].get<int64_t>());
  auto page = Anonymous().client->Get(round_page + "/results");
  ASSERT_EQ(page->result(), HttpStatus::ok);
  EXPECT_TRUE(Contains(*page, ": 2 funded, using £40,000 of the £50,000 fund"));
  EXPECT_TRUE(Contains(*page, "Cheap and loved"));
  EXPECT_FALSE(Contains(*page, "ballots.pb"));
  auto bid_page = Anonymous().client->Get("/pb/projects/" + std::to_string(play));
  EXPECT_TRUE(Contains(*bid_page, "Who maintains it after a year?"));
  EXPECT_TRUE(Contains(*bid_page, "My children&apos;s school runs it"));

  // Every step is on the public record.
  auto history = Body(*officer.client->Get("/api/programmes/" + ncil_.slug + "/history?limit=500", "application/json"));
  std::multiset<std::string> actions;
  for (const auto& h : history["entries"]) actions.insert(h["action"].get<std::string>());
  for (const char* a : {"pb.round.screening_forum", "pb.project.discuss", "pb.project.fund",
                        "pb.project.decline", "pb.results.publish", "pb.award.spend"}) {
    EXPECT_TRUE(actions.count(a)) << a;
  }
  EXPECT_EQ(actions.count("pb.project.fund"), 2u);
}

TEST_F(PanelForumE2eTest, ThePanelsBidFormsWorkWithoutJavaScript) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  const int64_t forum = DemoForumId();
  // The officer opens a panel-decided round from the page.
  auto opened = Form(officer, "/programmes/" + ncil_.slug + "/pb",
                     {{"title", "Small grants"}, {"budget", "5000"}, {"proposals_close", "2025-12-31"},
                      {"voting_opens", ""}, {"voting_closes", ""}, {"screeners", ""},
                      {"screening_forum_id", std::to_string(forum)}, {"panel_decides", "yes"},
                      {"approval_min", "1"}, {"points", "10"}});
  ASSERT_EQ(opened->result(), HttpStatus::see_other) << opened->body();
  const std::string round = std::string((*opened)[http::bhttp::field::location]);
  auto page = officer.client->Get(round.substr(0, round.find('?')));
  EXPECT_TRUE(Contains(*page, "Funded by the panel so far"));
  EXPECT_FALSE(Contains(*page, "First day of voting"));
}

}  // namespace
}  // namespace communitise
