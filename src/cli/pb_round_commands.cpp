// communitise pb-round rehearsal-voters|ballots: administration of participatory-
// budgeting rounds on a server's database, through the application layer.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/storage/database.h"

namespace communitise::cli {
namespace {

struct PbRoundOptions {
  std::string database = "sqlite:var/communitise.db";
  std::string programme;
  int count = 100;
  std::string prefix = "voter@rehearsal.communitise.test";
  std::string password;
  std::string out;
  int64_t round = 0;
};

int Fail(const Error& e) {
  std::cerr << "communitise: " << e.public_message << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  if (!e.internal_message.empty()) std::cerr << "  (" << e.internal_message << ")\n";
  return 1;
}

int RehearsalVoters(const PbRoundOptions& o) {
  auto db = storage::Database::Open(o.database);
  if (!db.ok()) return Fail(db.error());
  if (Status s = (*db)->Migrate(); !s.ok()) return Fail(s.error());
  SystemClock clock;
  app::App application(**db, clock);
  auto p = application.programmes().GetBySlug(o.programme);
  if (!p.ok()) return Fail(p.error());
  const app::Actor system = app::SystemActor();
  auto voters = app::CreateRehearsalVoters(application, &system, p->id, o.count, o.prefix, o.password);
  if (!voters.ok()) return Fail(voters.error());
  std::ofstream out(o.out);
  if (!out) return Fail(Error::InvalidArgument("cannot write " + o.out));
  for (const auto& v : *voters) out << v.session_token << " " << v.csrf_token << "\n";
  std::cout << "created " << voters->size() << " signed-in members of " << p->name
            << "; sessions in " << o.out << "\n";
  return 0;
}

int Ballots(const PbRoundOptions& o) {
  auto db = storage::Database::Open(o.database);
  if (!db.ok()) return Fail(db.error());
  SystemClock clock;
  app::App application(**db, clock);
  auto round = application.pb_rounds().Get(o.round);
  if (!round.ok()) return Fail(round.error());
  std::cout << round->ballots << "\n";
  return 0;
}

}  // namespace

void AddPbRoundCommands(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<PbRoundOptions>();
  auto* cmd = app.add_subcommand("pb-round", "Participatory budgeting rounds on the server's database");
  cmd->require_subcommand(1);
  auto* voters = cmd->add_subcommand(
      "rehearsal-voters",
      "Create signed-in members in bulk to rehearse or load-test a round; writes one "
      "'SESSION_TOKEN CSRF_TOKEN' line per voter");
  voters->add_option("--database", o->database, "sqlite:PATH or postgresql://...");
  voters->add_option("--programme", o->programme, "Programme slug")->required();
  voters->add_option("--count", o->count, "How many voters (1..200000)");
  voters->add_option("--prefix", o->prefix, "Emails are LOCALn@DOMAIN from this LOCAL@DOMAIN");
  voters->add_option("--password", o->password, "Their shared password (10+ characters)")->required();
  voters->add_option("--out", o->out, "File for the sessions")->required();
  voters->callback([o, &exit_code] { exit_code = RehearsalVoters(*o); });
  auto* ballots = cmd->add_subcommand("ballots", "Print the number of ballots counted in a round");
  ballots->add_option("--database", o->database, "sqlite:PATH or postgresql://...");
  ballots->add_option("--round", o->round, "Round id")->required();
  ballots->callback([o, &exit_code] { exit_code = Ballots(*o); });
}

}  // namespace communitise::cli
