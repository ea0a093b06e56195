#include "communitise/http/forms.h"

#include <algorithm>
#include <cctype>

#include "communitise/http/message.h"

namespace communitise::http {

void Form::Add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Form::Get(std::string_view name) const {
  for (const auto& [k, v] : entries_) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string Form::GetOr(std::string_view name, std::string fallback) const {
  auto v = Get(name);
  return v ? *v : std::move(fallback);
}

std::vector<std::string> Form::GetAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : entries_) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool Form::Has(std::string_view name) const { return Get(name).has_value(); }

Result<Form> ParseUrlEncoded(std::string_view body) {
  Form form;
  std::string_view rest = body;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : PercentDecode(pair.substr(eq + 1), true);
    if (!name || !value) {
      return Error::InvalidArgument("The form could not be read: a field is badly encoded");
    }
    form.Add(std::move(*name), std::move(*value));
  }
  return form;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The value of `param` in a header such as `form-data; name="a"; filename="b.csv"`.
std::optional<std::string> HeaderParam(std::string_view header, std::string_view param) {
  std::size_t i = 0;
  while (i < header.size()) {
    auto semi = header.find(';', i);
    if (semi == std::string_view::npos) return std::nullopt;
    i = semi + 1;
    std::string_view rest = Trim(header.substr(i));
    auto eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (Lower(Trim(rest.substr(0, eq))) != param) continue;
    std::string_view value = rest.substr(eq + 1);
    if (!value.empty() && value.front() == '"') {
      std::string out;
      for (std::size_t j = 1; j < value.size(); ++j) {
        if (value[j] == '\\' && j + 1 < value.size()) {
          out.push_back(value[++j]);
        } else if (value[j] == '"') {
          return out;
        } else {
          out.push_back(value[j]);
        }
      }
      return std::nullopt;
    }
    auto end = value.find(';');
    return std::string(Trim(value.substr(0, end)));
  }
  return std::nullopt;
}

}  // namespace

Result<MultipartForm> ParseMultipart(std::string_view content_type, std::string_view body) {
  if (Lower(content_type).rfind("multipart/form-data", 0) != 0) {
    return Error::InvalidArgument("Expected a multipart/form-data upload");
  }
  auto boundary = HeaderParam(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) {
    return Error::InvalidArgument("The upload has no valid boundary");
  }
  const std::string delimiter = "--" + *boundary;
  MultipartForm out;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) {
    return Error::InvalidArgument("The upload could not be read: no parts found");
  }
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return out;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") {
      return Error::InvalidArgument("The upload could not be read: malformed part boundary");
    }
    pos += 2;
    auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) {
      return Error::InvalidArgument("The upload could not be read: a part has no headers");
    }
    std::string_view headers = body.substr(pos, headers_end - pos);
    std::string disposition, part_type;
    while (!headers.empty()) {
      auto eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      auto name = Lower(Trim(line.substr(0, colon)));
      if (name == "content-disposition") disposition = Trim(line.substr(colon + 1));
      if (name == "content-type") part_type = Trim(line.substr(colon + 1));
    }
    std::size_t data_start = headers_end + 4;
    auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) {
      return Error::InvalidArgument("The upload could not be read: it ends too soon");
    }
    std::string data(body.substr(data_start, next - data_start));
    auto name = HeaderParam(disposition, "name");
    if (Lower(disposition).rfind("form-data", 0) != 0 || !name) {
      return Error::InvalidArgument("The upload could not be read: a part has no name");
    }
    auto filename = HeaderParam(disposition, "filename");
    if (filename) {
      out.files.push_back({*name, *filename, part_type, std::move(data)});
    } else {
      out.fields.Add(*name, std::move(data));
    }
    pos = next + 2;
  }
}

std::vector<std::pair<std::string, std::string>> ParseCookies(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view rest = header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view piece = Trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    auto eq = piece.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = Trim(piece.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::string(Trim(piece.substr(0, eq))), std::string(value));
  }
  return out;
}

std::optional<std::string> FindCookie(std::string_view header, std::string_view name) {
  for (auto& [k, v] : ParseCookies(header)) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string SetCookieValue(std::string_view name, std::string_view value,
                           const CookieOptions& options) {
  std::string out;
  out.append(name).append("=").append(value).append("; Path=").append(options.path);
  if (options.max_age_seconds >= 0) {
    out += "; Max-Age=" + std::to_string(options.max_age_seconds);
  }
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  if (!options.same_site.empty()) out += "; SameSite=" + options.same_site;
  return out;
}

}  // namespace communitise::http
