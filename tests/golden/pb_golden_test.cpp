// Golden tests for the pb engine on the real elections in ../shared/data/pabulib.
//  - every file loads and round-trips through the writer;
//  - every outcome in reference_outcomes.json (pabutools 1.2.3) is reproduced;
//  - every case file in tests/golden/pb/cases/*.json (official city results) holds;
//  - properties on every file and rule.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "communitise/pb/election.h"
#include "communitise/pb/margins.h"
#include "communitise/pb/rules.h"

namespace communitise::pb {
namespace {

namespace fs = std::filesystem;

const fs::path kDataDir = fs::path(COMMUNITISE_SHARED_DATA) / "pabulib";
const fs::path kCasesDir = fs::path(COMMUNITISE_SOURCE_DIR) / "tests/golden/pb/cases";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parsed elections are shared between tests of one binary run.
const Election& Load(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Election>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[name];
  if (!slot) {
    auto r = ParsePabulib(ReadFile(kDataDir / name), name);
    if (!r.ok()) ADD_FAILURE() << r.error().public_message;
    slot = std::make_unique<Election>(r.ok() ? std::move(*r) : Election());
  }
  return *slot;
}

std::vector<std::string> DataFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(kDataDir)) {
    if (entry.path().extension() == ".pb") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> FileSelected(const Election& e) {
  std::vector<std::string> ids;
  for (const auto& p : e.projects) {
    if (p.selected && *p.selected != 0) ids.push_back(p.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

class PbFileTest : public testing::TestWithParam<std::string> {};

TEST_P(PbFileTest, LoadsAndRoundTrips) {
  std::string text = ReadFile(kDataDir / GetParam());
  auto first = ParsePabulib(text, GetParam());
  ASSERT_TRUE(first.ok()) << first.error().public_message;
  EXPECT_FALSE(first->projects.empty());
  EXPECT_FALSE(first->voters.empty());
  if (auto n = first->Meta("num_projects")) {
    EXPECT_EQ(std::to_string(first->projects.size()), *n);
  }
  std::string written = WritePabulib(*first);
  auto second = ParsePabulib(written, "rewritten");
  ASSERT_TRUE(second.ok()) << second.error().public_message;
  EXPECT_TRUE(*first == *second);
  EXPECT_EQ(WritePabulib(*second), written);
}

// cost <= budget for every rule; greedy (skip) and greedy-welfare are exhaustive;
// MES with add1-checker never exceeds the budget; Phragmén's loads never decrease.
TEST_P(PbFileTest, RuleProperties) {
  const Election& e = Load(GetParam());
  auto exhaustive = [&](const Outcome& o) {
    std::vector<char> in(e.projects.size(), 0);
    for (int p : o.selected) in[p] = 1;
    for (size_t p = 0; p < e.projects.size(); ++p) {
      if (!in[p] && o.total_cost + e.projects[p].cost <= e.budget) return false;
    }
    return true;
  };
  std::vector<std::pair<std::string, Result<Outcome>>> outcomes;
  GreedyOptions skip;
  outcomes.emplace_back("greedy", Greedy(e, skip));
  ASSERT_TRUE(outcomes.back().second.ok());
  EXPECT_TRUE(exhaustive(*outcomes.back().second)) << "greedy must be exhaustive";
  GreedyOptions no_skip;
  no_skip.variant = GreedyVariant::kNoSkip;
  outcomes.emplace_back("greedy-no-skip", Greedy(e, no_skip));
  for (Utility u : {Utility::kCost, Utility::kApproval, Utility::kPoints}) {
    auto g = GreedyWelfare(e, u);
    if (u == Utility::kPoints && !e.HasPoints()) {
      EXPECT_FALSE(g.ok());
      continue;
    }
    ASSERT_TRUE(g.ok());
    EXPECT_TRUE(exhaustive(*g)) << "greedy-welfare must be exhaustive";
    outcomes.emplace_back("greedy-welfare", std::move(g));
    for (Completion c : {Completion::kNone, Completion::kAdd1, Completion::kAdd1Checker,
                         Completion::kUtilitarian}) {
      // A bound on the completion's runs keeps the suite quick; elections whose add1
      // search is longer (Budapest: budget 1e9, +1 HUF steps) are covered by the bench.
      auto mes = EqualShares(e, u, c, 200);
      if (!mes.ok()) {
        EXPECT_EQ(mes.error().code, ErrorCode::kUnavailable) << mes.error().public_message;
        continue;
      }
      outcomes.emplace_back("mes", std::move(mes));
    }
  }
  auto ph = SequentialPhragmen(e);
  ASSERT_TRUE(ph.ok());
  for (size_t i = 1; i < ph->phragmen_loads.size(); ++i) {
    EXPECT_LE(ph->phragmen_loads[i - 1], ph->phragmen_loads[i]) << "round " << i;
  }
  outcomes.emplace_back("phragmen", std::move(ph));
  outcomes.emplace_back("max-welfare", MaxWelfare(e, Utility::kApproval));
  for (const auto& [name, o] : outcomes) {
    ASSERT_TRUE(o.ok()) << name;
    EXPECT_LE(o->total_cost, e.budget) << name;
    int64_t sum = 0;
    for (int p : o->selected) sum += e.projects[p].cost;
    EXPECT_EQ(sum, o->total_cost) << name;
    std::vector<int> sorted = o->selected;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << name;
  }
}

// The floating-point filter never changes an outcome: compare with exact-only runs on
// the files small enough for exact rationals to be quick.
TEST_P(PbFileTest, FilteredMesEqualsExact) {
  const Election& e = Load(GetParam());
  if (e.voters.size() > 7000) GTEST_SKIP() << "exact-only MES is slow on large files";
  std::vector<Completion> completions = {Completion::kNone};
  // add1 makes one MES run per currency unit of per-voter budget: exact-only is
  // affordable on the small files.
  if (e.voters.size() <= 1000) completions.push_back(Completion::kAdd1);
  for (Utility u : {Utility::kCost, Utility::kApproval}) {
    for (Completion c : completions) {
      auto fast = EqualShares(e, u, c);
      auto exact = EqualSharesExactOnly(e, u, c);
      ASSERT_TRUE(fast.ok());
      ASSERT_TRUE(exact.ok());
      EXPECT_EQ(fast->selected, exact->selected);
      EXPECT_EQ(fast->per_voter_budget, exact->per_voter_budget);
    }
  }
}

// The add1 completions' jumps over equal outcomes change nothing: same funded
// projects and the same final per-voter budget as one run per currency unit, on the
// mid-size files (elections with 1,000 to 15,000 voters; the larger ones need
// thousands of step-by-step runs, Budapest over 20,000).
TEST_P(PbFileTest, MesJumpsEqualStepByStep) {
  const Election& e = Load(GetParam());
  if (e.voters.size() < 1000 || e.voters.size() > 15000) GTEST_SKIP() << "size";
  for (Utility u : {Utility::kCost, Utility::kApproval}) {
    for (Completion c : {Completion::kAdd1, Completion::kAdd1Checker}) {
      auto jumped = EqualShares(e, u, c);
      auto stepped = EqualSharesStepByStep(e, u, c);
      ASSERT_TRUE(jumped.ok());
      ASSERT_TRUE(stepped.ok());
      EXPECT_EQ(jumped->selected, stepped->selected);
      EXPECT_EQ(jumped->per_voter_budget, stepped->per_voter_budget);
      EXPECT_LE(jumped->mes_runs, 2 * stepped->mes_runs);
    }
  }
}

// Margins make sense: applying the reported greedy cut funds the project.
TEST_P(PbFileTest, GreedyMarginsAreTight) {
  const Election& e = Load(GetParam());
  MarginRule rule;
  auto margins = ComputeMargins(e, rule);
  ASSERT_TRUE(margins.ok());
  int checked = 0;
  for (const auto& m : *margins) {
    if (!m.cost_reduction || *m.cost_reduction <= 0 || checked >= 5) continue;
    ++checked;
    Election cut = e;
    cut.projects[m.project].cost -= *m.cost_reduction;
    auto funded = [&](const Election& x) {
      auto o = Greedy(x, rule.greedy);
      return std::find(o->selected.begin(), o->selected.end(), m.project) != o->selected.end();
    };
    EXPECT_TRUE(funded(cut)) << e.projects[m.project].id;
    cut.projects[m.project].cost += 1;
    EXPECT_FALSE(funded(cut)) << e.projects[m.project].id;
  }
}

INSTANTIATE_TEST_SUITE_P(SharedData, PbFileTest, testing::ValuesIn(DataFiles()), TestName);

TEST(PbReferenceTest, ReproducesPabutools) {
  auto ref = nlohmann::json::parse(ReadFile(kDataDir / "reference_outcomes.json"));
  int compared = 0;
  for (const auto& [file, rules] : ref.items()) {
    const Election& e = Load(file);
    for (const auto& [key, want] : rules.items()) {
      if (key == "_info") continue;
      Result<Outcome> got = Error::Internal("unknown key " + key);
      if (key == "greedy_cost_sat") got = GreedyWelfare(e, Utility::kCost);
      else if (key == "mes_cost_sat") got = EqualShares(e, Utility::kCost, Completion::kNone);
      else if (key == "mes_cost_sat_add1") got = EqualShares(e, Utility::kCost, Completion::kAdd1);
      else if (key == "mes_cost_sat_add1_checker")
        got = EqualShares(e, Utility::kCost, Completion::kAdd1Checker);
      else if (key == "seq_phragmen") got = SequentialPhragmen(e);
      ASSERT_TRUE(got.ok()) << file << " " << key << ": " << got.error().public_message;
      EXPECT_EQ(SortedSelectedIds(e, *got), want["selected"].get<std::vector<std::string>>())
          << file << " " << key;
      EXPECT_EQ(e.FormatMoney(got->total_cost), want["total_cost"].get<std::string>())
          << file << " " << key;
      if (want.contains("final_per_voter_budget")) {
        mpq_class currency = got->per_voter_budget;
        for (int i = 0; i < e.cost_decimals; ++i) currency /= 10;
        EXPECT_EQ(currency.get_str(), want["final_per_voter_budget"].get<std::string>()) << file;
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 30);
}

TEST(PbCasesTest, CityResults) {
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(kCasesDir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    auto c = nlohmann::json::parse(ReadFile(entry.path()));
    const Election& e = Load(c["file"].get<std::string>());
    std::string rule = c["rule"];
    Result<Outcome> got = Error::Internal("unknown rule " + rule);
    if (rule == "greedy" || rule == "greedy-no-skip" || rule == "greedy-threshold") {
      GreedyOptions o;
      o.variant = rule == "greedy" ? GreedyVariant::kSkip
                  : rule == "greedy-no-skip" ? GreedyVariant::kNoSkip : GreedyVariant::kThreshold;
      got = Greedy(e, o);
    } else if (rule == "mes") {
      std::string u = c.value("utility", "cost"), comp = c.value("completion", "none");
      Utility utility = u == "approval" ? Utility::kApproval : u == "points" ? Utility::kPoints
                                                                              : Utility::kCost;
      Completion completion = comp == "add1" ? Completion::kAdd1
                              : comp == "add1-checker" ? Completion::kAdd1Checker
                              : comp == "utilitarian" ? Completion::kUtilitarian : Completion::kNone;
      got = EqualShares(e, utility, completion);
    } else if (rule == "phragmen") {
      got = SequentialPhragmen(e);
    }
    ASSERT_TRUE(got.ok()) << got.error().public_message;
    std::vector<std::string> ids = SortedSelectedIds(e, *got);
    const auto& expected = c["expected"];
    if (expected.is_array()) {
      EXPECT_EQ(ids, expected.get<std::vector<std::string>>());
    } else if (expected == "file-selected") {
      EXPECT_EQ(ids, FileSelected(e));
    } else {
      ASSERT_EQ(expected, "not-file-selected");
      EXPECT_NE(ids, FileSelected(e));
      EXPECT_TRUE(c.contains("note")) << "a case that cannot match must say why";
    }
    ++cases;
  }
  EXPECT_GE(cases, 12);
}

}  // namespace
}  // namespace communitise::pb
