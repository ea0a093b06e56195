// pb_round_bench [--voters N] [--projects P] [--rule greedy|equal_shares|phragmen]
//                [--database URL] [--areas K] [--export PREFIX]
// A round as large as a city's: N members each cast an approval ballot (through the
// same group-commit writer as the web server, from 32 threads) on P projects, then the
// officer closes voting and the results are computed by the PB engine, stored and
// published. Prints the ballot rate and the time from close to published. With
// --areas K the fund is split into K areas (projects spread over them), each decided
// on its own. With --export PREFIX the pabulib file(s) are written to PREFIX.pb (or
// PREFIX-partN.pb) and the published funded project ids printed, to check with
// another tool (bench/pb_pabutools.py). A measurement, not a test.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <ctime>
#include <thread>

#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/storage/database.h"

using namespace communitise;

namespace {
double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
int Die(const Error& e) {
  std::cerr << "error: " << e.ToString() << "\n";
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  int voters = 100000, projects = 150;
  std::string rule = "equal_shares";
  std::string url, export_prefix;
  int areas = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--areas")) areas = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--export")) export_prefix = argv[i + 1];
    if (!std::strcmp(argv[i], "--voters")) voters = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--projects")) projects = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--rule")) rule = argv[i + 1];
    if (!std::strcmp(argv[i], "--database")) url = argv[i + 1];
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("communitise-pb-round-bench-" + std::to_string(::getpid()) + ".db");
  if (url.empty()) url = "sqlite:" + path.string();
  auto db = storage::Database::Open(url);
  if (!db.ok()) return Die(db.error());
  if (auto s = (*db)->Migrate(); !s.ok()) return Die(s.error());
  SystemClock clock;
  auto demo = app::SeedDemo(**db, clock);
  if (!demo.ok()) return Die(demo.error());
  app::App a(**db, clock);
  const app::Actor system = app::SystemActor();
  auto programme = a.programmes().GetBySlug(demo->programme_slugs.at(0));
  if (!programme.ok()) return Die(programme.error());
  if (rule != "equal_shares") {
    auto c = a.constitutions().Current(programme->id);
    if (!c.ok()) return Die(c.error());
    app::AmendConstitutionForm amend{c->text, c->rules, "Benchmark rule", std::nullopt};
    amend.rules.pb_rule = *app::ParsePbRule(rule);
    if (auto s = a.constitutions().Amend(&system, programme->id, amend); !s.ok()) return Die(s.error());
  }
  auto t = std::chrono::steady_clock::now();
  auto people = app::CreateRehearsalVoters(a, &system, programme->id, voters,
                                           "bench@pb.communitise.test", "bench-password");
  if (!people.ok()) return Die(people.error());
  std::cout << "members created: " << voters << " in " << Since(t) << " s\n";

  std::optional<int64_t> officer_id;
  if (auto s = (*db)->Read([&](storage::Tx& tx) -> Status {
        ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM users WHERE email = :e",
                                               {"officer@demo.communitise.test"}));
        if (row) officer_id = row->Int(0);
        return Status::Ok();
      });
      !s.ok() || !officer_id) {
    return Die(Error::Internal("demo officer missing"));
  }
  auto officer_actor = a.accounts().LoadActor(*officer_id);
  if (!officer_actor.ok()) return Die(officer_actor.error());
  const app::Actor& officer = *officer_actor;
  const int64_t now = clock.NowSeconds();
  app::OpenRoundForm open;
  open.title = "Benchmark round";
  open.proposals_close = now + 3600;
  open.voting_opens = now + 3600;
  open.voting_closes = now + 86400;
  open.screeners = {"bench1@pb.communitise.test"};
  std::mt19937_64 rng(42);
  std::vector<int64_t> costs;
  int64_t total = 0;
  for (int i = 0; i < projects; ++i) {
    costs.push_back((5000 + static_cast<int64_t>(rng() % 95000)) * 100);
    total += costs.back();
  }
  open.budget_pence = total / 4;
  for (int k = 0; k < areas; ++k) {  // the last area takes what division leaves over
    const int64_t share = open.budget_pence / areas;
    open.splits.push_back({"area", "Area " + std::to_string(k + 1),
                           k + 1 < areas ? share : open.budget_pence - share * (areas - 1)});
  }
  auto round = a.pb_rounds().Open(&officer, programme->id, open);
  if (!round.ok()) return Die(round.error());
  std::vector<int64_t> ids;
  for (int i = 0; i < projects; ++i) {
    app::ProjectForm f;
    f.title = "Project " + std::to_string(i + 1);
    f.summary = "Benchmark project";
    f.cost_pence = costs[i];
    if (areas > 0) {
      f.area = "Area " + std::to_string(i % areas + 1);
      f.cost_pence = std::min(f.cost_pence, open.budget_pence / areas);
    }
    auto p = a.pb_rounds().Submit(&officer, round->id, f);
    if (!p.ok()) return Die(p.error());
    ids.push_back(p->id);
  }
  if (auto s = a.pb_rounds().SetPhase(&officer, round->id, "screening"); !s.ok()) return Die(s.error());
  auto screener = a.accounts().LoadActor((*people)[0].user_id);
  for (int64_t id : ids) {
    if (auto s = a.pb_rounds().Check(&officer, id, {}); !s.ok()) return Die(s.error());
    if (auto s = a.pb_rounds().Screen(&*screener, id, {"accept", "ok"}); !s.ok()) return Die(s.error());
  }
  if (auto s = a.pb_rounds().SetPhase(&officer, round->id, "voting"); !s.ok()) return Die(s.error());

  // Popularity falls with the project's index (Zipf-like), as in real rounds.
  std::vector<double> weights;
  for (int i = 0; i < projects; ++i) weights.push_back(1.0 / (1 + i * 0.3));
  const int kThreads = 32;
  const int max_len = std::max(1, round->approval_max);
  t = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      std::mt19937_64 r(1000 + th);
      std::discrete_distribution<int> pick(weights.begin(), weights.end());
      for (int v = th; v < voters; v += kThreads) {
        auto actor = a.accounts().LoadActor((*people)[v].user_id);
        if (!actor.ok()) { ++failed; continue; }
        app::CastBallotForm b;
        const int n = 1 + static_cast<int>(r() % max_len);
        while (static_cast<int>(b.choices.size()) < n) {
          int64_t id = ids[pick(r)];
          if (std::find(b.choices.begin(), b.choices.end(), id) == b.choices.end()) b.choices.push_back(id);
        }
        if (!a.pb_rounds().CastBallot(&*actor, round->id, b).ok()) ++failed;
      }
    });
  }
  for (auto& th : threads) th.join();
  const double cast_s = Since(t);
  std::cout << "ballots cast: " << voters - failed << " (" << failed << " failed) in " << cast_s
            << " s = " << (voters - failed) / cast_s << " ballots/s in process\n";

  t = std::chrono::steady_clock::now();
  // The close runs on this thread: its CPU time says what the machine's load does not.
  timespec cpu0{}, cpu1{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
  auto closed = a.pb_rounds().SetPhase(&officer, round->id, "results");
  if (!closed.ok()) return Die(closed.error());
  const double close_s = Since(t);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
  const double close_cpu_s = (cpu1.tv_sec - cpu0.tv_sec) + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e9;
  auto results = a.pb_rounds().Results(round->id);
  if (!results.ok()) return Die(results.error());
  int funded = 0;
  for (const auto& p : results->projects) funded += p.funded;
  std::cout << "rule " << results->rule << ": " << results->ballots << " ballots, " << projects
            << " projects, " << funded << " funded; close to published (engine, margins, "
            << "stories, awards, audit) " << close_s << " s (" << close_cpu_s
            << " s of CPU on the closing thread)\n";
  for (size_t part = 0; part < results->parts.size(); ++part) {
    const auto& pr = results->parts[part];
    std::vector<std::string> ids_funded;
    for (const auto& p : results->projects) {
      if (p.funded && p.part == static_cast<int>(part)) ids_funded.push_back(std::to_string(p.project_id));
    }
    std::sort(ids_funded.begin(), ids_funded.end());
    std::string list;
    for (const auto& id : ids_funded) list += (list.empty() ? "" : ",") + id;
    t = std::chrono::steady_clock::now();
    auto file = results->parts.size() > 1 ? a.pb_rounds().ExportPabulib(round->id, static_cast<int>(part))
                                          : a.pb_rounds().ExportPabulib(round->id);
    if (!file.ok()) return Die(file.error());
    std::cout << "part " << part + 1 << " " << (pr.name.empty() ? "(whole fund)" : pr.name)
              << ": " << pr.voters << " voters, spent " << pr.spent_pence << " of "
              << pr.budget_pence << " pence; pabulib export " << file->size() / 1024 << " KiB in "
              << Since(t) << " s\n";
    if (!export_prefix.empty()) {
      const std::string name = export_prefix + (results->parts.size() > 1
                                                    ? "-part" + std::to_string(part + 1) : "") + ".pb";
      std::ofstream(name) << *file;
      std::cout << "wrote " << name << "\nfunded " << list << "\n";
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return 0;
}
