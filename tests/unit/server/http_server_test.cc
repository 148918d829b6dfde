#include "exporter/server/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/http_client.h"

namespace smoke::server {
namespace {

using ::testing::HasSubstr;

HttpRequest Get(const std::string& path, const std::string& query = "") {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  r.query = query;
  return r;
}

TEST(HttpServerTest, ExactRoutesWinOverPrefixesAndLongestPrefixWins) {
  HttpServer server({.listen_address = "127.0.0.1:0"});
  server.Route("/api/v1/probes", [](const HttpRequest&) { return HttpResponse::Text(200, "list"); });
  server.Route("/api/v1/probes/", [](const HttpRequest& r) {
    return HttpResponse::Text(200, "detail " + r.path);
  });
  server.Route("/api/", [](const HttpRequest&) { return HttpResponse::Text(200, "api"); });
  EXPECT_EQ(server.Handle(Get("/api/v1/probes")).body, "list");
  EXPECT_EQ(server.Handle(Get("/api/v1/probes/db")).body, "detail /api/v1/probes/db");
  EXPECT_EQ(server.Handle(Get("/api/other")).body, "api");
  EXPECT_EQ(server.Handle(Get("/nothing")).status, 404);
}

TEST(HttpServerTest, QueryParametersAreDecoded) {
  HttpRequest r = Get("/probe", "module=http_2xx&target=http%3A%2F%2Fh%3A80%2Fa%3Fb%3Dc&x=a+b&m=1&m=2&flag");
  EXPECT_EQ(r.Param("target"), "http://h:80/a?b=c");
  EXPECT_EQ(r.Param("x"), "a b");
  EXPECT_EQ(r.Params("m"), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(r.HasParam("flag"));
  EXPECT_FALSE(r.HasParam("missing"));
  EXPECT_EQ(r.Param("missing"), "");
  EXPECT_EQ(UrlDecode("%zz%4"), "%zz%4");  // malformed escapes pass through
}

TEST(HttpServerTest, HtmlEscapeNeutralisesMarkup) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')&\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;");
}

TEST(HttpServerTest, ServesOverASocketWithSecurityHeadersAndLimitsBodies) {
  HttpServer server({.listen_address = "127.0.0.1:0", .threads = 2, .max_request_body_bytes = 16});
  server.Route("/echo", [](const HttpRequest& r) {
    return HttpResponse::Text(200, r.method + ":" + r.body);
  });
  ASSERT_TRUE(server.Start().ok());
  ASSERT_GT(server.port(), 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  testing::HttpReply small = testing::HttpPost(base + "/echo", "hello");
  EXPECT_EQ(small.status, 200);
  EXPECT_EQ(small.body, "POST:hello");
  EXPECT_THAT(small.headers, HasSubstr("X-Content-Type-Options: nosniff"));
  EXPECT_THAT(small.headers, HasSubstr("X-Frame-Options: DENY"));
  EXPECT_EQ(testing::HttpPost(base + "/echo", std::string(1000, 'x')).status, 413);
  EXPECT_EQ(testing::HttpGet(base + "/missing").status, 404);
  server.Stop();
}

// Uses about `kb` KiB of stack and returns `kb`; the addition after the call keeps it from being
// a tail call.
int UseStack(int kb) {
  volatile char frame[1024];
  frame[0] = 1;
  return kb == 0 ? 0 : UseStack(kb - 1) + frame[0];
}

// CivetWeb's own workers have 100 KB stacks; a handler needing far more (the PromQL parser or
// config loader on deep input) must still be served instead of crashing the process.
TEST(HttpServerTest, HandlersRunOnFullSizeStacks) {
  HttpServer server({.listen_address = "127.0.0.1:0", .threads = 2, .max_request_body_bytes = 16});
  server.Route("/deep", [](const HttpRequest&) {
    return HttpResponse::Text(200, std::to_string(UseStack(2048)));
  });
  ASSERT_TRUE(server.Start().ok());
  const testing::HttpReply reply =
      testing::HttpGet("http://127.0.0.1:" + std::to_string(server.port()) + "/deep");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "2048");
}

TEST(HttpServerTest, StartFailsClearlyWhenThePortIsTaken) {
  HttpServer first({.listen_address = "127.0.0.1:0"});
  ASSERT_TRUE(first.Start().ok());
  HttpServer second({.listen_address = "127.0.0.1:" + std::to_string(first.port())});
  core::Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("cannot listen on \"127.0.0.1:" + std::to_string(first.port())));
}

}  // namespace
}  // namespace smoke::server
