#include "util.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <mutex>

namespace communitise::app::internal {
namespace {

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no safe randomness: refusing to run is right
  });
}

}  // namespace

Status Audit(storage::Tx& tx, int64_t at, const Actor* actor, std::optional<int64_t> programme_id,
             std::string_view action, std::string_view subject, const nlohmann::json& details) {
  return storage::AppendAudit(tx, AuditEntryFor(at, actor, programme_id, action, subject, details))
      .status();
}

storage::AuditEntry AuditEntryFor(int64_t at, const Actor* actor,
                                  std::optional<int64_t> programme_id, std::string_view action,
                                  std::string_view subject, const nlohmann::json& details) {
  storage::AuditEntry e;
  e.at = at;
  e.actor = actor ? actor->AuditName() : "anonymous";
  e.programme_id = programme_id;
  e.action = std::string(action);
  e.subject = std::string(subject);
  // Replacing invalid UTF-8 keeps dump() from throwing; inputs are validated anyway.
  e.details_json = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

std::string RandomHex(size_t bytes) {
  InitSodium();
  // The operating system's randomness, fetched 4 KiB at a time per thread (one system
  // call each, not one per code) and each byte handed out once.
  thread_local std::array<unsigned char, 4096> pool;
  thread_local size_t used = pool.size();
  std::string hex;
  hex.reserve(bytes * 2);
  while (bytes > 0) {
    if (used == pool.size()) {
      randombytes_buf(pool.data(), pool.size());
      used = 0;
    }
    const size_t n = std::min(bytes, pool.size() - used);
    const size_t at = hex.size();
    hex.resize(at + 2 * n + 1);  // sodium_bin2hex ends with a NUL, dropped below
    sodium_bin2hex(hex.data() + at, 2 * n + 1, pool.data() + used, n);
    hex.pop_back();
    sodium_memzero(pool.data() + used, n);
    used += n;
    bytes -= n;
  }
  return hex;
}

std::string Sha256Hex(std::string_view data) {
  InitSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void CheckLength(std::vector<FieldError>& errors, std::string_view field, std::string_view label,
                 std::string_view value, size_t min, size_t max) {
  if (!ValidUtf8(value)) {
    errors.push_back({std::string(field), "Enter text using ordinary characters only"});
    return;
  }
  const size_t n = CharCount(Trim(value));
  if (n < min) {
    errors.push_back({std::string(field), "Enter " + std::string(label)});
  } else if (n > max) {
    std::string l(label);
    if (!l.empty()) l[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(l[0])));
    errors.push_back(
        {std::string(field), l + " must be " + std::to_string(max) + " characters or fewer"});
  }
}

std::string Slugify(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

bool ValidSlug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 60 || slug.front() == '-' || slug.back() == '-') {
    return false;
  }
  for (char c : slug) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

Status FieldErrors(std::vector<FieldError> errors) {
  if (errors.empty()) return Status::Ok();
  std::string summary = errors.size() == 1 ? errors.front().message
                                           : "There is a problem with " +
                                                 std::to_string(errors.size()) + " answers";
  return Error::InvalidArgument(std::move(summary), std::move(errors));
}

std::string ToJsonList(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

std::vector<std::string> FromJsonList(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

Error ConflictOnField(const Error& e, std::string field, std::string message) {
  if (e.code != ErrorCode::kConflict) return e;
  Error out = Error::Field(std::move(field), std::move(message));
  out.code = ErrorCode::kConflict;
  out.internal_message = e.internal_message;
  return out;
}

}  // namespace communitise::app::internal
