#include "communitise/http/router.h"

#include <gtest/gtest.h>

namespace communitise::http {
namespace {

Request MakeRequest(Method method, std::string path) {
  Request req;
  req.raw.method(method);
  req.path = std::move(path);
  return req;
}

Handler Named(std::string name) {
  return [name](Request& req) { return MakeResponse(req, HttpStatus::ok, "text/plain", name); };
}

TEST(RouterTest, MatchesParametersAndPrefersLiterals) {
  Router router;
  router.Add(Method::get, "/programmes/{id}", Named("show"));
  router.Add(Method::get, "/programmes/new", Named("new"));
  router.Add(Method::post, "/programmes/{id}/join", Named("join"));

  auto req = MakeRequest(Method::get, "/programmes/42");
  auto m = router.Find(req);
  ASSERT_EQ(m.kind, Router::MatchKind::kFound);
  EXPECT_EQ(req.Param("id"), "42");
  EXPECT_EQ(req.route, "/programmes/{id}");
  EXPECT_EQ((*m.handler)(req).body(), "show");

  auto literal = MakeRequest(Method::get, "/programmes/new");
  auto m2 = router.Find(literal);
  ASSERT_EQ(m2.kind, Router::MatchKind::kFound);
  EXPECT_EQ((*m2.handler)(literal).body(), "new");

  auto join = MakeRequest(Method::post, "/programmes/7/join");
  ASSERT_EQ(router.Find(join).kind, Router::MatchKind::kFound);
  EXPECT_EQ(join.Param("id"), "7");
}

TEST(RouterTest, DistinguishesNotFoundFromWrongMethod) {
  Router router;
  router.Add(Method::get, "/", Named("home"));
  router.Add(Method::get, "/a/{x}", Named("a"));
  auto wrong = MakeRequest(Method::delete_, "/a/1");
  EXPECT_EQ(router.Find(wrong).kind, Router::MatchKind::kMethodNotAllowed);
  auto missing = MakeRequest(Method::get, "/b");
  EXPECT_EQ(router.Find(missing).kind, Router::MatchKind::kNotFound);
  auto empty_param = MakeRequest(Method::get, "/a/");
  EXPECT_EQ(router.Find(empty_param).kind, Router::MatchKind::kNotFound);
  auto head = MakeRequest(Method::head, "/");
  EXPECT_EQ(router.Find(head).kind, Router::MatchKind::kFound);
  EXPECT_EQ(router.Routes().size(), 2u);
}

TEST(MessageTest, SplitsAndDecodesTargets) {
  std::string path, query;
  ASSERT_TRUE(SplitTarget("/a%20b/c?x=1&y=%2F", &path, &query));
  EXPECT_EQ(path, "/a b/c");
  EXPECT_EQ(query, "x=1&y=%2F");
  EXPECT_FALSE(SplitTarget("http://evil/", &path, &query));
  EXPECT_FALSE(SplitTarget("/a%00b", &path, &query));
  EXPECT_FALSE(SplitTarget("/a%zz", &path, &query));
  Request req;
  req.query = "x=1&y=%2F&z";
  EXPECT_EQ(req.QueryParam("y"), "/");
  EXPECT_EQ(req.QueryParam("z"), "");
  EXPECT_FALSE(req.QueryParam("w").has_value());
  EXPECT_EQ(HtmlEscape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

}  // namespace
}  // namespace communitise::http
