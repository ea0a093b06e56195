// StaticFiles: serves files from one folder under a URL prefix, with caching headers.
//
// Files are read once and kept in memory (the GOV.UK Frontend dist folder is a few
// hundred kilobytes), each with a strong ETag from its content hash. Responses carry
// Cache-Control: public with a max-age, and If-None-Match yields 304. Paths containing
// "..", backslashes or NUL never leave the root.
//
// Also serves in-memory files (compiled into the binary) registered with AddEmbedded.
//
// Thread safety: Serve is safe for concurrent use; AddEmbedded/AddRoot only before
// serving starts.
#ifndef COMMUNITISE_HTTP_STATIC_FILES_H_
#define COMMUNITISE_HTTP_STATIC_FILES_H_

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "communitise/http/message.h"

namespace communitise::http {

class StaticFiles {
 public:
  explicit StaticFiles(int max_age_seconds = 86400) : max_age_seconds_(max_age_seconds) {}

  // Serve files below `root` at `url_prefix` + relative path. Several roots may share a
  // prefix; the first that holds the file wins. REQUIRES: url_prefix ends with '/'.
  void AddRoot(std::string url_prefix, std::filesystem::path root);
  // Serve `data` at exactly `url_path`.
  void AddEmbedded(std::string url_path, std::string data);

  // A response for req.path, or nullopt when no file matches (the caller renders 404).
  std::optional<Response> Serve(const Request& req) const;

  static std::string ContentTypeFor(std::string_view path);

 private:
  struct File {
    std::string data;
    std::string etag;
    std::string content_type;
  };
  std::shared_ptr<const File> Load(const std::string& url_path) const;
  static std::shared_ptr<const File> MakeFile(std::string url_path, std::string data);

  const int max_age_seconds_;
  std::vector<std::pair<std::string, std::filesystem::path>> roots_;
  std::map<std::string, std::shared_ptr<const File>> embedded_;
  mutable std::shared_mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const File>> cache_;  // GUARDED_BY(mu_)
};

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_STATIC_FILES_H_
