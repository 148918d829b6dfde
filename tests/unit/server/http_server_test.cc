#include "exporter/server/http_server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/http_client.h"
#include "tests/support/use_stack.h"

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
  server.Route("/api/v1/probes",
               [](const HttpRequest&) { return HttpResponse::Text(200, "list"); });
  server.Route("/api/v1/probes/",
               [](const HttpRequest& r) { return HttpResponse::Text(200, "detail " + r.path); });
  server.Route("/api/", [](const HttpRequest&) { return HttpResponse::Text(200, "api"); });
  EXPECT_EQ(server.Handle(Get("/api/v1/probes")).body, "list");
  EXPECT_EQ(server.Handle(Get("/api/v1/probes/db")).body, "detail /api/v1/probes/db");
  EXPECT_EQ(server.Handle(Get("/api/other")).body, "api");
  EXPECT_EQ(server.Handle(Get("/nothing")).status, 404);
}

TEST(HttpServerTest, QueryParametersAreDecoded) {
  HttpRequest r =
      Get("/probe", "module=http_2xx&target=http%3A%2F%2Fh%3A80%2Fa%3Fb%3Dc&x=a+b&m=1&m=2&flag");
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

size_t CountOf(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Sends `request` twice on one connection (pipelined) and reads until the server closes it, both
// answers are in, or 10 s pass.
std::string SendTwice(int port, const std::string& request, bool* closed) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{.tv_sec = 10, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string twice = request + request;
  std::string reply;
  *closed = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, twice.data(), twice.size(), 0) == static_cast<ssize_t>(twice.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
      reply.append(buf, static_cast<size_t>(n));
      if (CountOf(reply, "\r\n\r\nok") == 2) break;
    }
    *closed = n == 0;
  }
  close(fd);
  return reply;
}

// A client that asks to close (or speaks HTTP/1.0) is told so, and gets one answer before the
// connection ends; a kept-alive one is not told to close and gets both.
TEST(HttpServerTest, SaysConnectionCloseWhenItWillClose) {
  HttpServer server({.listen_address = "127.0.0.1:0", .threads = 2});
  server.Route("/ok", [](const HttpRequest&) { return HttpResponse::Text(200, "ok"); });
  ASSERT_TRUE(server.Start().ok());
  bool closed = false;
  for (const char* request :
       {"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n", "GET /ok HTTP/1.0\r\n\r\n"}) {
    const std::string reply = SendTwice(server.port(), request, &closed);
    EXPECT_EQ(CountOf(reply, " 200 OK\r\n"), 1u) << request;
    EXPECT_THAT(reply, HasSubstr("\r\nConnection: close\r\n")) << request;
    EXPECT_TRUE(closed) << request;
  }
  const std::string kept = SendTwice(server.port(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", &closed);
  EXPECT_EQ(CountOf(kept, "HTTP/1.1 200 OK\r\n"), 2u);
  EXPECT_EQ(kept.find("Connection: close"), std::string::npos);
  EXPECT_FALSE(closed);
  server.Stop();
}

using ::smoke::testing::UseStack;

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
  EXPECT_THAT(s.message(),
              HasSubstr("cannot listen on \"127.0.0.1:" + std::to_string(first.port())));
}

}  // namespace
}  // namespace smoke::server
