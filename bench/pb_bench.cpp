// Times the pb engine on every shared pabulib file: parse, then every rule.
// Usage: pb_bench [DATA_DIR] [--only SUBSTRING] [--rule SUBSTRING] [--repeat N] [--max-runs N]
// Prints one line per (file, rule) with the best wall time of N repeats (parse, rule,
// their sum) and the best CPU time of parse plus rule.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "communitise/pb/election.h"
#include "communitise/pb/rules.h"

namespace pb = communitise::pb;

namespace {

double CpuNow() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Best wall time of `repeat` calls; `cpu` gets the best CPU time of this thread, which
// a loaded machine inflates far less than the wall time.
double Seconds(const std::function<void()>& f, int repeat, double* cpu = nullptr) {
  double best = 1e100, best_cpu = 1e100;
  for (int i = 0; i < repeat; ++i) {
    double c0 = CpuNow();
    auto t0 = std::chrono::steady_clock::now();
    f();
    auto t1 = std::chrono::steady_clock::now();
    best_cpu = std::min(best_cpu, CpuNow() - c0);
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  if (cpu) *cpu = best_cpu;
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::string(COMMUNITISE_SHARED_DATA) + "/pabulib";
  std::string only;
  std::string only_rule;
  int repeat = 3;
  // The add1 completions' run count is reported per line; --max-runs bounds it
  // (0: no bound).
  int max_runs = 0;
  CLI::App app{"Times the pb engine: parse, then every rule, on every pabulib file of a folder"};
  app.add_option("data_dir", dir, "Folder of .pb files")->check(CLI::ExistingDirectory);
  app.add_option("--only", only, "Only files whose name contains this");
  app.add_option("--rule", only_rule, "Only rules whose name contains this");
  app.add_option("--repeat", repeat, "Repeats of each (file, rule); the best time is kept")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-runs", max_runs, "Bound on the add1 completions' MES runs (0: none)")
      ->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".pb" &&
        entry.path().filename().string().find(only) != std::string::npos) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  struct RuleCase {
    std::string name;
    std::function<communitise::Result<pb::Outcome>(const pb::Election&)> run;
  };
  auto greedy = [](pb::GreedyVariant v) {
    pb::GreedyOptions o;
    o.variant = v;
    return o;
  };
  std::vector<RuleCase> rules = {
      {"greedy", [&](const pb::Election& e) { return pb::Greedy(e, greedy(pb::GreedyVariant::kSkip)); }},
      {"greedy-no-skip", [&](const pb::Election& e) { return pb::Greedy(e, greedy(pb::GreedyVariant::kNoSkip)); }},
      {"greedy-threshold", [&](const pb::Election& e) { return pb::Greedy(e, greedy(pb::GreedyVariant::kThreshold)); }},
      {"greedy-exclusive", [&](const pb::Election& e) { return pb::Greedy(e, greedy(pb::GreedyVariant::kExclusive)); }},
      {"greedy-welfare/cost", [](const pb::Election& e) { return pb::GreedyWelfare(e, pb::Utility::kCost); }},
      {"greedy-welfare/approval", [](const pb::Election& e) { return pb::GreedyWelfare(e, pb::Utility::kApproval); }},
      {"greedy-welfare/points", [](const pb::Election& e) { return pb::GreedyWelfare(e, pb::Utility::kPoints); }},
      {"phragmen", [](const pb::Election& e) { return pb::SequentialPhragmen(e); }},
      {"max-welfare/cost", [](const pb::Election& e) { return pb::MaxWelfare(e, pb::Utility::kCost); }},
      {"max-welfare/approval", [](const pb::Election& e) { return pb::MaxWelfare(e, pb::Utility::kApproval); }},
  };
  for (auto u : {pb::Utility::kCost, pb::Utility::kApproval, pb::Utility::kPoints}) {
    for (auto c : {pb::Completion::kNone, pb::Completion::kAdd1, pb::Completion::kAdd1Checker,
                   pb::Completion::kUtilitarian}) {
      const char* un = u == pb::Utility::kCost ? "cost" : u == pb::Utility::kApproval ? "approval" : "points";
      const char* cn = c == pb::Completion::kNone ? "none" : c == pb::Completion::kAdd1 ? "add1"
                       : c == pb::Completion::kAdd1Checker ? "add1-checker" : "utilitarian";
      rules.push_back({std::string("mes/") + un + "/" + cn,
                       [u, c, max_runs](const pb::Election& e) {
                         return pb::EqualShares(e, u, c, max_runs);
                       }});
    }
  }
  std::printf("%-66s %-26s %10s %10s %10s %10s %s\n", "file", "rule", "parse_s", "rule_s",
              "total_s", "cpu_s", "result");
  double worst_total = 0;
  std::string worst;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    communitise::Result<pb::Election> election = communitise::Error::Internal("unparsed");
    double parse_cpu = 0;
    double parse_s =
        Seconds([&] { election = pb::ParsePabulib(text, path.string()); }, repeat, &parse_cpu);
    if (!election.ok()) {
      std::printf("%s: %s\n", path.filename().c_str(), election.error().public_message.c_str());
      continue;
    }
    std::printf("%-66s %-26s %10.4f\n", path.filename().c_str(), "(parse)", parse_s);
    for (const auto& rule : rules) {
      if (rule.name.find(only_rule) == std::string::npos) continue;
      communitise::Result<pb::Outcome> out = communitise::Error::Internal("not run");
      double rule_cpu = 0;
      double rule_s = Seconds([&] { out = rule.run(*election); }, repeat, &rule_cpu);
      std::string result;
      if (out.ok()) {
        result = std::to_string(out->selected.size()) + " projects, cost " +
                 election->FormatMoney(out->total_cost);
        if (out->mes_runs > 0) {
          result += ", " + std::to_string(out->mes_runs) + " MES runs (" +
                    std::to_string(out->exact_runs) + " exact";
          if (out->precise_runs > 0) {
            result += ", " + std::to_string(out->precise_runs) + " extended";
          }
          result += ")";
          if (out->mes_passes > 0) result += ", " + std::to_string(out->mes_passes) + " passes";
          result += ", per-voter budget " + out->per_voter_budget.get_str();
        }
      } else {
        result = "n/a: " + out.error().public_message;
      }
      double total = parse_s + rule_s;
      if (out.ok() && total > worst_total) {
        worst_total = total;
        worst = path.filename().string() + " " + rule.name;
      }
      std::printf("%-66s %-26s %10.4f %10.4f %10.4f %10.4f %s\n", path.filename().c_str(),
                  rule.name.c_str(), parse_s, rule_s, total, parse_cpu + rule_cpu,
                  result.c_str());
      std::fflush(stdout);
    }
  }
  std::printf("slowest parse+rule: %.4f s (%s)\n", worst_total, worst.c_str());
  return 0;
}
