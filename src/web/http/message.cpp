#include "communitise/http/message.h"

#include <boost/beast/core/string.hpp>

namespace communitise::http {

std::string_view Request::Header(bhttp::field field) const {
  auto it = raw.find(field);
  if (it == raw.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view Request::Header(std::string_view name) const {
  auto it = raw.find(boost::beast::string_view(name.data(), name.size()));
  if (it == raw.end()) return {};
  return {it->value().data(), it->value().size()};
}

const std::string& Request::Param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    auto value = PercentDecode(pair.substr(eq + 1), true);
    if (value) return value;
  }
  return std::nullopt;
}

bool Request::WantsJson() const {
  if (path.rfind("/api/", 0) == 0 || path == "/api") return true;
  return Header(bhttp::field::accept).find("application/json") != std::string_view::npos;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PercentEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

bool SplitTarget(std::string_view target, std::string* path, std::string* query) {
  if (target.empty() || target.front() != '/') return false;
  auto q = target.find('?');
  auto decoded = PercentDecode(target.substr(0, q), false);
  if (!decoded || decoded->find('\0') != std::string::npos) return false;
  *path = std::move(*decoded);
  *query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  return true;
}

Request::Reply Request::Defer() {
  deferred_ = true;
  return deferrer();
}

Response MakeResponse(const Request& req, HttpStatus status, std::string content_type,
                      std::string body) {
  Response res{status, req.raw.version()};
  res.set(bhttp::field::content_type, content_type);
  res.body() = std::move(body);
  res.keep_alive(req.raw.keep_alive());
  return res;
}

Response Redirect(const Request& req, std::string location, HttpStatus status) {
  Response res{status, req.raw.version()};
  res.set(bhttp::field::location, location);
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.body() = "See " + location;
  res.keep_alive(req.raw.keep_alive());
  return res;
}

}  // namespace communitise::http
