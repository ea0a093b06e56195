#include "util.h"

#include <sodium.h>

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
  storage::AuditEntry e;
  e.at = at;
  e.actor = actor ? actor->AuditName() : "anonymous";
  e.programme_id = programme_id;
  e.action = std::string(action);
  e.subject = std::string(subject);
  // Replacing invalid UTF-8 keeps dump() from throwing; inputs are validated anyway.
  e.details_json = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return storage::AppendAudit(tx, e).status();
}

std::string RandomHex(size_t bytes) {
  InitSodium();
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.pop_back();
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

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

size_t CharCount(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool ValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const unsigned char d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not valid UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
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
