// Files compiled into the binary: templates, our own CSS and JS, the OpenAPI document.
// Paths are relative to src/web ("templates/home.mustache", "static/communitise.css").
#ifndef COMMUNITISE_WEB_EMBEDDED_H_
#define COMMUNITISE_WEB_EMBEDDED_H_

#include <string_view>
#include <vector>

namespace communitise::web {

struct EmbeddedFile {
  std::string_view path;
  std::string_view data;
};
const std::vector<EmbeddedFile>& EmbeddedFiles();
// The file at `path`, or empty when absent.
std::string_view Embedded(std::string_view path);

}  // namespace communitise::web

#endif  // COMMUNITISE_WEB_EMBEDDED_H_
