#include "communitise/http/router.h"

#include <cassert>

namespace communitise::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 1;
  while (i <= path.size()) {
    auto slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Number of literal segments: more literal means more specific.
int Specificity(const std::vector<std::string>& segments) {
  int n = 0;
  for (const auto& s : segments) n += IsParam(s) ? 0 : 1;
  return n;
}

bool MatchSegments(const std::vector<std::string>& pattern,
                   const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (IsParam(pattern[i])) {
      if (path[i].empty()) return false;
      if (params) (*params)[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::Add(Method method, std::string pattern, Handler handler) {
  assert(!pattern.empty() && pattern.front() == '/');
  Route route{method, pattern, {}, std::move(handler)};
  for (auto s : Split(pattern)) route.segments.emplace_back(s);
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(Request& req) const {
  auto segments = Split(req.path);
  Method method = req.method() == Method::head ? Method::get : req.method();
  const Route* best = nullptr;
  bool path_matched = false;
  for (const auto& route : routes_) {
    if (!MatchSegments(route.segments, segments, nullptr)) continue;
    path_matched = true;
    if (route.method != method) continue;
    if (!best || Specificity(route.segments) > Specificity(best->segments)) best = &route;
  }
  Match match;
  if (!best) {
    match.kind = path_matched ? MatchKind::kMethodNotAllowed : MatchKind::kNotFound;
    return match;
  }
  req.path_params.clear();
  MatchSegments(best->segments, segments, &req.path_params);
  req.route = best->pattern;
  match.kind = MatchKind::kFound;
  match.handler = &best->handler;
  return match;
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

}  // namespace communitise::http
