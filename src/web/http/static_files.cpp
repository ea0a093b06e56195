#include "communitise/http/static_files.h"

#include <sodium.h>

#include <fstream>
#include <mutex>
#include <sstream>

namespace communitise::http {
namespace {

bool SafeRelative(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  if (rel.find('\\') != std::string_view::npos || rel.find('\0') != std::string_view::npos) {
    return false;
  }
  std::size_t i = 0;
  while (i <= rel.size()) {
    auto slash = rel.find('/', i);
    if (slash == std::string_view::npos) slash = rel.size();
    auto seg = rel.substr(i, slash - i);
    if (seg.empty() || seg == "." || seg == "..") return false;
    i = slash + 1;
  }
  return true;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string StaticFiles::ContentTypeFor(std::string_view path) {
  if (EndsWith(path, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(path, ".js") || EndsWith(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (EndsWith(path, ".json") || EndsWith(path, ".map")) return "application/json";
  if (EndsWith(path, ".svg")) return "image/svg+xml";
  if (EndsWith(path, ".png")) return "image/png";
  if (EndsWith(path, ".ico")) return "image/x-icon";
  if (EndsWith(path, ".woff2")) return "font/woff2";
  if (EndsWith(path, ".woff")) return "font/woff";
  if (EndsWith(path, ".txt")) return "text/plain; charset=utf-8";
  if (EndsWith(path, ".csv")) return "text/csv; charset=utf-8";
  return "application/octet-stream";
}

std::shared_ptr<const StaticFiles::File> StaticFiles::MakeFile(std::string url_path,
                                                               std::string data) {
  auto file = std::make_shared<File>();
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  file->etag = std::string("\"") + hex + "\"";
  file->content_type = ContentTypeFor(url_path);
  file->data = std::move(data);
  return file;
}

void StaticFiles::AddRoot(std::string url_prefix, std::filesystem::path root) {
  roots_.emplace_back(std::move(url_prefix), std::move(root));
}

void StaticFiles::AddEmbedded(std::string url_path, std::string data) {
  if (sodium_init() < 0) return;
  auto file = MakeFile(url_path, std::move(data));
  embedded_[std::move(url_path)] = std::move(file);
}

std::shared_ptr<const StaticFiles::File> StaticFiles::Load(const std::string& url_path) const {
  if (auto it = embedded_.find(url_path); it != embedded_.end()) return it->second;
  {
    std::shared_lock lock(mu_);
    if (auto it = cache_.find(url_path); it != cache_.end()) return it->second;
  }
  for (const auto& [prefix, root] : roots_) {
    if (url_path.rfind(prefix, 0) != 0) continue;
    std::string_view rel = std::string_view(url_path).substr(prefix.size());
    if (!SafeRelative(rel)) return nullptr;
    std::filesystem::path full = root / std::filesystem::path(rel);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(full, ec)) continue;
    std::ifstream in(full, std::ios::binary);
    if (!in) continue;
    std::ostringstream data;
    data << in.rdbuf();
    auto file = MakeFile(url_path, std::move(data).str());
    std::unique_lock lock(mu_);
    return cache_.emplace(url_path, std::move(file)).first->second;
  }
  return nullptr;
}

std::optional<Response> StaticFiles::Serve(const Request& req) const {
  if (req.method() != Method::get && req.method() != Method::head) return std::nullopt;
  auto file = Load(req.path);
  if (!file) return std::nullopt;
  Response res{HttpStatus::ok, req.raw.version()};
  res.keep_alive(req.raw.keep_alive());
  res.set(bhttp::field::etag, file->etag);
  res.set(bhttp::field::cache_control,
          "public, max-age=" + std::to_string(max_age_seconds_));
  res.set(bhttp::field::content_type, file->content_type);
  if (req.Header(bhttp::field::if_none_match) == file->etag) {
    res.result(HttpStatus::not_modified);
    return res;
  }
  res.body() = file->data;  // the server drops the body of a HEAD response
  return res;
}

}  // namespace communitise::http
