// Use cases: sessions with agendas, evidence packs and speakers, attendance, training.
#include <sodium.h>

#include <cstring>
#include <set>

#include "../common/util.h"
#include "communitise/app/forums.h"
#include "store.h"

namespace communitise::app {
namespace {

constexpr size_t kMaxFileBytes = 2 * 1024 * 1024;

std::string ToBase64(std::string_view data) {
  std::string out(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string FromBase64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "";
  }
  out.resize(len);
  return out;
}

constexpr std::string_view kEvidenceColumns =
    "SELECT id, session_id, kind, title, author, body, file_name, file_type, created_at "
    "FROM forum_evidence";

Evidence EvidenceFromRow(const storage::Row& r) {
  return {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.OptText(6),
          r.OptText(7), r.Int(8)};
}

Result<ForumSession> LoadSession(storage::Tx& tx, int64_t session_id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, forum_id, title, starts_at, place, agenda "
                                         "FROM forum_sessions WHERE id = :id",
                                         {session_id}));
  if (!row) return Error::NotFound("No such session");
  ForumSession s{row->Int(0), row->Int(1), row->Text(2), row->Int(3), row->Text(4), row->Text(5),
                 {}, {}};
  ASSIGN_OR_RETURN(auto ev, tx.Query(std::string(kEvidenceColumns) +
                                         " WHERE session_id = :s ORDER BY id",
                                     {session_id}));
  for (const auto& r : ev) s.evidence.push_back(EvidenceFromRow(r));
  ASSIGN_OR_RETURN(auto att, tx.Query("SELECT member_id FROM forum_attendance WHERE "
                                      "session_id = :s ORDER BY member_id",
                                      {session_id}));
  for (const auto& r : att) s.attended.push_back(r.Int(0));
  return s;
}

}  // namespace

Result<ForumSession> Forums::AddSession(const Actor* actor, int64_t forum_id,
                                        const SessionForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  ForumSession out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    std::vector<FieldError> errors;
    const std::string title = internal::Trim(form.title), place = internal::Trim(form.place),
                      agenda = internal::Trim(form.agenda);
    internal::CheckLength(errors, "title", "the session's title", title, 1, 200);
    internal::CheckLength(errors, "place", "the place", place, 0, 200);
    internal::CheckLength(errors, "agenda", "the agenda", agenda, 1, 10000);
    if (form.starts_at <= 0) errors.push_back({"starts_at", "Enter the date of the session"});
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    ASSIGN_OR_RETURN(int64_t id,
                     tx.Insert("INSERT INTO forum_sessions (forum_id, title, starts_at, place, "
                               "agenda, created_at) VALUES (:f, :t, :s, :p, :a, :c) RETURNING id",
                               {forum_id, title, form.starts_at, place, agenda, now}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, f.programme_id, "forum.session.add",
                                    "forum_session:" + std::to_string(id),
                                    {{"forum_id", forum_id}, {"title", title}}));
    ASSIGN_OR_RETURN(out, LoadSession(tx, id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<ForumSession>> Forums::Sessions(int64_t forum_id) {
  std::vector<ForumSession> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM forum_sessions WHERE forum_id = :f "
                                         "ORDER BY starts_at, id",
                                         {forum_id}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(ForumSession s, LoadSession(tx, r.Int(0)));
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ForumSession> Forums::GetSession(int64_t session_id) {
  ForumSession out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, LoadSession(tx, session_id));
    return Status::Ok();
  }));
  return out;
}

Result<Evidence> Forums::AddEvidence(const Actor* actor, int64_t session_id,
                                     const EvidenceForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Evidence out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(ForumSession s, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, s.forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    std::vector<FieldError> errors;
    if (form.kind != "evidence" && form.kind != "speaker") {
      errors.push_back({"kind", "Choose evidence or speaker"});
    }
    const std::string title = internal::Trim(form.title), author = internal::Trim(form.author),
                      body = internal::Trim(form.body);
    internal::CheckLength(errors, "title", "the title", title, 1, 200);
    internal::CheckLength(errors, "author", "the author or speaker", author, 0, 200);
    internal::CheckLength(errors, "body", "the text", body, 1, 50000);
    const bool has_file = !form.file_data.empty();
    if (form.file_data.size() > kMaxFileBytes) {
      errors.push_back({"file", "The file must be smaller than 2 MB"});
    }
    const std::string file_name = internal::Trim(form.file_name);
    if (has_file && (file_name.empty() || !internal::ValidUtf8(file_name) ||
                     file_name.find_first_of("/\\\"") != std::string::npos)) {
      errors.push_back({"file", "The file needs a plain name"});
    }
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    const std::string type = form.file_type.empty() ? "application/octet-stream" : form.file_type;
    ASSIGN_OR_RETURN(int64_t id,
                     tx.Insert("INSERT INTO forum_evidence (session_id, kind, title, author, "
                               "body, file_name, file_type, file_data, created_at) VALUES (:s, "
                               ":k, :t, :a, :b, :fn, :ft, :fd, :c) RETURNING id",
                               {session_id, form.kind, title, author, body,
                                has_file ? storage::Value(file_name) : storage::Null(),
                                has_file ? storage::Value(type) : storage::Null(),
                                has_file ? storage::Value(ToBase64(form.file_data))
                                         : storage::Null(),
                                now}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, f.programme_id, "forum.evidence.publish",
                                    "forum_evidence:" + std::to_string(id),
                                    {{"session_id", session_id}, {"kind", form.kind},
                                     {"title", title}}));
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kEvidenceColumns) + " WHERE id = :id", {id}));
    out = EvidenceFromRow(*row);
    return Status::Ok();
  }));
  return out;
}

Result<std::pair<Evidence, std::string>> Forums::EvidenceFile(int64_t evidence_id) {
  std::pair<Evidence, std::string> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kEvidenceColumns) + " WHERE id = :id",
                                           {evidence_id}));
    if (!row) return Error::NotFound("No such file");
    out.first = EvidenceFromRow(*row);
    if (!out.first.file_name) return Error::NotFound("No file");
    ASSIGN_OR_RETURN(auto data, tx.QueryOne("SELECT file_data FROM forum_evidence WHERE id = :id",
                                            {evidence_id}));
    out.second = FromBase64(data->Text(0));
    return Status::Ok();
  }));
  return out;
}

Status Forums::RecordAttendance(const Actor* actor, int64_t session_id,
                                const std::vector<int64_t>& member_ids) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  return db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(ForumSession s, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, s.forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    RETURN_IF_ERROR(tx.Exec("DELETE FROM forum_attendance WHERE session_id = :s", {session_id}));
    std::set<int64_t> unique(member_ids.begin(), member_ids.end());
    for (int64_t m : unique) {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM forum_members WHERE id = :m AND "
                                             "forum_id = :f",
                                             {m, f.id}));
      if (!row) return Error::Field("attended", "Someone ticked is not a member of this forum");
      RETURN_IF_ERROR(tx.Exec("INSERT INTO forum_attendance (session_id, member_id) VALUES "
                              "(:s, :m)",
                              {session_id, m}));
    }
    return internal::Audit(tx, now, actor, f.programme_id, "forum.attendance",
                           "forum_session:" + std::to_string(session_id),
                           {{"attended", unique.size()}});
  });
}

Result<TrainingRecord> Forums::AddTraining(const Actor* actor, int64_t forum_id,
                                           const TrainingForm& form) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Forum f, forums_store::Load(tx, forum_id));
    if (!CanOrganise(actor, f)) return Error::Forbidden();
    std::vector<FieldError> errors;
    const std::string course = internal::Trim(form.course);
    internal::CheckLength(errors, "course", "the course", course, 1, 200);
    if (form.completed_on <= 0) errors.push_back({"completed_on", "Enter the date completed"});
    ASSIGN_OR_RETURN(auto member, tx.QueryOne("SELECT id FROM forum_members WHERE id = :m AND "
                                              "forum_id = :f",
                                              {form.member_id, forum_id}));
    if (!member) errors.push_back({"member_id", "Choose a member of this forum"});
    RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
    ASSIGN_OR_RETURN(id, tx.Insert("INSERT INTO forum_training (member_id, course, completed_on, "
                                   "accredited, created_at) VALUES (:m, :c, :d, :a, :t) "
                                   "RETURNING id",
                                   {form.member_id, course, form.completed_on,
                                    form.accredited ? 1 : 0, now}));
    return internal::Audit(tx, now, actor, f.programme_id, "forum.training.record",
                           "forum:" + std::to_string(forum_id),
                           {{"member_id", form.member_id}, {"course", course},
                            {"accredited", form.accredited}});
  }));
  ASSIGN_OR_RETURN(auto all, Training(forum_id));
  for (auto& t : all) {
    if (t.id == id) return t;
  }
  return Error::Internal("training record missing after insert");
}

Result<std::vector<TrainingRecord>> Forums::Training(int64_t forum_id) {
  std::vector<TrainingRecord> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT t.id, t.member_id, u.display_name, t.course, t.completed_on, "
                              "t.accredited FROM forum_training t JOIN forum_members m ON "
                              "m.id = t.member_id JOIN users u ON u.id = m.user_id WHERE "
                              "m.forum_id = :f ORDER BY t.completed_on, t.id",
                              {forum_id}));
    for (const auto& r : rows) {
      out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Bool(5)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
