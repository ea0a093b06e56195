// Opinion-map timings on planted conversations shaped like real ones: each participant
// votes on 5-60 statements (more on early statements), three hidden opinion groups.
//
//   build/bench/deliberation_bench                      all sizes
//   build/bench/deliberation_bench --benchmark_filter=100000
//
// Reported per size: the whole map (PCA, projection, clustering, statement statistics),
// the PCA alone, and counters: groups found, purity against the planted groups, share
// of participants clustered, votes, power-iteration steps.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <utility>

#include "communitise/deliberation/opinion_map.h"
#include "communitise/deliberation/planted_conversation.h"

namespace communitise::deliberation {
namespace {

struct Instance {
  PlantedConversation planted;
  VoteMatrix matrix;
};

const Instance& GetInstance(std::int32_t participants, std::int32_t statements) {
  static std::map<std::pair<std::int32_t, std::int32_t>, std::unique_ptr<Instance>> cache;
  auto& slot = cache[{participants, statements}];
  if (!slot) {
    PlantedConversationSpec spec;
    spec.participants = participants;
    spec.statements = statements;
    spec.groups = 3;
    spec.min_votes_each = 5;
    spec.max_votes_each = 60;
    spec.seed = 20261125;
    auto planted = GeneratePlantedConversation(spec);
    if (!planted.ok()) std::abort();
    auto matrix = VoteMatrix::FromVotes(participants, statements, planted->votes);
    if (!matrix.ok()) std::abort();
    slot = std::make_unique<Instance>(Instance{std::move(planted).value(), std::move(matrix).value()});
  }
  return *slot;
}

double Purity(const OpinionMap& map, const std::vector<std::int32_t>& planted) {
  std::map<std::pair<std::int32_t, std::int32_t>, std::int64_t> table;
  for (std::int32_t p = 0; p < map.num_participants; ++p) {
    if (map.participants[p].group >= 0) ++table[{map.participants[p].group, planted[p]}];
  }
  std::map<std::int32_t, std::int64_t> majority;
  for (const auto& [key, n] : table) majority[key.first] = std::max(majority[key.first], n);
  std::int64_t agree = 0;
  for (const auto& [g, n] : majority) agree += n;
  return map.num_clustered > 0 ? static_cast<double>(agree) / map.num_clustered : 0.0;
}

void BM_OpinionMap(benchmark::State& state) {
  const Instance& instance = GetInstance(static_cast<std::int32_t>(state.range(0)),
                                         static_cast<std::int32_t>(state.range(1)));
  OpinionMapOptions options;
  options.seed = 7;
  OpinionMap last;
  for (auto _ : state) {
    auto map = ComputeOpinionMap(instance.matrix, options);
    if (!map.ok()) {
      state.SkipWithError("map failed");
      return;
    }
    last = std::move(map).value();
    benchmark::DoNotOptimize(last.groups.data());
  }
  state.counters["groups"] = static_cast<double>(last.groups.size());
  state.counters["purity"] = Purity(last, instance.planted.group_of);
  state.counters["clustered"] =
      static_cast<double>(last.num_clustered) / std::max(1, last.num_participants);
  state.counters["votes"] = static_cast<double>(instance.matrix.num_votes());
  state.counters["pca_steps"] = last.pca.iterations[0];
  state.counters["silhouette"] = last.silhouette;
}

void BM_Pca(benchmark::State& state) {
  const Instance& instance = GetInstance(static_cast<std::int32_t>(state.range(0)),
                                         static_cast<std::int32_t>(state.range(1)));
  OpinionMapOptions options;
  options.seed = 7;
  for (auto _ : state) {
    Pca pca = ComputePca(instance.matrix, options);
    benchmark::DoNotOptimize(pca.components[0].data());
  }
}

BENCHMARK(BM_OpinionMap)
    ->Args({10000, 200})
    ->Args({100000, 1000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_Pca)
    ->Args({10000, 200})
    ->Args({100000, 1000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace communitise::deliberation

BENCHMARK_MAIN();
