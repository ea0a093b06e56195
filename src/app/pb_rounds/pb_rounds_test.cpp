// Participatory-budgeting use cases on SQLite and PostgreSQL: the group-commit ballot
// writer, who may open a round, ballot limits from the constitution, and a fund split
// by area decided part by part.
#include "communitise/app/pb_rounds.h"

#include <algorithm>
#include <future>
#include <regex>
#include <set>

#include "../app_test_support.h"
#include "../common/util.h"
#include "communitise/app/constitutions.h"
#include "communitise/app/memberships.h"
#include "communitise/pb/election.h"
#include "communitise/pb/rules.h"
#include "communitise/storage/audit.h"

namespace communitise::app {
namespace {

using testing::AppTest;

class PbRoundsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped()) return;
    body_ = MakeCouncil();
    officer_ = MakeUser("officer@example.org", {Role::kOfficer}, body_);
    programme_ = MakeGeographicProgramme(officer_, body_);
    screener_ = Member("screener@example.org");
  }

  Actor Member(const std::string& email, const std::string& postcode = "DH1 1AA") {
    Actor a = MakeUser(email);
    auto joined = app().memberships().Join(&a, programme_.id, {postcode, true, ""});
    EXPECT_TRUE(joined.ok()) << joined.error().ToString();
    return a;
  }

  Status Amend(const std::function<void(ConstitutionRules&)>& change) {
    auto c = app().constitutions().Current(programme_.id);
    if (!c.ok()) return c.error();
    AmendConstitutionForm form{c->text, c->rules, "Test change", std::nullopt};
    change(form.rules);
    return app().constitutions().Amend(&officer_, programme_.id, form).status();
  }

  OpenRoundForm Form() const {
    const int64_t now = clock_.NowSeconds();
    OpenRoundForm f;
    f.title = "Parks fund";
    f.budget_pence = 1000000;
    f.proposals_close = now + 86400;
    f.voting_opens = now + 86400;
    f.voting_closes = now + 10 * 86400;
    f.screeners = {"screener@example.org"};
    return f;
  }

  // Submits the projects (as the officer), accepts them all and opens voting.
  std::vector<int64_t> ToVoting(int64_t round, const std::vector<ProjectForm>& projects) {
    std::vector<int64_t> ids;
    for (const auto& p : projects) {
      auto made = app().pb_rounds().Submit(&officer_, round, p);
      EXPECT_TRUE(made.ok()) << made.error().ToString();
      ids.push_back(made.ok() ? made->id : 0);
    }
    EXPECT_TRUE(app().pb_rounds().SetPhase(&officer_, round, "screening").ok());
    for (int64_t id : ids) {
      EXPECT_TRUE(app().pb_rounds().Check(&officer_, id, {}).ok());
      EXPECT_TRUE(app().pb_rounds().Screen(&screener_, id, {"accept", "Meets the criteria"}).ok());
    }
    auto voting = app().pb_rounds().SetPhase(&officer_, round, "voting");
    EXPECT_TRUE(voting.ok()) << voting.error().ToString();
    return ids;
  }

  static ProjectForm Project(const std::string& title, int64_t cost, const std::string& area = "") {
    ProjectForm f;
    f.title = title;
    f.summary = "A project";
    f.cost_pence = cost;
    f.area = area;
    return f;
  }

  int64_t body_ = 0;
  Actor officer_;
  Programme programme_;
  Actor screener_;
};

TEST_P(PbRoundsTest, GroupCommitStoresEachVotersBallotOnceAndReplacesItOnRequest) {
  auto round = app().pb_rounds().Open(&officer_, programme_.id, Form());
  ASSERT_TRUE(round.ok()) << round.error().ToString();
  const auto ids = ToVoting(round->id, {Project("Benches", 300000), Project("Trees", 400000),
                                        Project("Lights", 500000)});
  std::vector<Actor> voters;
  for (int i = 0; i < 60; ++i) voters.push_back(Member("v" + std::to_string(i) + "@example.org"));
  const Actor outsider = MakeUser("outsider@example.org");

  // Everyone at once, so the writer takes many in one transaction; voter 0 votes twice
  // without asking to replace, voter 1 replaces their ballot.
  std::vector<std::future<Result<BallotReceipt>>> results;
  auto cast = [&](const Actor& a, CastBallotForm form) {
    auto promise = std::make_shared<std::promise<Result<BallotReceipt>>>();
    results.push_back(promise->get_future());
    app().pb_rounds().CastBallotAsync(&a, round->id, form, [promise](Result<BallotReceipt> r) {
      promise->set_value(std::move(r));
    });
  };
  for (size_t i = 0; i < voters.size(); ++i) cast(voters[i], {{ids[i % 3]}, {}, false});
  cast(voters[0], {{ids[1]}, {}, false});
  cast(voters[1], {{ids[2], ids[0]}, {}, true});
  cast(outsider, {{ids[0]}, {}, false});
  cast(voters[2], {{ids[0], 999999}, {}, true});

  std::vector<Result<BallotReceipt>> got;
  for (auto& f : results) got.push_back(f.get());
  for (size_t i = 0; i < voters.size(); ++i) {
    ASSERT_TRUE(got[i].ok()) << i << ": " << got[i].error().ToString();
    EXPECT_FALSE(got[i]->replaced);
  }
  EXPECT_EQ(got[60].error().code, ErrorCode::kConflict);
  ASSERT_TRUE(got[61].ok()) << got[61].error().ToString();
  EXPECT_TRUE(got[61]->replaced);
  EXPECT_EQ(got[62].error().code, ErrorCode::kForbidden);
  EXPECT_EQ(got[63].error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(got[63].error().fields.at(0).field, "choices");

  // Replacing stored ballots (a later batch) changes them in place.
  for (int i = 3; i < 6; ++i) {
    auto again = app().pb_rounds().CastBallot(&voters[i], round->id, {{ids[2], ids[1]}, {}, true});
    ASSERT_TRUE(again.ok()) << again.error().ToString();
    EXPECT_TRUE(again->replaced);
    EXPECT_TRUE(app().pb_rounds().CheckReceipt(again->code).ok());
    EXPECT_EQ(app().pb_rounds().CheckReceipt(got[i]->code).error().code, ErrorCode::kNotFound);
    // The code's first eight digits name the ballot, which stays the same.
    EXPECT_EQ(again->code.substr(0, 9), got[i]->code.substr(0, 9));
    EXPECT_NE(again->code, got[i]->code);
  }
  EXPECT_EQ(Count("pb_ballots"), 60);
  EXPECT_EQ(Count("pb_receipts"), 0);  // only for codes given before codes named ballots
  EXPECT_EQ(Count("pb_participation"), 60);
  // Receipts follow the latest ballot.
  EXPECT_EQ(app().pb_rounds().CheckReceipt(got[1]->code).error().code, ErrorCode::kNotFound);
  auto receipt = app().pb_rounds().CheckReceipt(got[61]->code);
  ASSERT_TRUE(receipt.ok()) << receipt.error().ToString();
  EXPECT_TRUE(receipt->counted);
  // The ballot box counted each outcome once, and timed every batch it wrote.
  const BallotBoxStats box = app().pb_rounds().BallotBox();
  EXPECT_EQ(box.ballots_recorded, 64u);  // 60 new, 4 changed
  EXPECT_EQ(box.ballots_refused, 3u);
  EXPECT_EQ(box.ballots_failed, 0u);
  EXPECT_EQ(box.waiting, 0u);
  EXPECT_EQ(box.batch_ballots.sum, 67);
  EXPECT_GE(box.transaction_seconds.count, 4u);  // at least the three later changes and one
  EXPECT_EQ(box.transaction_seconds.count, box.batch_ballots.count);
  uint64_t in_buckets = 0;
  for (uint64_t n : box.transaction_seconds.counts) in_buckets += n;
  EXPECT_EQ(in_buckets, box.transaction_seconds.count);
  if (GetParam() == storage::Backend::kSqlite) {  // flushed after the COMMIT, some together
    EXPECT_GE(box.flush_seconds.count, 1u);
    EXPECT_LE(box.flush_seconds.count, box.transaction_seconds.count);
  } else {  // each COMMIT flushed its batch
    EXPECT_EQ(box.flush_seconds.count, 0u);
  }
  // Every ballot has a name of its own, and codes are 20 hex digits in fours.
  std::set<std::string> names;
  for (size_t i = 0; i < voters.size(); ++i) {
    EXPECT_TRUE(std::regex_match(got[i]->code, std::regex("[0-9A-F]{4}(-[0-9A-F]{4}){4}")))
        << got[i]->code;
    if (i != 1) names.insert(got[i]->code.substr(0, 9));
  }
  EXPECT_EQ(names.size(), 59u);
  EXPECT_EQ(names.count(got[61]->code.substr(0, 9)), 0u);
  // Audit records count ballots, never name voters, and keep the chain whole.
  int64_t recorded = 0;
  ASSERT_TRUE(db().Read([&](storage::Tx& tx) -> Status {
                   ASSIGN_OR_RETURN(auto rows, storage::ListAudit(tx, {programme_.id, std::nullopt, 1000}));
                   for (const auto& r : rows) {
                     if (r.action != "pb.ballots.recorded") continue;
                     EXPECT_EQ(r.actor, "system");
                     recorded += nlohmann::json::parse(r.details_json)["ballots"].get<int64_t>();
                   }
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(recorded, 64);
  auto verified = storage::VerifyAuditLog(db());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
}

TEST_P(PbRoundsTest, AReceiptCodeNamesItsBallotAndCodesGivenEarlierStillWork) {
  auto round = app().pb_rounds().Open(&officer_, programme_.id, Form());
  ASSERT_TRUE(round.ok()) << round.error().ToString();
  const auto ids = ToVoting(round->id, {Project("Benches", 300000), Project("Trees", 400000)});
  const Actor first = Member("first@example.org");
  const Actor second = Member("second@example.org");
  auto cast = app().pb_rounds().CastBallot(&first, round->id, {{ids[0]}, {}, false});
  ASSERT_TRUE(cast.ok()) << cast.error().ToString();
  const std::string code = cast->code;
  auto found = app().pb_rounds().CheckReceipt(code);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->round_id, round->id);
  EXPECT_TRUE(found->counted);
  EXPECT_FALSE(found->closed);
  // Lower case and without dashes it is the same code.
  std::string plain;
  for (char c : code) {
    if (c != '-') plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(app().pb_rounds().CheckReceipt(plain).ok());

  // Another digit anywhere is another code, and no ballot has it.
  for (size_t at : {0u, 3u, 5u, 8u, 10u, 15u, 20u, 23u}) {
    std::string other = code;
    other[at] = other[at] == '0' ? '1' : '0';
    EXPECT_EQ(app().pb_rounds().CheckReceipt(other).error().code, ErrorCode::kNotFound) << other;
  }
  for (std::string_view wrong : {"", "3F2A", "3F2A-9C01-77BE-0D4E-A1B2-0000", "not a code"}) {
    auto refused = app().pb_rounds().CheckReceipt(wrong);
    ASSERT_FALSE(refused.ok()) << wrong;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << wrong;
    EXPECT_EQ(refused.error().fields.at(0).field, "code");
  }

  // A 16-digit code given before codes named their ballot: found through pb_receipts
  // while the ballot is unchanged.
  auto other = app().pb_rounds().CastBallot(&second, round->id, {{ids[1]}, {}, false});
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  const std::string earlier = "00ff00ff00ff00ff";
  ASSERT_TRUE(db().Transact([&](storage::Tx& tx) -> Status {
                   // The second voter's ballot is the later one.
                   ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT MAX(id) FROM pb_ballots"));
                   const std::string hash = internal::Sha256Hex(earlier);
                   RETURN_IF_ERROR(tx.Exec("UPDATE pb_ballots SET receipt_hash = :h WHERE id = :id",
                                           {hash, row->Int(0)}));
                   return tx.Exec("INSERT INTO pb_receipts (receipt_hash, ballot_id) VALUES (:h, :id)",
                                  {hash, row->Int(0)})
                       .status();
                 }).ok());
  EXPECT_TRUE(app().pb_rounds().CheckReceipt("00FF-00FF-00FF-00FF").ok());
  EXPECT_EQ(app().pb_rounds().CheckReceipt("00FF-00FF-00FF-00FE").error().code,
            ErrorCode::kNotFound);
  // Changed, the ballot gets a code that names it, and the earlier code is spent.
  auto changed = app().pb_rounds().CastBallot(&second, round->id, {{ids[0]}, {}, true});
  ASSERT_TRUE(changed.ok()) << changed.error().ToString();
  EXPECT_TRUE(changed->replaced);
  EXPECT_EQ(changed->code.size(), 24u);
  EXPECT_TRUE(app().pb_rounds().CheckReceipt(changed->code).ok());
  EXPECT_EQ(app().pb_rounds().CheckReceipt("00FF-00FF-00FF-00FF").error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(app().pb_rounds().CheckReceipt(code).ok());  // the first voter's, unchanged
}

TEST_P(PbRoundsTest, ABallotFromASessionThatEndedIsRefused) {
  auto round = app().pb_rounds().Open(&officer_, programme_.id, Form());
  ASSERT_TRUE(round.ok());
  const auto ids = ToVoting(round->id, {Project("Benches", 300000)});
  Member("ann@example.org");
  auto signed_in = app().accounts().SignIn("", {"ann@example.org", "a long enough password"}, "test");
  ASSERT_TRUE(signed_in.ok()) << signed_in.error().ToString();
  auto session = app().accounts().ResolveSession(signed_in->token);
  ASSERT_TRUE(session.ok());
  const Actor ann = *session->actor;
  EXPECT_NE(ann.session_id, 0);
  ASSERT_TRUE(app().accounts().SignOut(signed_in->token).ok());
  // Resolving again fails at once, although sessions are cached.
  EXPECT_EQ(app().accounts().ResolveSession(signed_in->token).error().code,
            ErrorCode::kUnauthenticated);
  // An actor resolved before the sign-out (as on another server) cannot vote with it.
  auto refused = app().pb_rounds().CastBallot(&ann, round->id, {{ids[0]}, {}, false});
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(Count("pb_ballots"), 0);
}

TEST_P(PbRoundsTest, TheWriterReadsASessionByItsTokenAndChecksItsCsrfToken) {
  auto round = app().pb_rounds().Open(&officer_, programme_.id, Form());
  ASSERT_TRUE(round.ok());
  const auto ids = ToVoting(round->id, {Project("Benches", 300000)});
  Member("cal@example.org");
  MakeUser("dee@example.org");  // signed in, not a member
  auto cal = app().accounts().SignIn("", {"cal@example.org", "a long enough password"}, "test");
  auto dee = app().accounts().SignIn("", {"dee@example.org", "a long enough password"}, "test");
  ASSERT_TRUE(cal.ok() && dee.ok());
  auto cast = [&](const std::string& token, const std::string& csrf, bool replace) {
    std::promise<std::pair<Result<BallotReceipt>, SessionCheck>> p;
    auto f = p.get_future();
    app().pb_rounds().CastBallotWithSessionToken(
        token, csrf, round->id, {{ids[0]}, {}, replace},
        [&p](Result<BallotReceipt> r, SessionCheck c) { p.set_value({std::move(r), c}); });
    return f.get();
  };
  const std::string cal_csrf = cal->session.csrf_token;
  EXPECT_EQ(cast(cal->token, "wrong", false).second, SessionCheck::kCsrfMismatch);
  EXPECT_EQ(cast(std::string(64, 'a'), cal_csrf, false).second, SessionCheck::kNoSession);
  auto not_member = cast(dee->token, dee->session.csrf_token, false);
  EXPECT_EQ(not_member.second, SessionCheck::kOk);
  EXPECT_EQ(not_member.first.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Count("pb_ballots"), 0);

  auto voted = cast(cal->token, cal_csrf, false);
  ASSERT_EQ(voted.second, SessionCheck::kOk);
  ASSERT_TRUE(voted.first.ok()) << voted.first.error().ToString();
  EXPECT_FALSE(voted.first->replaced);
  // The same voter as an actor read from the session: their ballot, stored once.
  auto session = app().accounts().ResolveSession(cal->token);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(*app().pb_rounds().HasVoted(&*session->actor, round->id));
  EXPECT_EQ(cast(cal->token, cal_csrf, false).first.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(cast(cal->token, cal_csrf, true).first->replaced);
  EXPECT_EQ(Count("pb_ballots"), 1);
  EXPECT_EQ(Count("pb_participation"), 1);

  ASSERT_TRUE(app().accounts().SignOut(cal->token).ok());
  EXPECT_EQ(cast(cal->token, cal_csrf, true).second, SessionCheck::kNoSession);
}

TEST_P(PbRoundsTest, ARoleGrantShowsInACachedSessionAtOnce) {
  Member("bea@example.org");
  auto signed_in = app().accounts().SignIn("", {"bea@example.org", "a long enough password"}, "test");
  ASSERT_TRUE(signed_in.ok());
  auto before = app().accounts().ResolveSession(signed_in->token);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->actor->Has(Role::kBoardMember, body_, programme_.id));
  ASSERT_TRUE(app().accounts().GrantRole(&system_, {"bea@example.org", "board_member", body_,
                                                    programme_.id}).ok());
  auto after = app().accounts().ResolveSession(signed_in->token);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->actor->Has(Role::kBoardMember, body_, programme_.id));
}

TEST_P(PbRoundsTest, TheBoardOpensRoundsOnlyWhenTheConstitutionGivesItThatPower) {
  const Actor board = Member("chair@example.org");
  ASSERT_TRUE(app().accounts().GrantRole(&system_, {"chair@example.org", "board_member", body_,
                                                    programme_.id}).ok());
  auto chair = app().accounts().LoadActor(board.user_id);
  ASSERT_TRUE(chair.ok());
  const Actor resident = Member("resident@example.org");

  // Deny by default: the first constitution gives the board no such power.
  EXPECT_EQ(app().pb_rounds().Open(&*chair, programme_.id, Form()).error().code,
            ErrorCode::kForbidden);
  // The power needs a board.
  Status no_board = Amend([](ConstitutionRules& r) {
    r.board = {};
    r.pb_round_openers = RoundOpeners::kOfficersAndBoard;
  });
  ASSERT_FALSE(no_board.ok());
  EXPECT_EQ(no_board.error().fields.at(0).field, "pb_round_openers");
  ASSERT_TRUE(Amend([](ConstitutionRules& r) {
                r.board = {3, 2, 2};
                r.pb_round_openers = RoundOpeners::kOfficersAndBoard;
              }).ok());
  auto opened = app().pb_rounds().Open(&*chair, programme_.id, Form());
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(app().pb_rounds().Open(&resident, programme_.id, Form()).error().code,
            ErrorCode::kForbidden);
  // Running the round stays with officers.
  EXPECT_EQ(app().pb_rounds().SetPhase(&*chair, opened->id, "screening").error().code,
            ErrorCode::kForbidden);
  auto history = app().history().ForProgramme(programme_.id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ((*history)[0].action, "pb.round.open");
  EXPECT_EQ((*history)[0].actor, "user:" + std::to_string(board.user_id));
}

TEST_P(PbRoundsTest, ARoundTakesItsBallotLimitsFromTheConstitutionInForce) {
  Status bad = Amend([](ConstitutionRules& r) {
    r.approval_minimum = 3;
    r.approval_limit = 2;
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "approval_limit");
  ASSERT_TRUE(Amend([](ConstitutionRules& r) {
                r.approval_minimum = 2;
                r.approval_limit = 3;
              }).ok());
  auto round = app().pb_rounds().Open(&officer_, programme_.id, Form());
  ASSERT_TRUE(round.ok()) << round.error().ToString();
  EXPECT_EQ(round->approval_min, 2);
  EXPECT_EQ(round->approval_max, 3);
  const auto ids = ToVoting(round->id, {Project("A", 100000), Project("B", 100000),
                                        Project("C", 100000), Project("D", 100000)});
  const Actor voter = Member("voter@example.org");
  auto one = app().pb_rounds().CastBallot(&voter, round->id, {{ids[0]}, {}, false});
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().fields.at(0).field, "choices");
  EXPECT_EQ(one.error().fields.at(0).message, "Choose at least 2 projects");
  auto four = app().pb_rounds().CastBallot(&voter, round->id, {ids, {}, false});
  ASSERT_FALSE(four.ok());
  EXPECT_NE(four.error().fields.at(0).message.find("at most 3"), std::string::npos);
  EXPECT_TRUE(app().pb_rounds().CastBallot(&voter, round->id, {{ids[0], ids[1]}, {}, false}).ok());

  // A later amendment does not reach the open round; a new round takes it.
  ASSERT_TRUE(Amend([](ConstitutionRules& r) {
                r.approval_minimum = 1;
                r.approval_limit = 0;
              }).ok());
  EXPECT_EQ(app().pb_rounds().Get(round->id)->approval_min, 2);
  auto next = app().pb_rounds().Open(&officer_, programme_.id, Form());
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->approval_min, 1);
  EXPECT_EQ(next->approval_max, 0);
}

TEST_P(PbRoundsTest, ASplitFundIsDecidedPartByPartAndEachPartsFileRecomputesIt) {
  OpenRoundForm mixed = Form();
  mixed.splits = {{"area", "North", 600000}, {"theme", "Play", 300000}};
  auto refused = app().pb_rounds().Open(&officer_, programme_.id, mixed);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "splits");

  OpenRoundForm form = Form();  // £10,000: North £6,000, South £3,000, £1,000 over
  form.splits = {{"area", "North", 600000}, {"area", "South", 300000}};
  auto round = app().pb_rounds().Open(&officer_, programme_.id, form);
  ASSERT_TRUE(round.ok()) << round.error().ToString();
  auto west = app().pb_rounds().Submit(&officer_, round->id, Project("Far", 100000, "Nowhere"));
  EXPECT_TRUE(west.ok());  // no such split: it goes to the rest of the fund
  auto too_dear = app().pb_rounds().Submit(&officer_, round->id, Project("Dear", 400000, "south"));
  ASSERT_FALSE(too_dear.ok());
  EXPECT_EQ(too_dear.error().fields.at(0).field, "cost_pence");
  ASSERT_TRUE(app().pb_rounds().Withdraw(&officer_, west->id).ok());

  const auto ids = ToVoting(round->id, {Project("North pond", 400000, "North"),
                                        Project("North paths", 300000, "north "),
                                        Project("South swings", 200000, "South"),
                                        Project("South hedge", 250000, "South"),
                                        Project("Town sign", 80000, "")});
  // Over the whole fund, greedy would fund the pond and the paths together (£7,000 of
  // £10,000); within North's £6,000 only the pond fits.
  const std::vector<std::vector<int64_t>> ballots = {
      {ids[0], ids[1], ids[2]}, {ids[0], ids[1], ids[3]}, {ids[0], ids[3]},
      {ids[1], ids[2], ids[4]}, {ids[0], ids[3]},         {ids[3]}};
  for (size_t i = 0; i < ballots.size(); ++i) {
    const Actor v = Member("split" + std::to_string(i) + "@example.org");
    ASSERT_TRUE(app().pb_rounds().CastBallot(&v, round->id, {ballots[i], {}, false}).ok());
  }
  ASSERT_TRUE(app().pb_rounds().SetPhase(&officer_, round->id, "results").ok());
  auto results = app().pb_rounds().Results(round->id);
  ASSERT_TRUE(results.ok()) << results.error().ToString();
  ASSERT_EQ(results->parts.size(), 3u);
  EXPECT_EQ(results->parts[0].name, "North");
  EXPECT_EQ(results->parts[1].name, "South");
  EXPECT_EQ(results->parts[2].name, "Rest of the fund");
  EXPECT_EQ(results->parts[2].budget_pence, 100000);
  EXPECT_EQ(results->parts[0].voters, 5);
  std::map<int64_t, bool> funded;
  int64_t spent = 0;
  for (const auto& p : results->projects) funded[p.project_id] = p.funded;
  for (const auto& part : results->parts) {
    EXPECT_LE(part.spent_pence, part.budget_pence);
    spent += part.spent_pence;
  }
  EXPECT_EQ(spent, results->spent_pence);
  EXPECT_TRUE(funded[ids[0]]);
  EXPECT_FALSE(funded[ids[1]]);  // did not fit North's budget after the pond
  EXPECT_TRUE(funded[ids[3]]);   // most votes in South
  EXPECT_FALSE(funded[ids[2]]);  // £2,000 + £2,500 is over South's £3,000
  EXPECT_TRUE(funded[ids[4]]);   // the rest of the fund

  // Each part's file recomputes that part's outcome; the round as one file does not exist.
  EXPECT_EQ(app().pb_rounds().ExportPabulib(round->id).error().code, ErrorCode::kConflict);
  EXPECT_EQ(app().pb_rounds().ExportPabulib(round->id, 3).error().code, ErrorCode::kNotFound);
  for (int part = 0; part < 3; ++part) {
    auto file = app().pb_rounds().ExportPabulib(round->id, part);
    ASSERT_TRUE(file.ok()) << file.error().ToString();
    auto election = pb::ParsePabulib(*file, "part.pb");
    ASSERT_TRUE(election.ok()) << election.error().ToString();
    EXPECT_EQ(election->Meta("subunit"), results->parts[part].name);
    auto outcome = pb::Greedy(*election, pb::GreedyOptions{});
    ASSERT_TRUE(outcome.ok());
    std::vector<std::string> expected;
    for (const auto& p : results->projects) {
      if (p.part == part && p.funded) expected.push_back(std::to_string(p.project_id));
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(pb::SortedSelectedIds(*election, *outcome), expected) << "part " << part;
  }
}

COMMUNITISE_APP_BACKENDS(PbRoundsTest);

}  // namespace
}  // namespace communitise::app
