// Every API route the server registers is described in /api/openapi.json, and nothing
// described there is missing from the router.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "communitise/core/clock.h"
#include "communitise/web/web_app.h"

namespace communitise::web {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApiTest, DocumentListsEveryApiRouteAndNoOther) {
  auto db = storage::Database::Open("sqlite::memory:");
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  ManualClock clock(1'764'000'000);
  app::App application(**db, clock);
  http::Metrics metrics;
  WebApp web(application, metrics, {});

  auto doc = nlohmann::json::parse(WebApp::OpenApiDocument(), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");

  std::set<std::pair<std::string, std::string>> served, documented;
  for (const auto& r : web.router().Routes()) {
    bool api = r.pattern.rfind("/api/", 0) == 0 || r.pattern == "/healthz" || r.pattern == "/metrics";
    if (api) served.insert({r.pattern, Lower(std::string(http::bhttp::to_string(r.method)))});
  }
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      documented.insert({path, method});
      EXPECT_TRUE(op.contains("responses")) << method << " " << path;
    }
  }
  for (const auto& route : served) {
    EXPECT_TRUE(documented.count(route)) << route.second << " " << route.first << " is not in openapi.json";
  }
  for (const auto& route : documented) {
    EXPECT_TRUE(served.count(route)) << route.second << " " << route.first << " is documented but not served";
  }
  EXPECT_GE(served.size(), 20u);
}

}  // namespace
}  // namespace communitise::web
