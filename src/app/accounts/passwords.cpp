// Password hashing with argon2id. Parameters follow OWASP's 2023 advice for argon2id
// (19 MiB, 2 passes, 1 lane), which keeps a sign-in near 30 ms on one small core.
#include <argon2.h>

#include <string>

#include "../common/util.h"
#include "communitise/app/accounts.h"

namespace communitise::app {
namespace {
constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19 * 1024;
constexpr uint32_t kLanes = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  const std::string salt_hex = internal::RandomHex(kSaltBytes);
  // Salt bytes: decode the hex back to raw bytes (RandomHex is the one randomness source).
  std::string salt(kSaltBytes, '\0');
  for (size_t i = 0; i < kSaltBytes; ++i) {
    salt[i] = static_cast<char>(std::stoi(salt_hex.substr(i * 2, 2), nullptr, 16));
  }
  const size_t encoded_len =
      argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(),
                                       password.size(), salt.data(), salt.size(), kHashBytes,
                                       encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return Error::Internal(std::string("argon2id_hash_encoded: ") + argon2_error_message(rc));
  }
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));
  return encoded;
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  if (encoded_hash.rfind("$argon2id$", 0) != 0) return false;
  const std::string encoded(encoded_hash);
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace communitise::app
