// Use cases: import the address list, publish the invitation seed, draw the invitations
// and print the letters.
#include "../common/util.h"
#include "communitise/app/panels.h"
#include "communitise/app/public_bodies.h"
#include "communitise/sortition/invitations.h"
#include "store.h"

namespace communitise::app {
namespace {

constexpr std::string_view kAreaOf =
    "SELECT a.id, a.name FROM postcodes pc JOIN areas a ON a.id = pc.area_id "
    "WHERE pc.public_body_id = :b AND pc.postcode = :p";
constexpr std::string_view kInsertAddress =
    "INSERT INTO panel_addresses (panel_id, position, ref, lines, postcode, area_id) "
    "VALUES (:p, :pos, :ref, :l, :pc, :a) RETURNING id";
constexpr std::string_view kInsertInvitation =
    "INSERT INTO panel_invitations (panel_id, address_id, draw_order, code, uses) "
    "VALUES (:p, :a, :o, :c, 0) RETURNING id";
constexpr std::string_view kLetters =
    "SELECT i.draw_order, a.ref, a.lines, a.postcode, COALESCE(ar.name, ''), i.code "
    "FROM panel_invitations i JOIN panel_addresses a ON a.id = i.address_id "
    "LEFT JOIN areas ar ON ar.id = a.area_id WHERE i.panel_id = :p ORDER BY i.draw_order";

// Codes avoid letters and digits that are easy to confuse on paper (0/O, 1/I/L).
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

std::string NewCode() {
  const std::string hex = internal::RandomHex(8);
  std::string code;
  for (size_t i = 0; i < 8; ++i) {
    const int byte = std::stoi(hex.substr(2 * i, 2), nullptr, 16);
    code.push_back(kCodeAlphabet[byte % kCodeAlphabet.size()]);
  }
  return code;
}

}  // namespace

Result<AddressImport> Panels::ImportAddresses(const Actor* actor, int64_t panel_id,
                                              std::string_view csv_text,
                                              std::string_view file_name) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  AddressImport out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    if (p.invitations_drawn_at) {
      return Error::Conflict("The invitations have been drawn; the address list is fixed");
    }
    auto rows = sortition::ParseAddressCsv(csv_text, file_name);
    if (!rows.ok()) return Error::Field("file", rows.error().public_message);
    RETURN_IF_ERROR(tx.Exec("DELETE FROM panel_addresses WHERE panel_id = :p", {panel_id}));
    out = AddressImport{};
    int position = 0;
    for (const auto& row : *rows) {
      const std::string postcode = NormalisePostcode(row.postcode);
      const std::string where = std::string(file_name) + ":" + std::to_string(row.line) + ": ";
      if (postcode.empty()) {
        return Error::Field("file", where + "\"" + row.postcode + "\" is not a UK postcode");
      }
      ASSIGN_OR_RETURN(auto area, tx.QueryOne(kAreaOf, {p.public_body_id, postcode}));
      if (!area) {
        return Error::Field("file", where + postcode + " is not in any of the imported areas");
      }
      RETURN_IF_ERROR(tx.Insert(kInsertAddress, {panel_id, position++, row.id,
                                                 internal::ToJsonList(row.lines), postcode,
                                                 area->Int(0)}));
      ++out.by_area[area->Text(1)];
    }
    out.addresses = position;
    nlohmann::json by_area = nlohmann::json::object();
    for (const auto& [k, v] : out.by_area) by_area[k] = v;
    return internal::Audit(tx, now, actor, p.programme_id, "panel.addresses.import",
                           "panel:" + std::to_string(panel_id),
                           {{"addresses", out.addresses},
                            {"by_area", by_area},
                            {"list_sha256", internal::Sha256Hex(csv_text)}});
  }));
  return out;
}

Result<Panel> Panels::PublishInvitationSeed(const Actor* actor, int64_t panel_id,
                                            std::string_view seed) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  Panel out;
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    if (p.invitation_seed) return Error::Conflict("The seed is already published");
    auto value = panels_store::ParseSeed(seed);
    if (!value) {
      return Error::Field("seed", "Enter the seed as a whole number, like 20261125");
    }
    const std::string text = std::to_string(*value);
    RETURN_IF_ERROR(tx.Exec("UPDATE panels SET invitation_seed = :s, "
                            "invitation_seed_published_at = :t WHERE id = :id",
                            {text, now, panel_id}));
    RETURN_IF_ERROR(internal::Audit(tx, now, actor, p.programme_id, "panel.seed.publish",
                                    "panel:" + std::to_string(panel_id), {{"seed", text}}));
    ASSIGN_OR_RETURN(out, panels_store::Load(tx, panel_id));
    return Status::Ok();
  }));
  return out;
}

Result<InvitationDraw> Panels::DrawInvitations(const Actor* actor, int64_t panel_id, int count) {
  if (!actor) return Error::Unauthenticated();
  const int64_t now = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    if (p.invitations_drawn_at) return Error::Conflict("The invitations have been drawn");
    if (p.address_count == 0) return Error::Conflict("Import the address list first");
    if (!p.invitation_seed) return Error::Conflict("Publish the seed before the draw");
    if (count < 1 || count > p.address_count) {
      return Error::Field("count", "Enter a number of invitations between 1 and " +
                                       std::to_string(p.address_count));
    }
    ASSIGN_OR_RETURN(auto addresses, tx.Query("SELECT id FROM panel_addresses WHERE "
                                              "panel_id = :p ORDER BY position",
                                              {panel_id}));
    const auto drawn = sortition::DrawInvitations(static_cast<int>(addresses.size()), count,
                                                  *panels_store::ParseSeed(*p.invitation_seed));
    int order = 0;
    for (int index : drawn) {
      // A clash of random codes is astronomically unlikely; the unique index makes it
      // a retryable failure of the whole draw rather than a silent duplicate.
      RETURN_IF_ERROR(tx.Insert(kInsertInvitation,
                                {panel_id, addresses[index].Int(0), ++order, NewCode()}));
    }
    RETURN_IF_ERROR(tx.Exec("UPDATE panels SET invitations_drawn_at = :t WHERE id = :id",
                            {now, panel_id}));
    return internal::Audit(tx, now, actor, p.programme_id, "panel.invitations.draw",
                           "panel:" + std::to_string(panel_id),
                           {{"seed", *p.invitation_seed},
                            {"count", count},
                            {"list_size", p.address_count}});
  }));
  return GetInvitationDraw(panel_id);
}

Result<InvitationDraw> Panels::GetInvitationDraw(int64_t panel_id) {
  InvitationDraw out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!p.invitations_drawn_at) return Error::NotFound("The invitations have not been drawn yet");
    out.seed = *p.invitation_seed;
    out.published_at = p.invitation_seed_published_at.value_or(0);
    out.drawn_at = *p.invitations_drawn_at;
    out.list_size = p.address_count;
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT a.ref FROM panel_invitations i JOIN "
                                         "panel_addresses a ON a.id = i.address_id "
                                         "WHERE i.panel_id = :p ORDER BY i.draw_order",
                                         {panel_id}));
    for (const auto& r : rows) out.address_refs.push_back(r.Text(0));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<InvitationLetter>> Panels::Letters(const Actor* actor, int64_t panel_id) {
  if (!actor) return Error::Unauthenticated();
  std::vector<InvitationLetter> out;
  RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Panel p, panels_store::Load(tx, panel_id));
    if (!CanOrganise(actor, p)) return Error::Forbidden();
    ASSIGN_OR_RETURN(auto rows, tx.Query(kLetters, {panel_id}));
    for (const auto& r : rows) {
      out.push_back({static_cast<int>(r.Int(0)), r.Text(1), internal::FromJsonList(r.Text(2)),
                     r.Text(3), r.Text(4), r.Text(5)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace communitise::app
