// Selection time through the application layer for every shared sortition instance: the
// quotas and respondents are imported as an organiser and residents would (panel with
// quotas, address list, published seed, invitations, one registration per respondent),
// then a LEXIMIN selection is queued and timed until the background worker finishes.
// Accounts are inserted directly (password hashing is not what is measured).
//
// Usage: panels_bench [INSTANCE ...]   (default: every instance below)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "communitise/app/app.h"
#include "communitise/sortition/csv_io.h"

namespace {

using namespace communitise;

struct Instance {
  const char* name;
  int size;
};
constexpr Instance kInstances[] = {{"example_small_20", 20},
                                   {"opendlp_monitoring_30", 30},
                                   {"sf_fixture_scotland_22", 22},
                                   {"example_large_200", 200},
                                   {"synthetic_ward_1000_20", 20}};

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int Run(const Instance& inst) {
  const auto dir = std::filesystem::path(COMMUNITISE_SHARED_DATA) / "sortition" / inst.name;
  auto quotas = sortition::ReadQuotasCsv(Read(dir / "categories.csv"), "categories.csv");
  if (!quotas.ok()) return std::fprintf(stderr, "%s\n", quotas.error().ToString().c_str()), 1;
  for (auto& c : quotas->categories) {
    for (auto& v : c.values) v.max = std::min(v.max, inst.size);
  }
  auto people = sortition::ReadRespondentsCsv(Read(dir / "respondents.csv"), "respondents.csv", *quotas);
  if (!people.ok()) return std::fprintf(stderr, "%s\n", people.error().ToString().c_str()), 1;

  const auto db_path = std::filesystem::temp_directory_path() / ("panels_bench_" + std::string(inst.name) + ".db");
  std::filesystem::remove(db_path);
  auto db = storage::Database::Open("sqlite:" + db_path.string());
  if (!db.ok() || !(*db)->Migrate().ok()) return std::fprintf(stderr, "database\n"), 1;
  SystemClock clock;
  app::App application(**db, clock);
  const app::Actor system = app::SystemActor();
  auto body = application.public_bodies().Create(&system, {"Bench Council", "bench", "council"});
  if (!body.ok()) return 1;
  if (!application.public_bodies().ImportAreas(&system, body->id, "pcds,wd24cd,wd24nm\nDH1 1AA,E1,North\n", "w.csv").ok()) return 1;
  app::CreateProgrammeForm pf;
  pf.public_body_id = body->id;
  pf.name = "Bench programme";
  pf.nature = "discretionary";
  pf.services = {"Parks"};
  pf.network = "geographic";
  pf.areas = {"E1"};
  pf.methods = {"non_binding_deliberation"};
  auto programme = application.programmes().Create(&system, pf);
  if (!programme.ok()) return std::fprintf(stderr, "%s\n", programme.error().ToString().c_str()), 1;
  auto panel = application.panels().Create(
      &system, programme->id, {inst.name, inst.size, sortition::WriteQuotasCsv(*quotas), 1});
  if (!panel.ok()) return std::fprintf(stderr, "%s\n", panel.error().ToString().c_str()), 1;
  const size_t n = people->people.size();
  std::string addresses = "id,line1,postcode\n";
  for (size_t i = 0; i < n; ++i) addresses += "A" + std::to_string(i) + ",House " + std::to_string(i) + ",DH1 1AA\n";
  const auto t0 = std::chrono::steady_clock::now();
  if (!application.panels().ImportAddresses(&system, panel->id, addresses, "a.csv").ok()) return 1;
  if (!application.panels().PublishInvitationSeed(&system, panel->id, "1").ok()) return 1;
  if (!application.panels().DrawInvitations(&system, panel->id, static_cast<int>(n)).ok()) return 1;
  auto letters = application.panels().Letters(&system, panel->id);
  for (size_t i = 0; i < n; ++i) {
    int64_t uid = 0;
    Status s = (*db)->Transact([&](storage::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(uid, tx.Insert("INSERT INTO users (email, display_name, password_hash, "
                                      "created_at) VALUES (:e, :n, 'x', 0) RETURNING id",
                                      {"p" + std::to_string(i) + "@bench.test", "P" + std::to_string(i)}));
      return Status::Ok();
    });
    if (!s.ok()) return 1;
    app::Actor a;
    a.user_id = uid;
    app::RegisterForm r{(*letters)[i].code, {}, "", true};
    const auto& person = people->people[i];
    for (size_t c = 0; c < quotas->categories.size(); ++c) {
      r.features[quotas->categories[c].name] = quotas->categories[c].values[person.values[c]].name;
    }
    auto reg = application.panels().Register(&a, r);
    if (!reg.ok()) return std::fprintf(stderr, "%s\n", reg.error().ToString().c_str()), 1;
  }
  const auto t1 = std::chrono::steady_clock::now();
  auto started = application.panels().StartSelection(&system, panel->id, "leximin");
  if (!started.ok()) return std::fprintf(stderr, "%s\n", started.error().ToString().c_str()), 1;
  application.panels().WaitForSelections();
  const auto t2 = std::chrono::steady_clock::now();
  auto s = application.panels().GetSelection(&system, started->id);
  std::printf("%-24s pool %5zu k %3d  import+register %6.2f s  selection %7.2f s (engine %7.2f s)  "
              "status %s  min %.6f\n",
              inst.name, n, inst.size, std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count(), s->seconds,
              std::string(app::ToString(s->status)).c_str(), s->min_probability);
  std::filesystem::remove(db_path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int rc = 0;
  for (const Instance& inst : kInstances) {
    bool wanted = argc == 1;
    for (int i = 1; i < argc; ++i) wanted |= std::string(argv[i]) == inst.name;
    if (wanted) rc |= Run(inst);
  }
  return rc;
}
