// communitise pb stats|outcome|margins: the participatory-budgeting engine on a
// pabulib file. Parses arguments, calls the engine, renders text or JSON.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>

#include "commands.h"
#include "communitise/pb/election.h"
#include "communitise/pb/margins.h"
#include "communitise/pb/rules.h"

namespace communitise::cli {
namespace {

using namespace communitise::pb;

struct PbArgs {
  std::string file;
  std::string rule = "greedy";
  std::string utility = "cost";
  std::string completion = "none";
  std::string votes_from = "ballots";
  std::vector<std::string> exclude;  // "ID,ID" pairs for greedy-exclusive
  bool json = false;
  bool explain = false;
  int64_t margin_runs = 2000;
};

Result<Election> LoadElection(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParsePabulib(ss.str(), path);
}

Utility ParseUtility(const std::string& s) {
  if (s == "approval") return Utility::kApproval;
  if (s == "points") return Utility::kPoints;
  return Utility::kCost;
}

Completion ParseCompletion(const std::string& s) {
  if (s == "add1") return Completion::kAdd1;
  if (s == "add1-checker") return Completion::kAdd1Checker;
  if (s == "utilitarian") return Completion::kUtilitarian;
  return Completion::kNone;
}

GreedyOptions GreedyOptionsFor(const PbArgs& a) {
  GreedyOptions o;
  o.variant = a.rule == "greedy-no-skip"     ? GreedyVariant::kNoSkip
              : a.rule == "greedy-threshold" ? GreedyVariant::kThreshold
              : a.rule == "greedy-exclusive" ? GreedyVariant::kExclusive
                                             : GreedyVariant::kSkip;
  o.use_file_counts = a.votes_from == "file";
  for (const std::string& pair : a.exclude) {
    size_t comma = pair.find(',');
    o.exclusions.emplace_back(pair.substr(0, comma),
                              comma == std::string::npos ? "" : pair.substr(comma + 1));
  }
  return o;
}

Result<Outcome> RunRule(const Election& e, const PbArgs& a) {
  if (a.rule == "greedy" || a.rule == "greedy-no-skip" || a.rule == "greedy-threshold" ||
      a.rule == "greedy-exclusive") {
    return Greedy(e, GreedyOptionsFor(a));
  }
  if (a.rule == "greedy-welfare") return GreedyWelfare(e, ParseUtility(a.utility));
  if (a.rule == "mes") return EqualShares(e, ParseUtility(a.utility), ParseCompletion(a.completion));
  if (a.rule == "phragmen") return SequentialPhragmen(e);
  return MaxWelfare(e, ParseUtility(a.utility));
}

int Fail(const Error& error) {
  std::cerr << "error: " << error.public_message << "\n";
  return error.code == ErrorCode::kInvalidArgument ? 1 : 2;
}

int Stats(const PbArgs& a) {
  auto e = LoadElection(a.file);
  if (!e.ok()) return Fail(e.error());
  std::vector<int64_t> votes = CountVotes(*e);
  std::vector<int> order(e->projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int x, int y) {
    if (votes[x] != votes[y]) return votes[x] > votes[y];
    return e->projects[x].id < e->projects[y].id;
  });
  int64_t empty = 0;
  for (const auto& v : e->voters) empty += v.vote.empty();
  auto limits = ReadBallotLimits(*e);
  if (!limits.ok()) return Fail(limits.error());
  auto violations = CountLimitViolations(*e, *limits);
  if (a.json) {
    nlohmann::json j;
    j["projects"] = e->projects.size();
    j["voters"] = e->voters.size();
    j["empty_ballots"] = empty;
    j["budget"] = e->FormatMoney(e->budget);
    j["vote_type"] = std::string(VoteTypeName(e->vote_type));
    j["rule"] = e->Meta("rule").value_or("");
    j["ballot_limit_violations"] = nlohmann::json::object();
    for (const auto& [key, n] : violations) j["ballot_limit_violations"][key] = n;
    j["votes"] = nlohmann::json::array();
    for (int p : order) {
      j["votes"].push_back({{"id", e->projects[p].id},
                            {"cost", e->FormatMoney(e->projects[p].cost)},
                            {"votes", votes[p]}});
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }
  std::cout << "election:   " << e->Meta("description").value_or(a.file) << "\n"
            << "projects:   " << e->projects.size() << "\n"
            << "voters:     " << e->voters.size() << " (" << empty << " empty ballots)\n"
            << "budget:     " << e->FormatMoney(e->budget) << " " << e->Meta("currency").value_or("")
            << "\n"
            << "vote type:  " << VoteTypeName(e->vote_type) << "\n"
            << "rule (file): " << e->Meta("rule").value_or("unknown") << "\n";
  for (const auto& [key, n] : violations) {
    std::cout << "ballots breaking " << key << " (" << *e->Meta(key) << "): " << n << "\n";
  }
  std::cout
            << (e->HasPoints() ? "points" : "votes") << " per project:\n";
  for (int p : order) {
    std::cout << "  " << e->projects[p].id << "\t" << votes[p] << "\tcost "
              << e->FormatMoney(e->projects[p].cost) << "\n";
  }
  return 0;
}

int OutcomeCmd(const PbArgs& a) {
  auto e = LoadElection(a.file);
  if (!e.ok()) return Fail(e.error());
  auto o = RunRule(*e, a);
  if (!o.ok()) return Fail(o.error());
  std::vector<std::string> ids = SortedSelectedIds(*e, *o);
  if (a.json) {
    nlohmann::json j;
    j["rule"] = o->rule;
    j["selected"] = ids;
    j["total_cost"] = e->FormatMoney(o->total_cost);
    j["budget"] = e->FormatMoney(e->budget);
    if (a.rule == "mes") {
      j["per_voter_budget"] = o->per_voter_budget.get_str();
      j["mes_runs"] = o->mes_runs;
      j["exact_runs"] = o->exact_runs;
    }
    if (a.explain) {
      j["projects"] = nlohmann::json::array();
      for (size_t p = 0; p < e->projects.size(); ++p) {
        j["projects"].push_back({{"id", e->projects[p].id},
                                 {"selected", o->stories[p].selected},
                                 {"rank", o->stories[p].rank},
                                 {"story", o->stories[p].detail}});
      }
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }
  std::cout << "rule: " << o->rule << "\nfunded " << ids.size() << " projects, total cost "
            << e->FormatMoney(o->total_cost) << " of " << e->FormatMoney(e->budget) << "\n";
  if (a.rule == "mes") {
    std::cout << "per-voter budget: " << o->per_voter_budget.get_str() << " (cost units), "
              << o->mes_runs << " MES runs\n";
  }
  std::cout << "selected:";
  for (const auto& id : ids) std::cout << " " << id;
  std::cout << "\n";
  if (a.explain) {
    std::vector<int> order(e->projects.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
      int rx = o->stories[x].rank, ry = o->stories[y].rank;
      if ((rx == 0) != (ry == 0)) return ry == 0;
      return rx < ry;
    });
    for (int p : order) {
      std::cout << (o->stories[p].selected ? "  + " : "  - ") << e->projects[p].id << ": "
                << o->stories[p].detail << "\n";
    }
  }
  return 0;
}

int MarginsCmd(const PbArgs& a) {
  auto e = LoadElection(a.file);
  if (!e.ok()) return Fail(e.error());
  MarginRule rule;
  if (a.rule == "mes") {
    rule.kind = MarginRule::Kind::kMes;
    rule.utility = ParseUtility(a.utility);
    rule.completion = ParseCompletion(a.completion);
  } else {
    rule.greedy = GreedyOptionsFor(a);
  }
  auto m = ComputeMargins(*e, rule, 24, a.margin_runs);
  if (!m.ok()) return Fail(m.error());
  auto fmt_opt = [](const std::optional<int64_t>& v, auto f) -> std::string {
    return v ? f(*v) : std::string("impossible");
  };
  if (a.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& pm : *m) {
      nlohmann::json x;
      x["id"] = e->projects[pm.project].id;
      x["extra_supporters"] =
          pm.extra_supporters ? nlohmann::json(*pm.extra_supporters) : nlohmann::json(nullptr);
      x["extra_supporters_exact"] = pm.extra_supporters_exact;
      x["cost_reduction"] = pm.cost_reduction ? nlohmann::json(e->FormatMoney(*pm.cost_reduction))
                                              : nlohmann::json(nullptr);
      x["cost_reduction_exact"] = pm.cost_reduction_exact;
      j.push_back(x);
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }
  std::cout << "project\textra supporters\tcost reduction\n";
  for (const auto& pm : *m) {
    std::cout << e->projects[pm.project].id << "\t"
              << fmt_opt(pm.extra_supporters, [](int64_t v) { return std::to_string(v); })
              << (pm.extra_supporters_exact ? "" : " (upper bound)") << "\t"
              << fmt_opt(pm.cost_reduction, [&](int64_t v) { return e->FormatMoney(v); })
              << (pm.cost_reduction_exact ? "" : " (upper bound)") << "\n";
  }
  return 0;
}

}  // namespace

void AddPbCommands(CLI::App& app, int& exit_code) {
  auto* pb = app.add_subcommand("pb", "Participatory budgeting: read pabulib files, compute outcomes");
  pb->require_subcommand(1);
  auto args = std::make_shared<PbArgs>();
  const std::vector<std::string> rules = {"greedy",         "greedy-no-skip", "greedy-threshold",
                                          "greedy-exclusive", "greedy-welfare", "mes",
                                          "phragmen",        "max-welfare"};

  auto* stats = pb->add_subcommand("stats", "Size, budget, vote type and votes per project");
  stats->add_option("file", args->file, "pabulib file")->required();
  stats->add_flag("--json", args->json, "print JSON");
  stats->callback([args, &exit_code] { exit_code = Stats(*args); });

  auto add_rule_options = [&](CLI::App* cmd, const std::vector<std::string>& allowed) {
    cmd->add_option("file", args->file, "pabulib file")->required();
    cmd->add_option("--rule", args->rule, "funding rule")->check(CLI::IsMember(allowed));
    cmd->add_option("--utility", args->utility, "satisfaction measure")
        ->check(CLI::IsMember({"cost", "approval", "points"}));
    cmd->add_option("--completion", args->completion, "MES completion")
        ->check(CLI::IsMember({"none", "add1", "add1-checker", "utilitarian"}));
    cmd->add_option("--votes-from", args->votes_from,
                    "greedy: count votes from the ballots or take the file's votes/score column")
        ->check(CLI::IsMember({"ballots", "file"}));
    cmd->add_option("--exclude", args->exclude,
                    "greedy-exclusive: ID,ID of two projects not to fund together (repeatable; "
                    "adds to the file's `excludes` column)");
    cmd->add_flag("--json", args->json, "print JSON");
  };
  auto* outcome = pb->add_subcommand("outcome", "Funded projects under a rule");
  add_rule_options(outcome, rules);
  outcome->add_flag("--explain", args->explain, "each project's story");
  outcome->callback([args, &exit_code] { exit_code = OutcomeCmd(*args); });

  auto* margins = pb->add_subcommand(
      "margins", "For each unfunded project: extra supporters / cost cut that would fund it");
  add_rule_options(margins,
                   {"greedy", "greedy-no-skip", "greedy-threshold", "greedy-exclusive", "mes"});
  margins->add_option("--max-runs", args->margin_runs,
                      "MES: bound on MES runs for all projects together (0: none); answers "
                      "cut short are upper bounds")
      ->check(CLI::NonNegativeNumber);
  margins->callback([args, &exit_code] { exit_code = MarginsCmd(*args); });
}

}  // namespace communitise::cli
