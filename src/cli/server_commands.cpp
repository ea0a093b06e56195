// Server administration subcommands: migrate, admin create-user / create-body /
// grant-role, areas import, audit verify. Each opens the database named by --database,
// runs one use case through the application layer and reports in plain words; a
// failure sets a non-zero exit code.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "communitise/app/app.h"
#include "communitise/core/clock.h"
#include "communitise/storage/audit.h"
#include "communitise/storage/database.h"

namespace communitise::cli {

namespace {

constexpr char kDefaultDatabase[] = "sqlite:var/communitise.db";

void Report(const Error& e) {
  std::cerr << "communitise: " << e.public_message << "\n";
  for (const auto& f : e.fields) {
    if (f.message != e.public_message) std::cerr << "  " << f.field << ": " << f.message << "\n";
  }
  if (!e.internal_message.empty()) std::cerr << "  (" << e.internal_message << ")\n";
}

// Opens and migrates the database, or reports why not.
std::unique_ptr<storage::Database> OpenMigrated(const std::string& url, int& exit_code) {
  auto db = storage::Database::Open(url);
  if (!db.ok()) {
    Report(db.error());
    exit_code = 1;
    return nullptr;
  }
  if (Status s = (*db)->Migrate(); !s.ok()) {
    Report(s.error());
    exit_code = 1;
    return nullptr;
  }
  return std::move(db).value();
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

struct UserOptions {
  std::string database = kDefaultDatabase;
  std::string email, password, password_file, name;
  bool site_admin = false;
};

struct GrantOptions {
  std::string database = kDefaultDatabase;
  std::string email, body, role, programme;
};

struct BodyOptions {
  std::string database = kDefaultDatabase;
  std::string name, slug, kind = "council";
};

struct ImportOptions {
  std::string database = kDefaultDatabase;
  std::string body, file;
};

}  // namespace

void AddServerCommands(CLI::App& root, int& exit_code) {
  // migrate
  auto migrate_db = std::make_shared<std::string>(kDefaultDatabase);
  CLI::App* migrate = root.add_subcommand("migrate", "Create or update the database schema");
  migrate->add_option("--database", *migrate_db, "sqlite:PATH or postgresql://…")
      ->capture_default_str();
  migrate->callback([migrate_db, &exit_code] {
    auto db = OpenMigrated(*migrate_db, exit_code);
    if (!db) return;
    auto version = db->SchemaVersion();
    if (!version.ok()) {
      Report(version.error());
      exit_code = 1;
      return;
    }
    std::cout << "Database is at schema version " << *version << "\n";
  });

  // admin …
  CLI::App* admin = root.add_subcommand("admin", "Administer accounts, public bodies and roles");
  admin->require_subcommand(1);

  auto user = std::make_shared<UserOptions>();
  CLI::App* create_user = admin->add_subcommand("create-user", "Create an account");
  create_user->add_option("--database", user->database, "sqlite:PATH or postgresql://…")
      ->capture_default_str();
  create_user->add_option("--email", user->email, "Email address")->required();
  auto* pw = create_user->add_option("--password", user->password,
                                     "Password (prefer --password-file: arguments are visible "
                                     "to other users of the machine)");
  auto* pw_file =
      create_user->add_option("--password-file", user->password_file, "File holding the password");
  pw->excludes(pw_file);
  create_user->add_option("--name", user->name, "Display name")->required();
  create_user->add_flag("--site-admin", user->site_admin, "Make the account a site admin");
  create_user->callback([user, &exit_code] {
    std::string password = user->password;
    if (!user->password_file.empty()) {
      if (!ReadFile(user->password_file, password)) {
        std::cerr << "communitise: cannot read " << user->password_file << "\n";
        exit_code = 1;
        return;
      }
      while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
        password.pop_back();
      }
    }
    if (password.empty()) {
      std::cerr << "communitise: give --password-file FILE or --password PASSWORD\n";
      exit_code = 2;
      return;
    }
    auto db = OpenMigrated(user->database, exit_code);
    if (!db) return;
    SystemClock clock;
    app::App application(*db, clock);
    const app::Actor system = app::SystemActor();
    auto id = application.accounts().CreateUser(
        &system, {user->email, password, user->name, user->site_admin});
    if (!id.ok()) {
      Report(id.error());
      exit_code = 1;
      return;
    }
    std::cout << "Created account " << *id << " for " << user->email
              << (user->site_admin ? " (site admin)" : "") << "\n";
  });

  auto body = std::make_shared<BodyOptions>();
  CLI::App* create_body = admin->add_subcommand("create-body", "Register a public body");
  create_body->add_option("--database", body->database, "sqlite:PATH or postgresql://…")
      ->capture_default_str();
  create_body->add_option("--name", body->name, "Name, e.g. \"Durham County Council\"")->required();
  create_body->add_option("--slug", body->slug, "Web address name (default: from the name)");
  create_body->add_option("--kind", body->kind, "council | nhs | foundation | other")
      ->capture_default_str();
  create_body->callback([body, &exit_code] {
    auto db = OpenMigrated(body->database, exit_code);
    if (!db) return;
    SystemClock clock;
    app::App application(*db, clock);
    const app::Actor system = app::SystemActor();
    auto created = application.public_bodies().Create(&system, {body->name, body->slug, body->kind});
    if (!created.ok()) {
      Report(created.error());
      exit_code = 1;
      return;
    }
    std::cout << "Created public body " << created->id << " (" << created->slug << ")\n";
  });

  auto grant = std::make_shared<GrantOptions>();
  CLI::App* grant_role = admin->add_subcommand("grant-role", "Give someone a role in a body");
  grant_role->add_option("--database", grant->database, "sqlite:PATH or postgresql://…")
      ->capture_default_str();
  grant_role->add_option("--email", grant->email, "The person's email address")->required();
  grant_role->add_option("--body", grant->body, "The public body's web address name")->required();
  grant_role->add_option("--role", grant->role,
                         "member | officer | facilitator | community_researcher | councillor | "
                         "partner | admin")
      ->required();
  grant_role->add_option("--programme", grant->programme,
                         "Limit the role to one programme (its web address name)");
  grant_role->callback([grant, &exit_code] {
    auto db = OpenMigrated(grant->database, exit_code);
    if (!db) return;
    SystemClock clock;
    app::App application(*db, clock);
    const app::Actor system = app::SystemActor();
    auto b = application.public_bodies().GetBySlug(grant->body);
    if (!b.ok()) {
      Report(b.error());
      exit_code = 1;
      return;
    }
    int64_t programme_id = 0;
    if (!grant->programme.empty()) {
      auto p = application.programmes().GetBySlug(grant->programme);
      if (!p.ok()) {
        Report(p.error());
        exit_code = 1;
        return;
      }
      programme_id = p->id;
    }
    Status s = application.accounts().GrantRole(&system,
                                                {grant->email, grant->role, b->id, programme_id});
    if (!s.ok()) {
      Report(s.error());
      exit_code = 1;
      return;
    }
    std::cout << "Granted " << grant->role << " to " << grant->email << "\n";
  });

  // areas import
  auto import = std::make_shared<ImportOptions>();
  CLI::App* areas = root.add_subcommand("areas", "Manage a public body's areas");
  areas->require_subcommand(1);
  CLI::App* import_cmd = areas->add_subcommand(
      "import", "Import a postcode→ward CSV (ONS Postcode Directory columns: pcds, wd24cd, wd24nm)");
  import_cmd->add_option("--database", import->database, "sqlite:PATH or postgresql://…")
      ->capture_default_str();
  import_cmd->add_option("--body", import->body, "The public body's web address name")->required();
  import_cmd->add_option("file", import->file, "CSV file")->required();
  import_cmd->callback([import, &exit_code] {
    std::string text;
    if (!ReadFile(import->file, text)) {
      std::cerr << "communitise: cannot read " << import->file << "\n";
      exit_code = 1;
      return;
    }
    auto db = OpenMigrated(import->database, exit_code);
    if (!db) return;
    SystemClock clock;
    app::App application(*db, clock);
    const app::Actor system = app::SystemActor();
    auto b = application.public_bodies().GetBySlug(import->body);
    if (!b.ok()) {
      Report(b.error());
      exit_code = 1;
      return;
    }
    auto summary = application.public_bodies().ImportAreas(&system, b->id, text, import->file);
    if (!summary.ok()) {
      Report(summary.error());
      exit_code = 1;
      return;
    }
    std::cout << "Imported " << summary->postcodes << " postcodes in " << summary->areas
              << " areas\n";
  });

  // audit verify
  auto audit_db = std::make_shared<std::string>(kDefaultDatabase);
  CLI::App* audit = root.add_subcommand("audit", "Work with the audit log");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "Check the audit log's hash chain; exit 1 and name the row if it is broken");
  verify->add_option("--database", *audit_db, "sqlite:PATH or postgresql://…")
      ->capture_default_str();
  verify->callback([audit_db, &exit_code] {
    auto db = storage::Database::Open(*audit_db);
    if (!db.ok()) {
      Report(db.error());
      exit_code = 2;
      return;
    }
    auto result = storage::VerifyAuditLog(**db);
    if (!result.ok()) {
      Report(result.error());
      exit_code = 2;
      return;
    }
    if (!result->ok) {
      std::cout << "BROKEN: " << result->problem << " (row " << result->broken_seq << ", after "
                << result->rows_checked << " rows checked)\n";
      exit_code = 1;
      return;
    }
    std::cout << "OK: " << result->rows_checked << " audit rows form one unbroken chain\n";
  });
}

}  // namespace communitise::cli
