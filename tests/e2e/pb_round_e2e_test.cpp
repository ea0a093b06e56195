// Participatory budgeting over HTTP: every phase rule of a round, screening and ballot
// rules, secret ballots with receipts, paper batches, and the published outcome
// recomputed from the exported pabulib file. The real server on a temporary SQLite
// database, driven through the JSON API and pages.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <thread>

#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/http/client.h"
#include "communitise/http/server.h"
#include "communitise/pb/election.h"
#include "communitise/pb/rules.h"
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

class PbRoundE2eTest : public DemoServerTest {
 protected:
  struct Person {
    std::unique_ptr<TestClient> client;
    std::string csrf;
    std::string email;
  };

  Person SignIn(const std::string& email, const std::string& password) {
    Person p{std::make_unique<TestClient>("127.0.0.1", server_->port()), "", email};
    auto session = p.client->Get("/api/session", "application/json");
    auto res = p.client->SendJson(Method::post, "/api/session",
                                  json{{"email", email}, {"password", password}}.dump(),
                                  Body(*session)["csrf_token"]);
    EXPECT_EQ(res->result(), HttpStatus::created) << res->body();
    p.csrf = Body(*res)["csrf_token"];
    return p;
  }

  // A new account that joins the demo partnership by postcode.
  Person Resident(const std::string& email) {
    Person p{std::make_unique<TestClient>("127.0.0.1", server_->port()), "", email};
    auto session = p.client->Get("/api/session", "application/json");
    auto made = p.client->SendJson(Method::post, "/api/users",
                                   json{{"email", email}, {"password", "a long password"},
                                        {"name", email.substr(0, email.find('@'))}}.dump(),
                                   Body(*session)["csrf_token"]);
    EXPECT_EQ(made->result(), HttpStatus::created) << made->body();
    p.csrf = Body(*made)["csrf_token"];
    auto joined = Post(p, "/api/programmes/" + Aap() + "/join",
                       {{"postcode", "DH2 1AA"}, {"confirm_age", true}});
    EXPECT_EQ(joined->result(), HttpStatus::created) << joined->body();
    return p;
  }

  Result<http::Response> Post(Person& p, const std::string& target, const json& body) {
    return p.client->SendJson(Method::post, target, body.dump(), p.csrf);
  }

  std::string Aap() const { return demo_.programme_slugs.at(0); }

};

TEST_F(PbRoundE2eTest, EveryPhaseRuleHoldsAndTheExportRecomputesTheOutcome) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  Person admin = SignIn("admin@demo.communitise.test", "demo-admin-password");
  Person ann = Resident("ann@example.org");
  Person bob = Resident("bob@example.org");
  Person cat = Resident("cat@example.org");
  Person dan = Resident("dan@example.org");
  const int64_t now = clock_.NowSeconds();

  // Residents cannot open rounds; officers can.
  json open = {{"title", "Test fund"}, {"budget_pence", 2000000},
               {"proposals_close", now + 86400}, {"voting_opens", now + 2 * 86400},
               {"voting_closes", now + 9 * 86400},
               {"screeners", {"ann@example.org", "cat@example.org"}},
               {"approval_min", 1}, {"approval_max", 2}};
  auto refused = Post(ann, "/api/programmes/" + Aap() + "/pb/rounds", open);
  EXPECT_EQ(refused->result(), HttpStatus::forbidden);
  auto opened = Post(officer, "/api/programmes/" + Aap() + "/pb/rounds", open);
  ASSERT_EQ(opened->result(), HttpStatus::created) << opened->body();
  const std::string round = "/api/pb/rounds/" + std::to_string(Body(*opened)["id"].get<int64_t>());
  EXPECT_EQ(Body(*opened)["phase"], "proposals");
  EXPECT_EQ(Body(*opened)["ballot_type"], "approval");

  // No vote outside the voting phase.
  auto early = Post(bob, round + "/ballot", {{"choices", json::array()}});
  EXPECT_EQ(early->result(), HttpStatus::conflict) << early->body();

  // A resident proposes; a group bids (with a checked organisation number).
  auto bad_bid = Post(bob, round + "/projects",
                      {{"kind", "bid"}, {"title", "Garden"}, {"summary", "Beds"},
                       {"cost_pence", 500000}, {"org_name", "Growers"}, {"org_number", "x"}});
  EXPECT_EQ(bad_bid->result(), HttpStatus::bad_request);
  EXPECT_NE(bad_bid->body().find("org_number"), std::string::npos);
  auto p1 = Post(ann, round + "/projects",
                 {{"title", "Bench by the river"}, {"summary", "Three benches"},
                  {"cost_pence", 600000}});
  ASSERT_EQ(p1->result(), HttpStatus::created) << p1->body();
  auto p2 = Post(bob, round + "/projects",
                 {{"kind", "bid"}, {"title", "Community garden"}, {"summary", "Raised beds"},
                  {"cost_pence", 900000}, {"org_name", "Riverside Growers"},
                  {"org_number", "1123456"}});
  ASSERT_EQ(p2->result(), HttpStatus::created) << p2->body();
  auto p3 = Post(dan, round + "/projects",
                 {{"title", "Mural"}, {"summary", "A mural"}, {"cost_pence", 800000}});
  ASSERT_EQ(p3->result(), HttpStatus::created);
  const std::string proj1 = "/api/pb/projects/" + std::to_string(Body(*p1)["id"].get<int64_t>());
  const std::string proj2 = "/api/pb/projects/" + std::to_string(Body(*p2)["id"].get<int64_t>());
  const std::string proj3 = "/api/pb/projects/" + std::to_string(Body(*p3)["id"].get<int64_t>());
  const int64_t id1 = Body(*p1)["id"], id2 = Body(*p2)["id"], id3 = Body(*p3)["id"];

  // Phases move one step at a time, by officers only.
  EXPECT_EQ(Post(ann, round + "/phase", {{"phase", "screening"}})->result(), HttpStatus::forbidden);
  EXPECT_EQ(Post(officer, round + "/phase", {{"phase", "voting"}})->result(), HttpStatus::conflict);
  ASSERT_EQ(Post(officer, round + "/phase", {{"phase", "screening"}})->result(), HttpStatus::ok);
  auto late = Post(cat, round + "/projects",
                   {{"title", "Late"}, {"summary", "Too late"}, {"cost_pence", 1000}});
  EXPECT_EQ(late->result(), HttpStatus::conflict);

  // The panel decides only after an officer's check.
  auto unchecked = Post(cat, proj2 + "/screening", {{"decision", "accept"}, {"reason", "Good"}});
  EXPECT_EQ(unchecked->result(), HttpStatus::conflict);
  EXPECT_EQ(Post(ann, proj1 + "/check", {{"eligible", true}})->result(), HttpStatus::forbidden);
  auto no_reason = Post(officer, proj2 + "/check", {{"eligible", true}, {"cost_pence", 850000}});
  EXPECT_EQ(no_reason->result(), HttpStatus::bad_request);
  auto checked = Post(officer, proj2 + "/check",
                      {{"eligible", true}, {"cost_pence", 850000}, {"cost_reason", "Lower quote"}});
  ASSERT_EQ(checked->result(), HttpStatus::ok) << checked->body();
  EXPECT_EQ(Body(*checked)["cost_pence"], 850000);
  EXPECT_EQ(Body(*checked)["requested_pence"], 900000);
  ASSERT_EQ(Post(officer, proj1 + "/check", {{"eligible", true}})->result(), HttpStatus::ok);
  ASSERT_EQ(Post(officer, proj3 + "/check", {{"eligible", true}})->result(), HttpStatus::ok);

  // No screening of one's own project; none after declaring a conflict; none by
  // people outside the panel.
  auto own = Post(ann, proj1 + "/screening", {{"decision", "accept"}, {"reason", "Mine"}});
  EXPECT_EQ(own->result(), HttpStatus::forbidden);
  EXPECT_NE(own->body().find("you proposed"), std::string::npos);
  ASSERT_EQ(Post(ann, proj2 + "/conflicts", {{"declaration", "I sit on its committee"}})->result(),
            HttpStatus::created);
  auto conflicted = Post(ann, proj2 + "/screening", {{"decision", "accept"}, {"reason", "Good"}});
  EXPECT_EQ(conflicted->result(), HttpStatus::forbidden);
  EXPECT_NE(conflicted->body().find("conflict of interest"), std::string::npos);
  EXPECT_EQ(Post(dan, proj2 + "/screening", {{"decision", "accept"}, {"reason", "x"}})->result(),
            HttpStatus::forbidden);
  auto no_why = Post(cat, proj2 + "/screening", {{"decision", "accept"}, {"reason", ""}});
  EXPECT_EQ(no_why->result(), HttpStatus::bad_request);
  for (const auto& p : {proj1, proj2, proj3}) {
    auto s = Post(cat, p + "/screening", {{"decision", "accept"}, {"reason", "Meets the criteria"}});
    ASSERT_EQ(s->result(), HttpStatus::ok) << s->body();
  }
  auto public_view = dan.client->Get(proj2, "application/json");
  EXPECT_EQ(Body(*public_view)["screening_reason"], "Meets the criteria");

  ASSERT_EQ(Post(officer, round + "/phase", {{"phase", "voting"}})->result(), HttpStatus::ok);
  EXPECT_EQ(Post(officer, round + "/phase", {{"phase", "proposals"}})->result(), HttpStatus::conflict);

  // Ballots invalid for the constitution are refused with the reason.
  auto too_many = Post(bob, round + "/ballot", {{"choices", {id1, id2, id3}}});
  EXPECT_EQ(too_many->result(), HttpStatus::bad_request);
  EXPECT_NE(too_many->body().find("at most 2"), std::string::npos) << too_many->body();
  auto empty = Post(bob, round + "/ballot", {{"choices", json::array()}});
  EXPECT_EQ(empty->result(), HttpStatus::bad_request);
  auto unknown = Post(bob, round + "/ballot", {{"choices", {id1, 999999}}});
  EXPECT_EQ(unknown->result(), HttpStatus::bad_request);
  auto twice = Post(bob, round + "/ballot", {{"choices", {id1, id1}}});
  EXPECT_EQ(twice->result(), HttpStatus::bad_request);

  // One ballot per member; changeable with replace; receipts follow the latest ballot.
  auto first = Post(bob, round + "/ballot", {{"choices", {id1}}});
  ASSERT_EQ(first->result(), HttpStatus::created) << first->body();
  const std::string old_receipt = Body(*first)["receipt"];
  auto again = Post(bob, round + "/ballot", {{"choices", {id2}}});
  EXPECT_EQ(again->result(), HttpStatus::conflict);
  auto changed = Post(bob, round + "/ballot", {{"choices", {id2, id3}}, {"replace", true}});
  ASSERT_EQ(changed->result(), HttpStatus::ok) << changed->body();
  EXPECT_TRUE(Body(*changed)["replaced"].get<bool>());
  const std::string receipt = Body(*changed)["receipt"];
  EXPECT_EQ(dan.client->Get("/api/pb/receipts/" + old_receipt, "application/json")->result(),
            HttpStatus::not_found);
  auto check = dan.client->Get("/api/pb/receipts/" + receipt, "application/json");
  ASSERT_EQ(check->result(), HttpStatus::ok);
  EXPECT_TRUE(Body(*check)["counted"].get<bool>());
  ASSERT_EQ(Post(ann, round + "/ballot", {{"choices", {id1, id3}}})->result(), HttpStatus::created);
  ASSERT_EQ(Post(cat, round + "/ballot", {{"choices", {id3}}})->result(), HttpStatus::created);
  ASSERT_EQ(Post(dan, round + "/ballot", {{"choices", {id1, id3}}})->result(), HttpStatus::created);
  // The ballot box's monitoring counts them: five recorded (one of them a change), and
  // the ballots above that broke the rules or came twice refused.
  const std::string metrics = dan.client->Get("/metrics")->body();
  EXPECT_NE(metrics.find("communitise_ballots_total{outcome=\"recorded\"} 5\n"), std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("communitise_ballots_total{outcome=\"refused\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("communitise_ballots_total{outcome=\"failed\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("communitise_ballot_transaction_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(metrics.find("communitise_ballot_flush_seconds_count"), std::string::npos);

  // The ballot table never holds a voter's id.
  int64_t ballots_with_user = -1;
  ASSERT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                   ASSIGN_OR_RETURN(auto cols, tx.Query("SELECT name FROM pragma_table_info('pb_ballots')"));
                   ballots_with_user = 0;
                   for (const auto& c : cols) ballots_with_user += c.Text(0).find("user") != std::string::npos;
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(ballots_with_user, 0);

  // Non-members cannot vote.
  Person outsider{std::make_unique<TestClient>("127.0.0.1", server_->port()), "", ""};
  {
    auto s = outsider.client->Get("/api/session", "application/json");
    auto made = outsider.client->SendJson(Method::post, "/api/users",
                                          json{{"email", "out@example.org"},
                                               {"password", "a long password"},
                                               {"name", "Out"}}.dump(),
                                          Body(*s)["csrf_token"]);
    outsider.csrf = Body(*made)["csrf_token"];
  }
  EXPECT_EQ(Post(outsider, round + "/ballot", {{"choices", {id1}}})->result(), HttpStatus::forbidden);

  // Paper ballots count only once a second officer confirms them.
  auto batch = Post(officer, round + "/paper-batches",
                    {{"label", "Library box"}, {"ballots", {std::to_string(id2), std::to_string(id2) + "," + std::to_string(id1)}}});
  ASSERT_EQ(batch->result(), HttpStatus::created) << batch->body();
  const std::string confirm = "/api/pb/paper-batches/" + std::to_string(Body(*batch)["id"].get<int64_t>()) + "/confirm";
  EXPECT_EQ(Post(officer, round + "/phase", {{"phase", "results"}})->result(), HttpStatus::conflict);
  EXPECT_EQ(Post(officer, confirm, json::object())->result(), HttpStatus::forbidden);
  ASSERT_EQ(Post(admin, confirm, json::object())->result(), HttpStatus::ok);

  // Close: the engine decides; no vote afterwards.
  EXPECT_EQ(dan.client->Get(round + "/results", "application/json")->result(), HttpStatus::conflict);
  auto closed = Post(officer, round + "/phase", {{"phase", "results"}});
  ASSERT_EQ(closed->result(), HttpStatus::ok) << closed->body();
  EXPECT_EQ(Post(cat, round + "/ballot", {{"choices", {id1}}, {"replace", true}})->result(),
            HttpStatus::conflict);
  auto results = dan.client->Get(round + "/results", "application/json");
  ASSERT_EQ(results->result(), HttpStatus::ok);
  json r = Body(*results);
  EXPECT_EQ(r["ballots"], 6);
  std::vector<std::string> funded;
  for (const auto& p : r["projects"]) {
    if (p["funded"].get<bool>()) funded.push_back(std::to_string(p["project_id"].get<int64_t>()));
    EXPECT_FALSE(p["story"].get<std::string>().empty());
  }
  std::sort(funded.begin(), funded.end());
  EXPECT_FALSE(funded.empty());

  // The anonymised pabulib file recomputes to the published outcome.
  const std::string round_page = "/pb/rounds/" + std::to_string(Body(*opened)["id"].get<int64_t>());
  auto file = dan.client->Get(round_page + "/ballots.pb", "text/csv");
  ASSERT_EQ(file->result(), HttpStatus::ok);
  EXPECT_EQ(file->body().find("bob@"), std::string::npos);
  auto election = pb::ParsePabulib(file->body(), "export.pb");
  ASSERT_TRUE(election.ok()) << election.error().ToString();
  EXPECT_EQ(election->voters.size(), 6u);
  EXPECT_EQ(election->Meta("rule"), "equalshares");
  auto outcome = pb::EqualShares(*election, pb::Utility::kCost, pb::Completion::kAdd1);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(pb::SortedSelectedIds(*election, *outcome), funded);
  EXPECT_EQ(outcome->rule, r["rule"]);

  // Awards in the 360Giving standard.
  auto grants = dan.client->Get(round_page + "/awards-360giving.json", "application/json");
  ASSERT_EQ(grants->result(), HttpStatus::ok);
  json g = Body(*grants);
  ASSERT_EQ(g["grants"].size(), funded.size());
  for (const char* field : {"id", "title", "description", "currency", "amountAwarded", "awardDate",
                            "recipientOrganization", "fundingOrganization", "lastModified"}) {
    EXPECT_TRUE(g["grants"][0].contains(field)) << field;
  }
  auto csv = dan.client->Get(round_page + "/awards-360giving.csv", "text/csv");
  EXPECT_EQ(csv->body().rfind("Identifier,Title,Description,Currency,Amount Awarded,Award Date,"
                              "Recipient Org:Identifier,Recipient Org:Name,Funding Org:Identifier,"
                              "Funding Org:Name,Last Modified\r\n", 0), 0u);

  // Delivery: the proposer reports spend; the public sees it.
  auto awards = dan.client->Get(round + "/awards", "application/json");
  ASSERT_FALSE(Body(*awards)["awards"].empty());
  const json award = Body(*awards)["awards"][0];
  const std::string updates = "/api/pb/awards/" + std::to_string(award["id"].get<int64_t>()) + "/updates";
  EXPECT_EQ(Post(outsider, updates, {{"kind", "milestone"}, {"text", "x"}})->result(),
            HttpStatus::forbidden);
  auto spend = Post(officer, updates, {{"kind", "spend"}, {"text", "First invoice"}, {"amount_pence", 100000},
                                       {"evidence", "Invoice 17"}});
  ASSERT_EQ(spend->result(), HttpStatus::created) << spend->body();
  EXPECT_EQ(Body(*spend)["spent_pence"], 100000);
  auto page = dan.client->Get("/pb/awards/" + std::to_string(award["id"].get<int64_t>()));
  EXPECT_NE(page->body().find("First invoice"), std::string::npos);
}

TEST_F(PbRoundE2eTest, BallotPageWorksWithoutJavaScriptAndExplainsBrokenLimits) {
  // The demo round is published; open a fresh one on the same programme.
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  Person eve = Resident("eve@example.org");
  Person fay = Resident("fay@example.org");
  const int64_t now = clock_.NowSeconds();
  auto opened = Post(officer, "/api/programmes/" + Aap() + "/pb/rounds",
                     {{"title", "Form fund"}, {"budget_pence", 1000000},
                      {"proposals_close", now + 86400}, {"voting_opens", now + 86400},
                      {"voting_closes", now + 5 * 86400}, {"screeners", {"fay@example.org"}},
                      {"approval_max", 1}});
  ASSERT_EQ(opened->result(), HttpStatus::created) << opened->body();
  const int64_t round_id = Body(*opened)["id"];
  const std::string api = "/api/pb/rounds/" + std::to_string(round_id);
  std::vector<int64_t> ids;
  for (const char* title : {"Planters", "Bike rack"}) {
    auto p = Post(eve, api + "/projects", {{"title", title}, {"summary", "s"}, {"cost_pence", 300000}});
    ids.push_back(Body(*p)["id"]);
  }
  ASSERT_EQ(Post(officer, api + "/phase", {{"phase", "screening"}})->result(), HttpStatus::ok);
  for (int64_t id : ids) {
    const std::string p = "/api/pb/projects/" + std::to_string(id);
    ASSERT_EQ(Post(officer, p + "/check", {{"eligible", true}})->result(), HttpStatus::ok);
    ASSERT_EQ(Post(fay, p + "/screening", {{"decision", "accept"}, {"reason", "ok"}})->result(), HttpStatus::ok);
  }
  ASSERT_EQ(Post(officer, api + "/phase", {{"phase", "voting"}})->result(), HttpStatus::ok);

  const std::string ballot = "/pb/rounds/" + std::to_string(round_id) + "/ballot";
  auto page = eve.client->Get(ballot);
  ASSERT_EQ(page->result(), HttpStatus::ok);
  EXPECT_NE(page->body().find("Update total"), std::string::npos);
  // "Update total" recomputes the running total on the server and casts nothing.
  auto total = eve.client->PostForm(ballot, {{"csrf_token", eve.csrf}, {"choice", std::to_string(ids[0])},
                                             {"action", "update"}});
  ASSERT_EQ(total->result(), HttpStatus::ok);
  EXPECT_NE(total->body().find("£3,000</strong> of the £10,000 budget"), std::string::npos);
  // Breaking the limit: told why, nothing stored.
  auto broken = eve.client->PostForm(ballot, {{"csrf_token", eve.csrf}, {"choice", std::to_string(ids[0])},
                                              {"choice", std::to_string(ids[1])}, {"action", "cast"}});
  EXPECT_EQ(broken->result(), HttpStatus::bad_request);
  EXPECT_NE(broken->body().find("Choose at most 1 project"), std::string::npos);
  EXPECT_NE(broken->body().find("govuk-error-summary"), std::string::npos);
  auto cast = eve.client->PostForm(ballot, {{"csrf_token", eve.csrf}, {"choice", std::to_string(ids[1])},
                                            {"action", "cast"}});
  ASSERT_EQ(cast->result(), HttpStatus::ok);
  EXPECT_NE(cast->body().find("receipt-code"), std::string::npos);
}

TEST_F(PbRoundE2eTest, ABallotFromASessionNotInMemoryIsCheckedAsAnyOther) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  Person ivy = Resident("ivy@example.org");
  Person proposer = Resident("hal@example.org");
  const int64_t now = clock_.NowSeconds();
  auto opened = Post(officer, "/api/programmes/" + Aap() + "/pb/rounds",
                     {{"title", "Session fund"}, {"budget_pence", 1000000},
                      {"proposals_close", now + 86400}, {"voting_opens", now + 86400},
                      {"voting_closes", now + 5 * 86400}, {"screeners", {"ivy@example.org"}}});
  ASSERT_EQ(opened->result(), HttpStatus::created) << opened->body();
  const std::string api = "/api/pb/rounds/" + std::to_string(Body(*opened)["id"].get<int64_t>());
  auto made = Post(proposer, api + "/projects", {{"title", "Planters"}, {"summary", "s"}, {"cost_pence", 300000}});
  const int64_t id = Body(*made)["id"];
  ASSERT_EQ(Post(officer, api + "/phase", {{"phase", "screening"}})->result(), HttpStatus::ok);
  const std::string project = "/api/pb/projects/" + std::to_string(id);
  ASSERT_EQ(Post(officer, project + "/check", {{"eligible", true}})->result(), HttpStatus::ok);
  ASSERT_EQ(Post(ivy, project + "/screening", {{"decision", "accept"}, {"reason", "ok"}})->result(), HttpStatus::ok);
  ASSERT_EQ(Post(officer, api + "/phase", {{"phase", "voting"}})->result(), HttpStatus::ok);

  // A session this server has never read (signed in through another server).
  app::App other(*db_, clock_);
  auto session = other.accounts().SignIn("", {"hal@example.org", "a long password"}, "test");
  ASSERT_TRUE(session.ok()) << session.error().ToString();
  Person hal{std::make_unique<TestClient>("127.0.0.1", server_->port()), session->session.csrf_token,
             "hal@example.org"};
  hal.client->cookies()["communitise_session"] = session->token;
  Person wrong{std::make_unique<TestClient>("127.0.0.1", server_->port()), "wrong", ""};
  wrong.client->cookies()["communitise_session"] = session->token;
  auto refused = Post(wrong, api + "/ballot", {{"choices", {id}}});
  EXPECT_EQ(refused->result(), HttpStatus::forbidden) << refused->body();
  Person gone{std::make_unique<TestClient>("127.0.0.1", server_->port()), "anything", ""};
  gone.client->cookies()["communitise_session"] = std::string(64, 'b');
  auto unknown = Post(gone, api + "/ballot", {{"choices", {id}}});
  EXPECT_EQ(unknown->result(), HttpStatus::forbidden) << unknown->body();
  bool forgotten = false;  // the unknown session's cookie is deleted
  for (const auto& field : *unknown) {
    if (field.name() == http::bhttp::field::set_cookie &&
        field.value().starts_with("communitise_session=;")) {
      forgotten = true;
    }
  }
  EXPECT_TRUE(forgotten);
  auto cast = Post(hal, api + "/ballot", {{"choices", {id}}});
  ASSERT_EQ(cast->result(), HttpStatus::created) << cast->body();
  EXPECT_TRUE(Body(*cast).contains("receipt"));
  auto again = Post(hal, api + "/ballot", {{"choices", {id}}});
  EXPECT_EQ(again->result(), HttpStatus::conflict) << again->body();
  auto broken = hal.client->SendJson(Method::post, api + "/ballot", "{not json", hal.csrf);
  EXPECT_EQ(broken->result(), HttpStatus::bad_request) << broken->body();
  auto round = ivy.client->Get(api, "application/json");
  EXPECT_EQ(Body(*round)["ballots"], 1);
}

TEST_F(PbRoundE2eTest, ASplitFundsPartsRecomputeFromTheirOwnFiles) {
  Person officer = SignIn("officer@demo.communitise.test", "demo-officer-password");
  Person gil = Resident("gil@example.org");  // the screening panel
  std::vector<Person> voters;
  for (int i = 0; i < 8; ++i) voters.push_back(Resident("split" + std::to_string(i) + "@example.org"));
  const int64_t now = clock_.NowSeconds();
  // Two themes, and £2,000 over for projects in neither.
  auto opened = Post(officer, "/api/programmes/" + Aap() + "/pb/rounds",
                     {{"title", "Split fund"}, {"budget_pence", 1200000},
                      {"proposals_close", now + 86400}, {"voting_opens", now + 86400},
                      {"voting_closes", now + 5 * 86400}, {"screeners", {"gil@example.org"}},
                      {"approval_max", 3},
                      {"splits", {{{"kind", "theme"}, {"name", "Youth"}, {"amount_pence", 600000}},
                                  {{"kind", "theme"}, {"name", "Green"}, {"amount_pence", 400000}}}}});
  ASSERT_EQ(opened->result(), HttpStatus::created) << opened->body();
  const int64_t round_id = Body(*opened)["id"];
  const std::string api = "/api/pb/rounds/" + std::to_string(round_id);
  auto nowhere = Post(voters[0], api + "/projects",
                      {{"title", "Bus"}, {"summary", "s"}, {"cost_pence", 700000}, {"theme", "Roads"}});
  EXPECT_EQ(nowhere->result(), HttpStatus::bad_request);  // over the £2,000 left for the rest
  EXPECT_NE(nowhere->body().find("cost_pence"), std::string::npos);
  struct P { const char* title; int64_t cost; const char* theme; };
  std::vector<int64_t> ids;
  for (P p : {P{"Youth club", 350000, "Youth"}, P{"Skate park", 300000, "youth"},
              P{"Football kit", 100000, "Youth"}, P{"Tree planting", 250000, "Green"},
              P{"Pond", 200000, "Green"}, P{"Notice board", 150000, ""}}) {
    auto made = Post(voters[0], api + "/projects", {{"title", p.title}, {"summary", "s"},
                                                    {"cost_pence", p.cost}, {"theme", p.theme}});
    ASSERT_EQ(made->result(), HttpStatus::created) << made->body();
    ids.push_back(Body(*made)["id"]);
  }
  ASSERT_EQ(Post(officer, api + "/phase", {{"phase", "screening"}})->result(), HttpStatus::ok);
  for (int64_t id : ids) {
    const std::string p = "/api/pb/projects/" + std::to_string(id);
    ASSERT_EQ(Post(officer, p + "/check", {{"eligible", true}})->result(), HttpStatus::ok);
    ASSERT_EQ(Post(gil, p + "/screening", {{"decision", "accept"}, {"reason", "ok"}})->result(),
              HttpStatus::ok);
  }
  ASSERT_EQ(Post(officer, api + "/phase", {{"phase", "voting"}})->result(), HttpStatus::ok);
  const std::vector<std::vector<int64_t>> ballots = {
      {ids[0], ids[1], ids[3]}, {ids[0], ids[2], ids[4]}, {ids[1], ids[3]}, {ids[0], ids[5]},
      {ids[2], ids[4], ids[5]}, {ids[0], ids[1]},         {ids[3], ids[4]}, {ids[1], ids[2], ids[3]}};
  for (size_t i = 0; i < ballots.size(); ++i) {
    auto cast = Post(voters[i], api + "/ballot", {{"choices", ballots[i]}});
    ASSERT_EQ(cast->result(), HttpStatus::created) << cast->body();
  }
  ASSERT_EQ(Post(officer, api + "/phase", {{"phase", "results"}})->result(), HttpStatus::ok);
  auto results = gil.client->Get(api + "/results", "application/json");
  ASSERT_EQ(results->result(), HttpStatus::ok);
  const json r = Body(*results);
  ASSERT_EQ(r["parts"].size(), 3u);
  EXPECT_EQ(r["parts"][2]["name"], "Rest of the fund");
  EXPECT_EQ(r["parts"][2]["budget_pence"], 200000);
  const std::string page = "/pb/rounds/" + std::to_string(round_id);
  // The round as one file would not reproduce a split outcome; each part's file does.
  EXPECT_EQ(gil.client->Get(page + "/ballots.pb", "text/csv")->result(), HttpStatus::conflict);
  for (int part = 1; part <= 3; ++part) {
    auto file = gil.client->Get(page + "/parts/" + std::to_string(part) + "/ballots.pb", "text/csv");
    ASSERT_EQ(file->result(), HttpStatus::ok) << part;
    auto election = pb::ParsePabulib(file->body(), "part.pb");
    ASSERT_TRUE(election.ok()) << election.error().ToString();
    EXPECT_EQ(election->Meta("rule"), "equalshares");
    auto outcome = pb::EqualShares(*election, pb::Utility::kCost, pb::Completion::kAdd1);
    ASSERT_TRUE(outcome.ok());
    std::vector<std::string> funded;
    for (const auto& p : r["projects"]) {
      if (p["part"] == part && p["funded"].get<bool>()) {
        funded.push_back(std::to_string(p["project_id"].get<int64_t>()));
      }
    }
    std::sort(funded.begin(), funded.end());
    EXPECT_EQ(pb::SortedSelectedIds(*election, *outcome), funded) << "part " << part;
  }
  EXPECT_EQ(gil.client->Get(page + "/parts/4/ballots.pb", "text/csv")->result(), HttpStatus::not_found);
  auto shown = gil.client->Get(page + "/results");
  ASSERT_EQ(shown->result(), HttpStatus::ok);
  EXPECT_NE(shown->body().find("Parts of the fund"), std::string::npos);
  EXPECT_NE(shown->body().find("/parts/2/ballots.pb"), std::string::npos);
}

}  // namespace
}  // namespace communitise
