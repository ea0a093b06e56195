// Use cases: residents propose projects and groups bid — draft, submit, edit until the
// deadline, withdraw, attach files — and anyone reads them.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "../common/util.h"
#include "communitise/app/pb_rounds.h"
#include "permissions.h"
#include "store.h"

namespace communitise::app {

namespace {

constexpr int64_t kMaxAttachmentBytes = 5 * 1024 * 1024;

Status ValidateProject(const ProjectForm& f, const PbRound& round) {
  std::vector<FieldError> errors;
  if (f.kind != "proposal" && f.kind != "bid") {
    errors.push_back({"kind", "Choose a proposal (resident) or a bid (group)"});
  }
  internal::CheckLength(errors, "title", "a title", f.title, 1, 200);
  internal::CheckLength(errors, "summary", "a summary", f.summary, 1, 5000);
  internal::CheckLength(errors, "area", "the area", f.area, 0, 200);
  internal::CheckLength(errors, "theme", "the theme", f.theme, 0, 200);
  internal::CheckLength(errors, "outcomes", "the expected outcomes", f.outcomes, 0, 5000);
  if (f.cost_pence <= 0) {
    errors.push_back({"cost_pence", "Enter what the project would cost"});
  } else if (f.cost_pence > round.budget_pence) {
    errors.push_back({"cost_pence", "The cost must not be more than the whole fund (" +
                                        pb_store::FormatPounds(round.budget_pence) + ")"});
  }
  if (!round.splits.empty() && errors.empty()) {
    const std::vector<pb_store::Part> parts = pb_store::Parts(round);
    const int part = pb_store::PartOf(round, parts, f.area, f.theme);
    const std::string field = round.splits.front().kind;  // "area" | "theme"
    if (part < 0) {
      std::string names;
      for (const auto& s : round.splits) names += (names.empty() ? "" : ", ") + s.name;
      errors.push_back({field, "This fund is split by " + field + ": enter one of " + names});
    } else if (f.cost_pence > parts[part].budget_pence) {
      errors.push_back({"cost_pence", "The cost must not be more than the budget for " +
                                          parts[part].name + " (" +
                                          pb_store::FormatPounds(parts[part].budget_pence) + ")"});
    }
  }
  if (f.kind == "bid") {
    internal::CheckLength(errors, "org_name", "the organisation's name", f.org_name, 1, 200);
    const std::string number = internal::Trim(f.org_number);
    const bool ok = number.size() >= 6 && number.size() <= 12 &&
                    std::all_of(number.begin(), number.end(),
                                [](unsigned char c) { return std::isdigit(c) || std::isupper(c); });
    if (!ok) {
      errors.push_back({"org_number", "Enter the charity or company number, 6 to 12 letters and "
                                      "digits, like 1123456 or SC012345"});
    }
  }
  return internal::FieldErrors(std::move(errors));
}

Status CheckOpenForProposals(const PbRound& round, int64_t now) {
  if (round.phase != PbPhase::kProposals || now >= round.proposals_close) {
    return Error::Conflict("Proposals and bids for this round have closed");
  }
  return Status::Ok();
}

bool SeesDrafts(const Actor* actor, const PbRound& round, int64_t proposer_id) {
  return PbRounds::CanRun(actor, round) || (actor && actor->user_id == proposer_id);
}

}  // namespace

Result<PbProject> PbRounds::Submit(const Actor* actor, int64_t round_id, const ProjectForm& form) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, round_id));
    RETURN_IF_ERROR(ValidateProject(form, round));
    RETURN_IF_ERROR(CheckOpenForProposals(round, now));
    ASSIGN_OR_RETURN(bool member, pb_store::IsActiveMember(tx, round.programme_id, actor->user_id));
    if (!member && !CanRun(actor, round)) {
      return Error::Forbidden("Join " + round.programme_name + " to propose a project or bid");
    }
    const bool bid = form.kind == "bid";
    ASSIGN_OR_RETURN(id, tx.Insert("INSERT INTO pb_projects (round_id, kind, proposer_id, org_name, "
                                   "org_number, title, summary, cost_pence, requested_pence, "
                                   "cost_reason, area, theme, outcomes, status, check_note, "
                                   "screening_reason, story, created_at, updated_at) VALUES (:r, "
                                   ":k, :u, :on, :onum, :t, :s, :c, :c2, '', :a, :th, :o, :st, "
                                   "'', '', '', :n, :n2) RETURNING id",
                                   {round_id, form.kind, actor->user_id,
                                    bid ? internal::Trim(form.org_name) : std::string(),
                                    bid ? internal::Trim(form.org_number) : std::string(),
                                    internal::Trim(form.title), internal::Trim(form.summary),
                                    form.cost_pence, form.cost_pence, internal::Trim(form.area),
                                    internal::Trim(form.theme), internal::Trim(form.outcomes),
                                    form.submit ? "submitted" : "draft", now, now}));
    return internal::Audit(tx, now, actor, round.programme_id,
                           form.submit ? "pb.project.submit" : "pb.project.draft",
                           "pb_project:" + std::to_string(id),
                           {{"round", round_id}, {"kind", form.kind},
                            {"cost_pence", form.cost_pence}});
  }));
  return GetProject(actor, id);
}

Result<PbProject> PbRounds::Edit(const Actor* actor, int64_t project_id, const ProjectForm& form) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    if (p.proposer_id != actor->user_id) return Error::Forbidden("Only the proposer can edit a project");
    RETURN_IF_ERROR(ValidateProject(form, round));
    RETURN_IF_ERROR(CheckOpenForProposals(round, now));
    if (p.status != PbProjectStatus::kDraft && p.status != PbProjectStatus::kSubmitted) {
      return Error::Conflict("This project can no longer be edited");
    }
    const bool bid = form.kind == "bid";
    const std::string status = form.submit || p.status == PbProjectStatus::kSubmitted
                                   ? "submitted" : "draft";
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_projects SET kind = :k, org_name = :on, org_number = :onum, "
                            "title = :t, summary = :s, cost_pence = :c, requested_pence = :c2, "
                            "area = :a, theme = :th, outcomes = :o, status = :st, "
                            "updated_at = :n WHERE id = :id",
                            {form.kind, bid ? internal::Trim(form.org_name) : std::string(),
                             bid ? internal::Trim(form.org_number) : std::string(),
                             internal::Trim(form.title), internal::Trim(form.summary),
                             form.cost_pence, form.cost_pence, internal::Trim(form.area),
                             internal::Trim(form.theme), internal::Trim(form.outcomes), status, now,
                             project_id})
                        .status());
    return internal::Audit(tx, now, actor, round.programme_id, "pb.project.edit",
                           "pb_project:" + std::to_string(project_id),
                           {{"status", status}, {"cost_pence", form.cost_pence}});
  }));
  return GetProject(actor, project_id);
}

Result<PbProject> PbRounds::Withdraw(const Actor* actor, int64_t project_id) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    if (p.proposer_id != actor->user_id) {
      return Error::Forbidden("Only the proposer can withdraw a project");
    }
    if (round.phase != PbPhase::kProposals && round.phase != PbPhase::kScreening) {
      return Error::Conflict("Projects cannot be withdrawn once voting has opened");
    }
    if (p.status == PbProjectStatus::kWithdrawn) return Error::Conflict("Already withdrawn");
    RETURN_IF_ERROR(tx.Exec("UPDATE pb_projects SET status = 'withdrawn', updated_at = :n "
                            "WHERE id = :id",
                            {now, project_id})
                        .status());
    return internal::Audit(tx, now, actor, round.programme_id, "pb.project.withdraw",
                           "pb_project:" + std::to_string(project_id));
  }));
  return GetProject(actor, project_id);
}

Status PbRounds::Attach(const Actor* actor, int64_t project_id, const AttachmentForm& form) {
  if (!actor || actor->user_id == 0) return Error::Unauthenticated();
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "file", "a file name", form.filename, 1, 200);
  if (form.data.empty()) errors.push_back({"file", "Choose a file"});
  if (static_cast<int64_t>(form.data.size()) > kMaxAttachmentBytes) {
    errors.push_back({"file", "The file must be smaller than 5 MB"});
  }
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  const int64_t now = clock_.NowSeconds();
  std::string encoded(sodium_base64_ENCODED_LEN(form.data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(form.data.data()), form.data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  return db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    if (p.proposer_id != actor->user_id) return Error::Forbidden("Only the proposer can add files");
    RETURN_IF_ERROR(CheckOpenForProposals(round, now));
    ASSIGN_OR_RETURN(int64_t id, tx.Insert("INSERT INTO pb_attachments (project_id, filename, "
                                           "content_type, data_base64, size_bytes, created_at) "
                                           "VALUES (:p, :f, :c, :d, :s, :n) RETURNING id",
                                           {project_id, internal::Trim(form.filename),
                                            form.content_type.empty() ? "application/octet-stream"
                                                                      : form.content_type,
                                            encoded, static_cast<int64_t>(form.data.size()), now}));
    return internal::Audit(tx, now, actor, round.programme_id, "pb.project.attach",
                           "pb_project:" + std::to_string(project_id),
                           {{"attachment", id}, {"bytes", form.data.size()}});
  });
}

Result<PbProject> PbRounds::GetProject(const Actor* actor, int64_t project_id) {
  PbProject out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, pb_store::LoadProject(tx, project_id));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, out.round_id));
    if (out.status == PbProjectStatus::kDraft && !SeesDrafts(actor, round, out.proposer_id)) {
      return Error::NotFound("No such project");
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<PbProject>> PbRounds::ListProjects(const Actor* actor, int64_t round_id) {
  std::vector<PbProject> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, round_id));
    ASSIGN_OR_RETURN(auto all, pb_store::LoadProjects(tx, round_id));
    for (auto& p : all) {
      if (p.status == PbProjectStatus::kDraft && !SeesDrafts(actor, round, p.proposer_id)) continue;
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

Result<AttachmentForm> PbRounds::GetAttachment(const Actor* actor, int64_t attachment_id) {
  AttachmentForm out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT project_id, filename, content_type, data_base64 "
                                           "FROM pb_attachments WHERE id = :id",
                                           {attachment_id}));
    if (!row) return Error::NotFound("No such file");
    ASSIGN_OR_RETURN(PbProject p, pb_store::LoadProject(tx, row->Int(0)));
    ASSIGN_OR_RETURN(PbRound round, pb_store::LoadRound(tx, p.round_id));
    if (p.status == PbProjectStatus::kDraft && !SeesDrafts(actor, round, p.proposer_id)) {
      return Error::NotFound("No such file");
    }
    out.filename = row->Text(1);
    out.content_type = row->Text(2);
    const std::string b64 = row->Text(3);
    out.data.resize(b64.size());
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data.data()), out.data.size(),
                          b64.data(), b64.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
      return Error::Internal("attachment " + std::to_string(attachment_id) + " is not base64");
    }
    out.data.resize(len);
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
