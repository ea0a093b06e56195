// LEXIMIN on every shared sortition instance (the feasible golden cases): wall time,
// stages, rounds, LP and IP solves, and the minimum probability; plus the 10,000-draw
// legacy estimate for comparison. Run: build/bench/sortition_bench
#include <benchmark/benchmark.h>

#include "communitise/sortition/coin_solver.h"
#include "communitise/sortition/legacy.h"
#include "communitise/sortition/leximin.h"
#include "sortition_case.h"

namespace communitise::sortition {
namespace {

void RunLeximin(benchmark::State& state, const golden::Case& c) {
  auto problem = golden::LoadProblem(c);
  if (!problem.ok()) {
    state.SkipWithError(problem.error().public_message.c_str());
    return;
  }
  LeximinStats stats;
  double min_probability = 0;
  for (auto _ : state) {
    auto lp = MakeClpSolver();
    auto mip = MakeCbcSolver();
    auto r = Leximin(*problem, *lp, *mip);
    if (!r.ok()) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
    stats = r->stats;
    min_probability = r->distribution.min_probability;
  }
  state.counters["pool"] = static_cast<double>(problem->people.size());
  state.counters["k"] = problem->panel_size;
  state.counters["stages"] = stats.stages;
  state.counters["rounds"] = stats.rounds;
  state.counters["lp_solves"] = stats.lp_solves;
  state.counters["ip_solves"] = stats.ip_solves;
  state.counters["panels"] = stats.heuristic_panels + stats.ip_panels;
  state.counters["min_prob"] = min_probability;
}

void RunLegacy(benchmark::State& state, const golden::Case& c) {
  auto problem = golden::LoadProblem(c);
  if (!problem.ok()) {
    state.SkipWithError(problem.error().public_message.c_str());
    return;
  }
  double min_probability = 0;
  for (auto _ : state) {
    auto e = EstimateLegacy(*problem, 1234, 10000);
    if (!e.ok()) {
      state.SkipWithError(e.error().public_message.c_str());
      return;
    }
    min_probability = e->min_probability;
  }
  state.counters["draws"] = 10000;
  state.counters["min_prob"] = min_probability;
}

}  // namespace
}  // namespace communitise::sortition

int main(int argc, char** argv) {
  using communitise::sortition::golden::Case;
  for (const Case& c : communitise::sortition::golden::LoadCases()) {
    if (c.Get("expect", "feasible") != "feasible") continue;
    benchmark::RegisterBenchmark(("leximin/" + c.name).c_str(),
                                 [c](benchmark::State& s) {
                                   communitise::sortition::RunLeximin(s, c);
                                 })
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("legacy10000/" + c.name).c_str(),
                                 [c](benchmark::State& s) {
                                   communitise::sortition::RunLegacy(s, c);
                                 })
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
