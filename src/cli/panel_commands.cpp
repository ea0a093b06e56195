// communitise panel select|check|report|replace: resident-panel selection from the Sortition
// Foundation's CSV files. Parses, calls the sortition engine, renders; nothing else.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "communitise/sortition/coin_solver.h"
#include "communitise/sortition/csv_io.h"
#include "communitise/sortition/feasibility.h"
#include "communitise/sortition/invitations.h"
#include "communitise/sortition/legacy.h"
#include "communitise/sortition/leximin.h"
#include "communitise/sortition/lottery.h"
#include "communitise/sortition/report.h"

namespace communitise::cli {
namespace {

namespace so = communitise::sortition;

struct PanelArgs {
  std::string categories;
  std::string people;
  int size = 0;
  std::string households;  // COL[,COL…]
  std::string unknown_values = "error";
  uint64_t seed = 0;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::InvalidArgument(path + ": cannot open the file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> SplitColumns(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

Result<so::Problem> LoadProblem(const PanelArgs& a) {
  ASSIGN_OR_RETURN(std::string quotas_text, ReadFile(a.categories));
  ASSIGN_OR_RETURN(so::Quotas quotas, so::ReadQuotasCsv(quotas_text, a.categories));
  ASSIGN_OR_RETURN(std::string people_text, ReadFile(a.people));
  so::RespondentsOptions options;
  options.household_columns = SplitColumns(a.households);
  if (a.unknown_values == "exclude") {
    options.unknown_values = so::UnknownValues::kExclude;
  } else if (a.unknown_values != "error") {
    return Error::InvalidArgument("--unknown-values must be error or exclude");
  }
  ASSIGN_OR_RETURN(so::Respondents respondents,
                   so::ReadRespondentsCsv(people_text, a.people, quotas, options));
  for (const std::string& e : respondents.excluded) {
    std::cerr << "excluded " << e << "\n";
  }
  so::Problem problem{std::move(quotas), std::move(respondents.people), a.size,
                      !options.household_columns.empty()};
  RETURN_IF_ERROR(so::ValidateProblem(problem));
  return problem;
}

void AddProblemOptions(CLI::App* cmd, PanelArgs& a) {
  cmd->add_option("--categories", a.categories, "Quotas CSV (category,feature,min,max)")
      ->required();
  cmd->add_option("--people", a.people, "Respondents CSV")->required();
  cmd->add_option("--size", a.size, "Panel size k")->required();
  cmd->add_option("--households", a.households,
                  "Address column(s) COL[,COL...]: at most one person per household");
  cmd->add_option("--unknown-values", a.unknown_values,
                  "A respondent value no quota names: error (default) or exclude");
}

int Fail(const Error& e) {
  std::cerr << "error: " << e.public_message << "\n";
  if (!e.internal_message.empty()) std::cerr << "  (" << e.internal_message << ")\n";
  return 1;
}

// Progress of column generation on stderr: one line per stage and every 20 rounds,
// rewritten in place when stderr is a terminal.
so::LeximinOptions ProgressOptions() {
  so::LeximinOptions options;
  const bool tty = isatty(fileno(stderr));
  auto last_stage = std::make_shared<int>(0);
  options.progress = [tty, last_stage](const so::LeximinProgress& p) {
    const bool new_stage = p.stage != *last_stage;
    if (!new_stage && p.round % 20 != 0 && !tty) return;
    *last_stage = p.stage;
    std::fprintf(stderr,
                 "%sLEXIMIN stage %d round %d: %d panels, %d/%d types fixed, "
                 "min probability %.6f, bound %.6f, gap %.2e%s",
                 tty ? "\r\033[K" : "", p.stage, p.round, p.panels, p.fixed_types, p.types,
                 p.value, std::min(1.0, p.bound), std::max(0.0, p.gap()), tty ? "" : "\n");
    std::fflush(stderr);
  };
  return options;
}

Result<so::LeximinResult> RunLeximin(const so::Problem& problem) {
  auto lp = so::MakeClpSolver();
  auto mip = so::MakeCbcSolver();
  so::LeximinOptions options = ProgressOptions();
  auto result = so::Leximin(problem, *lp, *mip, options);
  if (isatty(fileno(stderr))) std::fprintf(stderr, "\n");
  return result;
}

int Select(const PanelArgs& a, const std::string& algorithm, bool json, int legacy_draws) {
  auto problem = LoadProblem(a);
  if (!problem.ok()) return Fail(problem.error());
  std::vector<int> panel;
  std::vector<double> probabilities;
  nlohmann::json out;
  out["algorithm"] = algorithm;
  out["seed"] = a.seed;
  out["panel_size"] = problem->panel_size;
  out["pool_size"] = problem->people.size();
  if (algorithm == "leximin") {
    auto result = RunLeximin(*problem);
    if (!result.ok()) {
      if (result.error().code == ErrorCode::kInvalidArgument) {
        // Say which quotas conflict and how little they must bend.
        auto mip = so::MakeCbcSolver();
        auto report = so::CheckFeasibility(*problem, *mip);
        if (report.ok() && !report->feasible) {
          std::cerr << "error: " << report->summary << "\n";
          for (const auto& c : report->conflicts) std::cerr << "  " << c << "\n";
          return 2;
        }
      }
      return Fail(result.error());
    }
    auto draw = so::DrawPanel(*problem, result->distribution, a.seed);
    if (!draw.ok()) return Fail(draw.error());
    panel = draw->panel;
    probabilities = result->distribution.probabilities;
    const so::Distribution& d = result->distribution;
    out["drawn_composition"] = draw->composition;
    nlohmann::json dist = nlohmann::json::array();
    for (size_t i = 0; i < d.panels.size(); ++i) {
      nlohmann::json groups = nlohmann::json::array();
      for (int t = 0; t < d.types.size(); ++t) {
        if (d.panels[i][t] > 0) groups.push_back({{"type", t}, {"count", d.panels[i][t]}});
      }
      dist.push_back({{"weight", d.weights[i]}, {"groups", groups}});
    }
    nlohmann::json types = nlohmann::json::array();
    for (int t = 0; t < d.types.size(); ++t) {
      nlohmann::json ids = nlohmann::json::array();
      for (int m : d.types.members[t]) ids.push_back(problem->people[m].id);
      types.push_back(ids);
    }
    out["types"] = types;
    out["distribution"] = dist;
    out["stats"] = {{"stages", result->stats.stages},
                    {"rounds", result->stats.rounds},
                    {"lp_solves", result->stats.lp_solves},
                    {"ip_solves", result->stats.ip_solves}};
  } else if (algorithm == "legacy") {
    so::Rng rng(a.seed);
    auto selected = so::LegacySelect(*problem, rng);
    if (!selected.ok()) return Fail(selected.error());
    panel = *selected;
    auto estimate = so::EstimateLegacy(*problem, a.seed + 1, legacy_draws);
    if (!estimate.ok()) return Fail(estimate.error());
    probabilities = estimate->probabilities;
    out["legacy_draws"] = legacy_draws;
  } else {
    return Fail(Error::InvalidArgument("--algorithm must be leximin or legacy"));
  }
  double lo = 1, hi = 0;
  for (double p : probabilities) lo = std::min(lo, p), hi = std::max(hi, p);
  if (json) {
    out["panel"] = nlohmann::json::array();
    for (int i : panel) out["panel"].push_back(problem->people[i].id);
    out["probabilities"] = nlohmann::json::object();
    for (size_t i = 0; i < probabilities.size(); ++i) {
      out["probabilities"][problem->people[i].id] = probabilities[i];
    }
    out["min_probability"] = lo;
    out["max_probability"] = hi;
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  const auto& cats = problem->quotas.categories;
  std::cout << "Panel of " << panel.size() << " (" << algorithm << ", seed " << a.seed
            << "):\n";
  for (int i : panel) {
    std::cout << "  " << problem->people[i].id;
    for (size_t c = 0; c < cats.size(); ++c) {
      std::cout << (c ? ", " : "  ") << cats[c].values[problem->people[i].values[c]].name;
    }
    std::cout << "\n";
  }
  std::cout << "\nSelection probability of every respondent"
            << (algorithm == "legacy"
                    ? " (estimated from " + std::to_string(legacy_draws) + " legacy draws)"
                    : "")
            << ":\n";
  for (size_t i = 0; i < probabilities.size(); ++i) {
    std::printf("  %-16s %.6f\n", problem->people[i].id.c_str(), probabilities[i]);
  }
  std::printf("\nminimum probability %.6f\nmaximum probability %.6f\n", lo, hi);
  return 0;
}

int Check(const PanelArgs& a, bool json) {
  auto problem = LoadProblem(a);
  if (!problem.ok()) return Fail(problem.error());
  auto mip = so::MakeCbcSolver();
  auto report = so::CheckFeasibility(*problem, *mip);
  if (!report.ok()) return Fail(report.error());
  if (json) {
    nlohmann::json out{{"feasible", report->feasible},
                       {"relaxable", report->relaxable},
                       {"summary", report->summary},
                       {"conflicts", report->conflicts},
                       {"changes", nlohmann::json::array()}};
    for (const auto& c : report->changes) {
      out["changes"].push_back({{"category", c.category},
                                {"value", c.value},
                                {"min", c.old_min},
                                {"max", c.old_max},
                                {"new_min", c.new_min},
                                {"new_max", c.new_max}});
    }
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << report->summary << "\n";
    for (const auto& c : report->conflicts) std::cout << "  " << c << "\n";
    if (!report->feasible && report->relaxable) {
      std::cout << "\nRelaxed quotas:\n" << so::WriteQuotasCsv(report->relaxed);
    }
  }
  return report->feasible ? 0 : 2;
}

int Report(const PanelArgs& a, const std::string& out_path, int legacy_draws) {
  auto problem = LoadProblem(a);
  if (!problem.ok()) return Fail(problem.error());
  auto result = RunLeximin(*problem);
  if (!result.ok()) return Fail(result.error());
  auto draw = so::DrawPanel(*problem, result->distribution, a.seed);
  if (!draw.ok()) return Fail(draw.error());
  so::ReportInput in;
  in.title = "Resident panel selection: " + std::to_string(problem->panel_size) + " from " +
             std::to_string(problem->people.size());
  in.problem = &*problem;
  in.leximin = result->distribution.probabilities;
  in.panel = draw->panel;
  if (legacy_draws > 0) {
    auto estimate = so::EstimateLegacy(*problem, a.seed + 1, legacy_draws);
    if (estimate.ok()) {
      in.legacy = estimate->probabilities;
      in.legacy_draws = legacy_draws;
    } else {
      std::cerr << "legacy estimate skipped: " << estimate.error().public_message << "\n";
    }
  }
  in.notes = "Panel drawn from the LEXIMIN distribution (" +
             std::to_string(result->distribution.panels.size()) +
             " panel compositions) with seed " + std::to_string(a.seed) + ".";
  std::string page = so::RenderReportHtml(in);
  if (out_path.size() >= 4 && out_path.substr(out_path.size() - 4) == ".svg") {
    // The SVG alone: the first chart, the probability curves.
    const size_t b = page.find("<svg"), e = page.find("</svg>");
    page = page.substr(b, e + 6 - b) + "\n";
  }
  std::ofstream f(out_path, std::ios::binary);
  if (!f || !(f << page)) return Fail(Error::InvalidArgument(out_path + ": cannot write"));
  std::cerr << "wrote " << out_path << "\n";
  return 0;
}

int ReplaceDropout(const PanelArgs& a, const std::string& panel_ids,
                   const std::string& dropout_id, bool json) {
  auto problem = LoadProblem(a);
  if (!problem.ok()) return Fail(problem.error());
  std::map<std::string, int> index;
  for (size_t i = 0; i < problem->people.size(); ++i) index[problem->people[i].id] = i;
  std::vector<int> panel;
  for (const std::string& id : SplitColumns(panel_ids)) {
    auto it = index.find(id);
    if (it == index.end()) return Fail(Error::InvalidArgument("--panel: no respondent " + id));
    panel.push_back(it->second);
  }
  auto out = index.find(dropout_id);
  if (out == index.end()) {
    return Fail(Error::InvalidArgument("--dropout: no respondent " + dropout_id));
  }
  auto r = so::Replace(*problem, panel, out->second, a.seed);
  if (!r.ok()) return Fail(r.error());
  if (json) {
    nlohmann::json j{{"replacement", problem->people[r->person].id},
                     {"explanation", r->explanation},
                     {"candidates", r->candidates},
                     {"panel", nlohmann::json::array()}};
    for (int i : r->panel) j["panel"].push_back(problem->people[i].id);
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << r->explanation << "\nNew panel:";
    for (int i : r->panel) std::cout << " " << problem->people[i].id;
    std::cout << "\n";
  }
  return 0;
}

// Prints the invited addresses in draw order, one CSV row each, exactly as the server's
// draw from the same list and seed.
int DrawInvitationLetters(const std::string& file, uint64_t seed, int count) {
  auto text = ReadFile(file);
  if (!text.ok()) return Fail(text.error());
  auto rows = so::ParseAddressCsv(*text, file);
  if (!rows.ok()) return Fail(rows.error());
  const int n = static_cast<int>(rows->size());
  if (count < 1 || count > n) {
    return Fail(Error::InvalidArgument("--count must be between 1 and " + std::to_string(n)));
  }
  std::cout << "order,id,postcode\n";
  int order = 0;
  for (int i : so::DrawInvitations(n, count, seed)) {
    std::cout << ++order << "," << (*rows)[i].id << "," << (*rows)[i].postcode << "\n";
  }
  return 0;
}

}  // namespace

void AddPanelCommands(CLI::App& app, int& exit_code) {
  CLI::App* panel = app.add_subcommand("panel", "Resident panels chosen by lottery");
  panel->require_subcommand(1);

  auto select_args = std::make_shared<PanelArgs>();
  auto algorithm = std::make_shared<std::string>("leximin");
  auto json = std::make_shared<bool>(false);
  auto draws = std::make_shared<int>(10000);
  CLI::App* select = panel->add_subcommand("select", "Select a panel and print probabilities");
  AddProblemOptions(select, *select_args);
  select->add_option("--algorithm", *algorithm, "leximin (default) or legacy");
  select->add_option("--seed", select_args->seed, "Lottery seed (published)");
  select->add_flag("--json", *json, "One JSON object on stdout");
  select->add_option("--legacy-draws", *draws,
                     "Draws used to estimate legacy probabilities (default 10000)");
  select->callback([=, &exit_code] {
    exit_code = Select(*select_args, *algorithm, *json, *draws);
  });

  auto check_args = std::make_shared<PanelArgs>();
  auto check_json = std::make_shared<bool>(false);
  CLI::App* check = panel->add_subcommand(
      "check", "Test whether the quotas can be met; suggest the smallest relaxation");
  AddProblemOptions(check, *check_args);
  check->add_flag("--json", *check_json, "One JSON object on stdout");
  check->callback([=, &exit_code] { exit_code = Check(*check_args, *check_json); });

  auto report_args = std::make_shared<PanelArgs>();
  auto out = std::make_shared<std::string>();
  auto report_draws = std::make_shared<int>(10000);
  CLI::App* report = panel->add_subcommand(
      "report", "Write a self-contained HTML (or SVG) picture of the probabilities");
  AddProblemOptions(report, *report_args);
  report->add_option("--seed", report_args->seed, "Lottery seed");
  report->add_option("--out", *out, "Output file (.html, or .svg for the curves only)")
      ->required();
  report->add_option("--legacy-draws", *report_draws,
                     "Legacy draws for the comparison (0: none; default 10000)");
  report->callback([=, &exit_code] {
    exit_code = Report(*report_args, *out, *report_draws);
  });

  auto replace_args = std::make_shared<PanelArgs>();
  auto panel_ids = std::make_shared<std::string>();
  auto dropout = std::make_shared<std::string>();
  auto replace_json = std::make_shared<bool>(false);
  CLI::App* replace = panel->add_subcommand(
      "replace", "Replace a panellist who dropped out, keeping every quota");
  AddProblemOptions(replace, *replace_args);
  replace->add_option("--panel", *panel_ids, "The current panel's ids, comma-separated")
      ->required();
  replace->add_option("--dropout", *dropout, "Id of the panellist who dropped out")
      ->required();
  replace->add_option("--seed", replace_args->seed, "Lottery seed (published)");
  replace->add_flag("--json", *replace_json, "One JSON object on stdout");
  replace->callback([=, &exit_code] {
    exit_code = ReplaceDropout(*replace_args, *panel_ids, *dropout, *replace_json);
  });

  auto addresses = std::make_shared<std::string>();
  auto invite_seed = std::make_shared<uint64_t>(0);
  auto invite_count = std::make_shared<int>(0);
  CLI::App* invite = panel->add_subcommand(
      "draw-invitations", "Redo an invitation lottery from the address list and its seed");
  invite->add_option("addresses", *addresses, "Address list (CSV: id, address lines, postcode)")
      ->required();
  invite->add_option("--seed", *invite_seed, "The published seed")->required();
  invite->add_option("--count", *invite_count, "How many addresses were invited")->required();
  invite->callback([=, &exit_code] {
    exit_code = DrawInvitationLetters(*addresses, *invite_seed, *invite_count);
  });
}

}  // namespace communitise::cli
