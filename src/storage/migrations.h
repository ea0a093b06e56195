// The numbered schema migrations, shared by SQLite and PostgreSQL. Internal to
// src/storage; Database::Migrate() applies them. A migration, once committed to the
// main branch, is never edited: changes go in a new, higher-numbered migration.
#ifndef COMMUNITISE_STORAGE_MIGRATIONS_H_
#define COMMUNITISE_STORAGE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "communitise/storage/database.h"

namespace communitise::storage {

struct Migration {
  int version = 0;
  std::string name;
  std::vector<std::string> statements;  // already translated for the backend
};

// Every migration, in version order, translated for `backend`.
std::vector<Migration> AllMigrations(Backend backend);

}  // namespace communitise::storage

#endif  // COMMUNITISE_STORAGE_MIGRATIONS_H_
