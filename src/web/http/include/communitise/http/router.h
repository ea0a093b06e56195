// Router: maps (method, path) to a handler, with `{name}` path parameters.
//
// Patterns are literal segments and `{name}` segments, e.g. "/api/programmes/{id}". A
// `{name}` segment matches one non-empty segment. Literal segments win over parameters
// when both could match. Routes are added before the server starts and never change
// afterwards, so concurrent Match calls need no lock.
//
// Thread safety: Add is not thread-safe; Match and Routes are safe once adding is done.
#ifndef COMMUNITISE_HTTP_ROUTER_H_
#define COMMUNITISE_HTTP_ROUTER_H_

#include <functional>
#include <string>
#include <vector>

#include "communitise/http/message.h"

namespace communitise::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  struct RouteInfo {
    Method method;
    std::string pattern;
  };
  enum class MatchKind { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    MatchKind kind = MatchKind::kNotFound;
    const Handler* handler = nullptr;  // set when kFound; owned by the router
  };

  // REQUIRES: pattern starts with '/'; (method, pattern) not added before.
  void Add(Method method, std::string pattern, Handler handler);

  // Finds the route for req.method() and req.path; on success fills req.path_params
  // and req.route. HEAD matches GET routes.
  Match Find(Request& req) const;

  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace communitise::http

#endif  // COMMUNITISE_HTTP_ROUTER_H_
