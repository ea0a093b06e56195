#include "migrations.h"

#include <string_view>

#include "dialect.h"

namespace communitise::storage {
namespace {

// Portable SQL: {{ID}} is an auto-generated BIGINT key (see dialect.cpp). Times are
// BIGINT seconds since the epoch (UTC); flags are INTEGER 0/1; enums are TEXT names.
constexpr std::string_view kMigration1[] = {
    R"(CREATE TABLE audit_head (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      seq BIGINT NOT NULL,
      hash TEXT NOT NULL))",
    "INSERT INTO audit_head (id, seq, hash) VALUES "
    "(1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
    R"(CREATE TABLE audit_log (
      seq BIGINT PRIMARY KEY,
      at BIGINT NOT NULL,
      actor TEXT NOT NULL,
      programme_id BIGINT,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL))",
    "CREATE INDEX audit_log_programme ON audit_log (programme_id, seq)",

    R"(CREATE TABLE users (
      id {{ID}},
      email TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      site_admin INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE sessions (
      id {{ID}},
      token_hash TEXT NOT NULL UNIQUE,
      user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
      csrf_token TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL))",
    "CREATE INDEX sessions_expiry ON sessions (expires_at)",
    R"(CREATE TABLE sign_in_failures (
      id {{ID}},
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      at BIGINT NOT NULL))",
    "CREATE INDEX sign_in_failures_key ON sign_in_failures (kind, key, at)",

    R"(CREATE TABLE public_bodies (
      id {{ID}},
      slug TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE role_grants (
      id {{ID}},
      user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      public_body_id BIGINT NOT NULL REFERENCES public_bodies (id),
      programme_id BIGINT NOT NULL DEFAULT 0,
      role TEXT NOT NULL,
      granted_at BIGINT NOT NULL,
      UNIQUE (user_id, public_body_id, programme_id, role)))",
    R"(CREATE TABLE areas (
      id {{ID}},
      public_body_id BIGINT NOT NULL REFERENCES public_bodies (id),
      code TEXT NOT NULL,
      name TEXT NOT NULL,
      UNIQUE (public_body_id, code)))",
    R"(CREATE TABLE postcodes (
      public_body_id BIGINT NOT NULL REFERENCES public_bodies (id),
      postcode TEXT NOT NULL,
      area_id BIGINT NOT NULL REFERENCES areas (id),
      PRIMARY KEY (public_body_id, postcode)))",
    "CREATE INDEX postcodes_area ON postcodes (area_id)",
    R"(CREATE TABLE services (
      id {{ID}},
      public_body_id BIGINT NOT NULL REFERENCES public_bodies (id),
      name TEXT NOT NULL,
      nature TEXT NOT NULL,
      UNIQUE (public_body_id, name)))",

    R"(CREATE TABLE programmes (
      id {{ID}},
      public_body_id BIGINT NOT NULL REFERENCES public_bodies (id),
      slug TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      summary TEXT NOT NULL,
      eligibility_criteria TEXT NOT NULL,
      annual_budget_pence BIGINT,
      created_by BIGINT NOT NULL,
      created_at BIGINT NOT NULL))",
    // One row per scope the programme has had; the highest id is the current one.
    R"(CREATE TABLE programme_scopes (
      id {{ID}},
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      at BIGINT NOT NULL,
      nature TEXT NOT NULL,
      network TEXT NOT NULL,
      methods TEXT NOT NULL,
      depth TEXT NOT NULL,
      quadrants TEXT NOT NULL,
      area_codes TEXT NOT NULL,
      services TEXT NOT NULL,
      change_note TEXT NOT NULL))",
    "CREATE INDEX programme_scopes_programme ON programme_scopes (programme_id, id)",
    R"(CREATE TABLE programme_areas (
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      area_id BIGINT NOT NULL REFERENCES areas (id),
      PRIMARY KEY (programme_id, area_id)))",
    R"(CREATE TABLE programme_services (
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      service_id BIGINT NOT NULL REFERENCES services (id),
      PRIMARY KEY (programme_id, service_id)))",

    R"(CREATE TABLE constitutions (
      id {{ID}},
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      version INTEGER NOT NULL,
      text TEXT NOT NULL,
      rules TEXT NOT NULL,
      change_note TEXT NOT NULL,
      effective_from BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      created_by BIGINT NOT NULL,
      UNIQUE (programme_id, version)))",

    R"(CREATE TABLE memberships (
      id {{ID}},
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      status TEXT NOT NULL,
      basis TEXT NOT NULL,
      postcode TEXT,
      area_id BIGINT REFERENCES areas (id),
      statement TEXT,
      reason TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      decided_at BIGINT,
      decided_by BIGINT,
      UNIQUE (programme_id, user_id)))",
};

// Participatory budgeting rounds. Ballots are secret: pb_ballots holds no user id; a
// ballot is found again only through ballot_key, a keyed hash of (round, user) under
// the server secret in pb_secret, and pb_participation records who took part.
constexpr std::string_view kMigration3[] = {
    R"(CREATE TABLE pb_secret (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      secret TEXT NOT NULL))",
    R"(CREATE TABLE pb_rounds (
      id {{ID}},
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      title TEXT NOT NULL,
      budget_pence BIGINT NOT NULL,
      phase TEXT NOT NULL,
      rule TEXT NOT NULL,
      ballot_type TEXT NOT NULL,
      approval_min INTEGER NOT NULL,
      approval_max INTEGER NOT NULL,
      points INTEGER NOT NULL,
      constitution_version INTEGER NOT NULL,
      proposals_close BIGINT NOT NULL,
      voting_opens BIGINT NOT NULL,
      voting_closes BIGINT NOT NULL,
      results TEXT,
      published_at BIGINT,
      created_by BIGINT NOT NULL,
      created_at BIGINT NOT NULL))",
    "CREATE INDEX pb_rounds_programme ON pb_rounds (programme_id, id)",
    R"(CREATE TABLE pb_round_splits (
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      amount_pence BIGINT NOT NULL,
      PRIMARY KEY (round_id, kind, name)))",
    R"(CREATE TABLE pb_screeners (
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      user_id BIGINT NOT NULL REFERENCES users (id),
      PRIMARY KEY (round_id, user_id)))",
    R"(CREATE TABLE pb_projects (
      id {{ID}},
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      kind TEXT NOT NULL,
      proposer_id BIGINT NOT NULL REFERENCES users (id),
      org_name TEXT NOT NULL,
      org_number TEXT NOT NULL,
      title TEXT NOT NULL,
      summary TEXT NOT NULL,
      cost_pence BIGINT NOT NULL,
      requested_pence BIGINT NOT NULL,
      cost_reason TEXT NOT NULL,
      area TEXT NOT NULL,
      theme TEXT NOT NULL,
      outcomes TEXT NOT NULL,
      status TEXT NOT NULL,
      check_note TEXT NOT NULL,
      screening_reason TEXT NOT NULL,
      votes BIGINT,
      funded INTEGER,
      story TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL))",
    "CREATE INDEX pb_projects_round ON pb_projects (round_id, id)",
    R"(CREATE TABLE pb_attachments (
      id {{ID}},
      project_id BIGINT NOT NULL REFERENCES pb_projects (id),
      filename TEXT NOT NULL,
      content_type TEXT NOT NULL,
      data_base64 TEXT NOT NULL,
      size_bytes BIGINT NOT NULL,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE pb_conflicts (
      project_id BIGINT NOT NULL REFERENCES pb_projects (id),
      user_id BIGINT NOT NULL REFERENCES users (id),
      declaration TEXT NOT NULL,
      at BIGINT NOT NULL,
      PRIMARY KEY (project_id, user_id)))",
    R"(CREATE TABLE pb_participation (
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      user_id BIGINT NOT NULL REFERENCES users (id),
      channel TEXT NOT NULL,
      PRIMARY KEY (round_id, user_id)))",
    R"(CREATE TABLE pb_paper_batches (
      id {{ID}},
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      label TEXT NOT NULL,
      ballots INTEGER NOT NULL,
      entered_by BIGINT NOT NULL,
      confirmed_by BIGINT,
      status TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      confirmed_at BIGINT))",
    R"(CREATE TABLE pb_ballots (
      id {{ID}},
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      ballot_key TEXT NOT NULL UNIQUE,
      receipt_hash TEXT NOT NULL UNIQUE,
      choices TEXT NOT NULL,
      batch_id BIGINT REFERENCES pb_paper_batches (id)))",
    "CREATE INDEX pb_ballots_round ON pb_ballots (round_id, ballot_key)",
    R"(CREATE TABLE pb_awards (
      id {{ID}},
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      project_id BIGINT NOT NULL UNIQUE REFERENCES pb_projects (id),
      amount_pence BIGINT NOT NULL,
      awarded_at BIGINT NOT NULL,
      status TEXT NOT NULL,
      updated_at BIGINT NOT NULL))",
    R"(CREATE TABLE pb_award_updates (
      id {{ID}},
      award_id BIGINT NOT NULL REFERENCES pb_awards (id),
      kind TEXT NOT NULL,
      text TEXT NOT NULL,
      amount_pence BIGINT NOT NULL,
      evidence TEXT NOT NULL,
      at BIGINT NOT NULL,
      by_user BIGINT NOT NULL))",
    "CREATE INDEX pb_award_updates_award ON pb_award_updates (award_id, id)",
};

// Resident panels (address lists, invitation lottery, registration, selection jobs,
// members) and forums (members, sessions, evidence, attendance, training, opinion-map
// statements and votes, motions, obligations with delivery records, responses).
constexpr std::string_view kMigration4[] = {
    R"(CREATE TABLE panels (
      id {{ID}},
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      name TEXT NOT NULL,
      panel_size INTEGER NOT NULL,
      categories TEXT NOT NULL,
      codes_per_household INTEGER NOT NULL,
      invitation_seed TEXT,
      invitation_seed_published_at BIGINT,
      invitations_drawn_at BIGINT,
      draw_seed TEXT,
      drawn_at BIGINT,
      drawn_selection_id BIGINT,
      created_by BIGINT NOT NULL,
      created_at BIGINT NOT NULL))",
    "CREATE INDEX panels_programme ON panels (programme_id)",
    R"(CREATE TABLE panel_addresses (
      id {{ID}},
      panel_id BIGINT NOT NULL REFERENCES panels (id),
      position INTEGER NOT NULL,
      ref TEXT NOT NULL,
      lines TEXT NOT NULL,
      postcode TEXT NOT NULL,
      area_id BIGINT REFERENCES areas (id),
      UNIQUE (panel_id, ref),
      UNIQUE (panel_id, position)))",
    R"(CREATE TABLE panel_invitations (
      id {{ID}},
      panel_id BIGINT NOT NULL REFERENCES panels (id),
      address_id BIGINT NOT NULL REFERENCES panel_addresses (id),
      draw_order INTEGER NOT NULL,
      code TEXT NOT NULL UNIQUE,
      uses INTEGER NOT NULL,
      UNIQUE (panel_id, draw_order)))",
    R"(CREATE TABLE panel_respondents (
      id {{ID}},
      panel_id BIGINT NOT NULL REFERENCES panels (id),
      invitation_id BIGINT NOT NULL REFERENCES panel_invitations (id),
      user_id BIGINT NOT NULL REFERENCES users (id),
      features TEXT NOT NULL,
      availability TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      UNIQUE (panel_id, user_id)))",
    R"(CREATE TABLE panel_selections (
      id {{ID}},
      panel_id BIGINT NOT NULL REFERENCES panels (id),
      status TEXT NOT NULL,
      algorithm TEXT NOT NULL,
      progress TEXT NOT NULL,
      respondent_ids TEXT NOT NULL,
      result TEXT,
      error TEXT,
      seconds DOUBLE PRECISION,
      created_by BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      finished_at BIGINT))",
    "CREATE INDEX panel_selections_panel ON panel_selections (panel_id, id)",
    R"(CREATE TABLE panel_members (
      id {{ID}},
      panel_id BIGINT NOT NULL REFERENCES panels (id),
      respondent_id BIGINT NOT NULL REFERENCES panel_respondents (id),
      status TEXT NOT NULL,
      replaces BIGINT,
      note TEXT NOT NULL,
      at BIGINT NOT NULL,
      UNIQUE (panel_id, respondent_id)))",

    R"(CREATE TABLE forums (
      id {{ID}},
      programme_id BIGINT NOT NULL REFERENCES programmes (id),
      panel_id BIGINT REFERENCES panels (id),
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      purpose TEXT NOT NULL,
      binding INTEGER NOT NULL,
      community_statements INTEGER NOT NULL,
      created_by BIGINT NOT NULL,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE forum_members (
      id {{ID}},
      forum_id BIGINT NOT NULL REFERENCES forums (id),
      user_id BIGINT NOT NULL REFERENCES users (id),
      source TEXT NOT NULL,
      active INTEGER NOT NULL,
      joined_at BIGINT NOT NULL,
      UNIQUE (forum_id, user_id)))",
    R"(CREATE TABLE forum_sessions (
      id {{ID}},
      forum_id BIGINT NOT NULL REFERENCES forums (id),
      title TEXT NOT NULL,
      starts_at BIGINT NOT NULL,
      place TEXT NOT NULL,
      agenda TEXT NOT NULL,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE forum_evidence (
      id {{ID}},
      session_id BIGINT NOT NULL REFERENCES forum_sessions (id),
      kind TEXT NOT NULL,
      title TEXT NOT NULL,
      author TEXT NOT NULL,
      body TEXT NOT NULL,
      file_name TEXT,
      file_type TEXT,
      file_data TEXT,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE forum_attendance (
      session_id BIGINT NOT NULL REFERENCES forum_sessions (id),
      member_id BIGINT NOT NULL REFERENCES forum_members (id),
      PRIMARY KEY (session_id, member_id)))",
    R"(CREATE TABLE forum_training (
      id {{ID}},
      member_id BIGINT NOT NULL REFERENCES forum_members (id),
      course TEXT NOT NULL,
      completed_on BIGINT NOT NULL,
      accredited INTEGER NOT NULL,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE forum_statements (
      id {{ID}},
      forum_id BIGINT NOT NULL REFERENCES forums (id),
      author_id BIGINT NOT NULL REFERENCES users (id),
      text TEXT NOT NULL,
      created_at BIGINT NOT NULL))",
    R"(CREATE TABLE forum_statement_votes (
      statement_id BIGINT NOT NULL REFERENCES forum_statements (id),
      user_id BIGINT NOT NULL REFERENCES users (id),
      vote INTEGER NOT NULL,
      at BIGINT NOT NULL,
      PRIMARY KEY (statement_id, user_id)))",
    R"(CREATE TABLE forum_motions (
      id {{ID}},
      forum_id BIGINT NOT NULL REFERENCES forums (id),
      title TEXT NOT NULL,
      text TEXT NOT NULL,
      status TEXT NOT NULL,
      opened_at BIGINT NOT NULL,
      closed_at BIGINT,
      constitution_version INTEGER NOT NULL,
      outcome TEXT,
      response_due BIGINT,
      created_by BIGINT NOT NULL))",
    "CREATE INDEX forum_motions_forum ON forum_motions (forum_id, id)",
    R"(CREATE TABLE forum_motion_votes (
      motion_id BIGINT NOT NULL REFERENCES forum_motions (id),
      member_id BIGINT NOT NULL REFERENCES forum_members (id),
      choice TEXT NOT NULL,
      at BIGINT NOT NULL,
      PRIMARY KEY (motion_id, member_id)))",
    R"(CREATE TABLE forum_delivery_updates (
      id {{ID}},
      motion_id BIGINT NOT NULL REFERENCES forum_motions (id),
      progress_percent INTEGER NOT NULL,
      note TEXT NOT NULL,
      evidence TEXT NOT NULL,
      created_by BIGINT NOT NULL,
      at BIGINT NOT NULL))",
    R"(CREATE TABLE forum_responses (
      motion_id BIGINT PRIMARY KEY REFERENCES forum_motions (id),
      decision TEXT NOT NULL,
      reasons TEXT NOT NULL,
      created_by BIGINT NOT NULL,
      at BIGINT NOT NULL))",
};

// Selection jobs survive a restart: the runner holding a job, its last heartbeat and
// how many times it was started. The opinion map's data version, bumped with every
// statement and vote so a cached map is known to be current. A forum as the screening
// body of a participatory-budgeting round (and, for rounds without a public ballot,
// the body that decides which bids are funded), with a discussion per bid.
constexpr std::string_view kMigration5[] = {
    "ALTER TABLE panel_selections ADD COLUMN runner TEXT",
    "ALTER TABLE panel_selections ADD COLUMN heartbeat_at BIGINT",
    "ALTER TABLE panel_selections ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX panel_selections_status ON panel_selections (status, id)",
    "ALTER TABLE forums ADD COLUMN map_version BIGINT NOT NULL DEFAULT 0",
    "CREATE INDEX forum_statements_forum ON forum_statements (forum_id, id)",
    R"(CREATE TABLE pb_round_forums (
      round_id BIGINT PRIMARY KEY REFERENCES pb_rounds (id),
      forum_id BIGINT NOT NULL REFERENCES forums (id),
      panel_decides INTEGER NOT NULL))",
    "CREATE INDEX pb_round_forums_forum ON pb_round_forums (forum_id)",
    R"(CREATE TABLE pb_discussion (
      id {{ID}},
      project_id BIGINT NOT NULL REFERENCES pb_projects (id),
      user_id BIGINT NOT NULL REFERENCES users (id),
      text TEXT NOT NULL,
      at BIGINT NOT NULL))",
    "CREATE INDEX pb_discussion_project ON pb_discussion (project_id, id)",
};

// Receipts in a table of their own, one row per ballot: the receipt of its latest
// change. pb_ballots keeps the current receipt without an index on it, so changing a
// ballot changes no indexed column there (on PostgreSQL the row is updated in place on
// its page, a heap-only update, and the table leaves room for that).
// SQLite cannot drop a UNIQUE constraint, so there pb_ballots is built again.
// Receipt codes given since name their ballot by its id (see ballots.cpp) and need no
// row here: pb_receipts keeps the codes given before, which stay valid while their
// ballot's receipt_hash is theirs.
constexpr std::string_view kMigration6Sqlite[] = {
    R"(CREATE TABLE pb_ballots_rebuilt (
      id {{ID}},
      round_id BIGINT NOT NULL REFERENCES pb_rounds (id),
      ballot_key TEXT NOT NULL UNIQUE,
      receipt_hash TEXT NOT NULL,
      choices TEXT NOT NULL,
      batch_id BIGINT REFERENCES pb_paper_batches (id)))",
    "INSERT INTO pb_ballots_rebuilt (id, round_id, ballot_key, receipt_hash, choices, batch_id) "
    "SELECT id, round_id, ballot_key, receipt_hash, choices, batch_id FROM pb_ballots",
    "DROP TABLE pb_ballots",
    "ALTER TABLE pb_ballots_rebuilt RENAME TO pb_ballots",
    "CREATE INDEX pb_ballots_round ON pb_ballots (round_id, ballot_key)",
};
constexpr std::string_view kMigration6Postgres[] = {
    "ALTER TABLE pb_ballots DROP CONSTRAINT pb_ballots_receipt_hash_key",
    "ALTER TABLE pb_ballots SET (fillfactor = 75)",
};
constexpr std::string_view kMigration6[] = {
    R"(CREATE TABLE pb_receipts (
      receipt_hash TEXT PRIMARY KEY,
      ballot_id BIGINT NOT NULL REFERENCES pb_ballots (id)){{BY_KEY}})",
    // Paper ballots have no receipt anyone holds.
    "INSERT INTO pb_receipts (receipt_hash, ballot_id) "
    "SELECT receipt_hash, id FROM pb_ballots WHERE batch_id IS NULL",
};

std::vector<std::string> Translate(Backend backend, const auto& statements) {
  std::vector<std::string> out;
  for (std::string_view s : statements) out.push_back(dialect::Translate(backend, s));
  return out;
}

}  // namespace

std::vector<Migration> AllMigrations(Backend backend) {
  std::vector<Migration> all;
  all.push_back({1, "initial schema: audit log, accounts, bodies, areas, programmes, "
                    "constitutions, memberships",
                 Translate(backend, kMigration1)});
  all.push_back({2, "audit log is append-only", dialect::AuditAppendOnly(backend)});
  all.push_back({3, "participatory budgeting rounds, bids, secret ballots and awards",
                 Translate(backend, kMigration3)});
  all.push_back({4, "resident panels and forums", Translate(backend, kMigration4)});
  all.push_back({5, "resumable selection jobs, opinion-map versions, forums that screen "
                    "and decide bids",
                 Translate(backend, kMigration5)});
  std::vector<std::string> six = backend == Backend::kSqlite
                                     ? Translate(backend, kMigration6Sqlite)
                                     : Translate(backend, kMigration6Postgres);
  for (std::string& sql : Translate(backend, kMigration6)) six.push_back(std::move(sql));
  all.push_back({6, "receipts in a table of their own: a changed ballot changes no index",
                 std::move(six)});
  return all;
}

}  // namespace communitise::storage
