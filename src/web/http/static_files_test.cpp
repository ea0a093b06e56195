#include "communitise/http/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

namespace communitise::http {
namespace {

Request Get(std::string path) {
  Request req;
  req.raw.method(Method::get);
  req.raw.version(11);
  req.path = std::move(path);
  return req;
}

TEST(StaticFilesTest, ServesFilesWithCachingAndStaysInsideRoot) {
  auto dir = std::filesystem::temp_directory_path() / "communitise_static_test";
  std::filesystem::create_directories(dir / "css");
  std::ofstream(dir / "css" / "site.css") << "body{}";
  std::ofstream(dir.parent_path() / "communitise_secret.txt") << "secret";

  StaticFiles files(3600);
  files.AddRoot("/assets/", dir);
  files.AddEmbedded("/static/app.mjs", "export {}");

  auto res = files.Serve(Get("/assets/css/site.css"));
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->body(), "body{}");
  EXPECT_EQ((*res)[bhttp::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ((*res)[bhttp::field::cache_control], "public, max-age=3600");
  std::string etag((*res)[bhttp::field::etag]);
  ASSERT_FALSE(etag.empty());

  auto cached = Get("/assets/css/site.css");
  cached.raw.set(bhttp::field::if_none_match, etag);
  EXPECT_EQ(files.Serve(cached)->result(), HttpStatus::not_modified);

  EXPECT_FALSE(files.Serve(Get("/assets/../communitise_secret.txt")).has_value());
  EXPECT_FALSE(files.Serve(Get("/assets/css//site.css")).has_value());
  EXPECT_FALSE(files.Serve(Get("/assets/missing.css")).has_value());
  auto embedded = files.Serve(Get("/static/app.mjs"));
  ASSERT_TRUE(embedded.has_value());
  EXPECT_EQ((*embedded)[bhttp::field::content_type], "text/javascript; charset=utf-8");
  std::filesystem::remove_all(dir);
  std::filesystem::remove(dir.parent_path() / "communitise_secret.txt");
}

}  // namespace
}  // namespace communitise::http
