#include <cctype>

#include "../common/util.h"
#include "communitise/app/accounts.h"

namespace communitise::app {

std::string NormaliseEmail(std::string_view email) {
  std::string e = internal::Trim(email);
  if (e.empty() || e.size() > 254 || !internal::ValidUtf8(e)) return {};
  for (char& c : e) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      return {};
    }
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) return {};
  const std::string domain = e.substr(at + 1);
  const size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string::npos) {
    return {};
  }
  return e;
}

}  // namespace communitise::app
