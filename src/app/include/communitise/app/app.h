// App: the application layer's facade — one object per server holding every component.
//
// Construct one from a migrated Database and a Clock (both must outlive it) and share it
// between request handlers: every component is safe for concurrent use. Methods take a
// `const Actor*` (nullptr = anonymous), a plain form struct, and return Result<...>.
// Errors follow communitise/core/result.h; field-level problems carry field names as
// documented in each component's header.
#ifndef COMMUNITISE_APP_APP_H_
#define COMMUNITISE_APP_APP_H_

#include "communitise/app/accounts.h"
#include "communitise/app/constitutions.h"
#include "communitise/app/demo.h"
#include "communitise/app/forums.h"
#include "communitise/app/history.h"
#include "communitise/app/memberships.h"
#include "communitise/app/pb_rounds.h"
#include "communitise/app/panels.h"
#include "communitise/app/programmes.h"
#include "communitise/app/public_bodies.h"
#include "communitise/app/types.h"
#include "communitise/core/clock.h"
#include "communitise/storage/database.h"

namespace communitise::app {

class App {
 public:
  App(storage::Database& db, Clock& clock)
      : db_(db), clock_(clock), accounts_(db, clock), public_bodies_(db, clock),
        programmes_(db, clock), constitutions_(db, clock), memberships_(db, clock),
        history_(db), pb_rounds_(db, clock), panels_(db, clock), forums_(db, clock) {}

  storage::Database& db() { return db_; }
  Clock& clock() { return clock_; }
  Accounts& accounts() { return accounts_; }
  PublicBodies& public_bodies() { return public_bodies_; }
  Programmes& programmes() { return programmes_; }
  Constitutions& constitutions() { return constitutions_; }
  Memberships& memberships() { return memberships_; }
  History& history() { return history_; }
  PbRounds& pb_rounds() { return pb_rounds_; }
  Panels& panels() { return panels_; }
  Forums& forums() { return forums_; }

 private:
  storage::Database& db_;
  Clock& clock_;
  Accounts accounts_;
  PublicBodies public_bodies_;
  Programmes programmes_;
  Constitutions constitutions_;
  Memberships memberships_;
  History history_;
  PbRounds pb_rounds_;
  Panels panels_;
  Forums forums_;
};

}  // namespace communitise::app

#endif  // COMMUNITISE_APP_APP_H_
