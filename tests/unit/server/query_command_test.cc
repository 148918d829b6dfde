// `smoke_exporter query` against an in-process HttpServer (port 0) with the query routes
// installed: what a person sees for each result type, for API errors and for a dead server.

#include "exporter/server/query_command.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>
#include <string>

#include "exporter/server/http_server.h"
#include "exporter/server/query_api.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kT0 = 1'700'000'000'000;

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

// One server for the suite (stopping a CivetWeb server takes seconds). Besides the API it serves
// /get-only/api/v1/query, which refuses POST, and nothing under /elsewhere/.
class QueryCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    storage_ = new tsdb::MemoryStorage();
    for (int64_t t = kT0 - 60'000; t <= kT0; t += 15'000) {
      ASSERT_TRUE(
          storage_->Append({{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}, t, 1).ok());
      ASSERT_TRUE(
          storage_->Append({{"__name__", "up"}, {"job", "db"}, {"instance", "b:2"}}, t, 0).ok());
    }
    clock_ = new core::ManualClock();
    QueryContext ctx;
    ctx.storage = storage_;
    ctx.clock = clock_;
    server_ = new HttpServer({.listen_address = "127.0.0.1:0", .threads = 2});
    InstallQueryRoutes(*server_, [ctx] { return ctx; });
    server_->Route("/get-only/api/v1/query", [ctx](const HttpRequest& req) {
      if (req.method != "GET") return HttpResponse::Text(405, "Method Not Allowed\n");
      return HandleQuery(ctx, req);
    });
    ASSERT_TRUE(server_->Start().ok());
    url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete clock_;
    delete storage_;
  }

  static CommandRun Query(const std::string& expr, const std::string& time = "1700000000",
                          const std::string& url = url_) {
    QueryCommandOptions options;
    options.expr = expr;
    options.time = time;
    options.url = url;
    std::ostringstream out, err;
    const int code = RunQueryCommand(options, out, err);
    return {code, out.str(), err.str()};
  }

  static tsdb::MemoryStorage* storage_;
  static core::ManualClock* clock_;
  static HttpServer* server_;
  static std::string url_;
};

tsdb::MemoryStorage* QueryCommandTest::storage_ = nullptr;
core::ManualClock* QueryCommandTest::clock_ = nullptr;
HttpServer* QueryCommandTest::server_ = nullptr;
std::string QueryCommandTest::url_;

// A loopback port nothing listens on: bound, never listened on, and closed.
int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(QueryCommandTest, PrintsAVectorOneSamplePerLine) {
  CommandRun r = Query("up");
  EXPECT_EQ(r.code, kQueryExitOk) << r.err;
  EXPECT_EQ(r.out,
            "up{instance=\"a:1\", job=\"api\"} => 1 @[1700000000]\n"
            "up{instance=\"b:2\", job=\"db\"} => 0 @[1700000000]\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(QueryCommandTest, PrintsScalarsStringsAndRangeVectors) {
  EXPECT_EQ(Query("1 / 4", "1700000000.5").out, "scalar: 0.25 @[1700000000.5]\n");
  EXPECT_EQ(Query("\"hi there\"").out, "hi there\n");
  EXPECT_EQ(Query("sum by (job) (up)").out,
            "{job=\"api\"} => 1 @[1700000000]\n{job=\"db\"} => 0 @[1700000000]\n");
  EXPECT_EQ(Query("up{job=\"db\"}[30s]").out,
            "up{instance=\"b:2\", job=\"db\"} =>\n0 @[1699999985]\n0 @[1700000000]\n");
  EXPECT_EQ(Query("1/0").out, "scalar: +Inf @[1700000000]\n");
  CommandRun empty = Query("nothing_here");
  EXPECT_EQ(empty.code, kQueryExitOk);
  EXPECT_EQ(empty.out, "");
}

TEST_F(QueryCommandTest, TimeDefaultsToTheServersNowAndAcceptsRfc3339) {
  EXPECT_EQ(Query("time()", "").out, "scalar: 1700000000 @[1700000000]\n");
  EXPECT_EQ(Query("time()", "2023-11-14T22:13:20.25Z").out,
            "scalar: 1700000000.25 @[1700000000.25]\n");
}

TEST_F(QueryCommandTest, ApiErrorsArePrintedWithTheirTypeAndExit1) {
  CommandRun parse = Query("sum(");
  EXPECT_EQ(parse.code, kQueryExitApiError);
  EXPECT_EQ(parse.out, "");
  EXPECT_THAT(parse.err,
              HasSubstr("error (bad_data): invalid parameter \"query\": 1:5: parse error"));
  CommandRun time = Query("up", "yesterday");
  EXPECT_EQ(time.code, kQueryExitApiError);
  EXPECT_THAT(time.err, HasSubstr("error (bad_data): invalid parameter \"time\""));
  CommandRun exec =
      Query(R"(label_replace(label_replace(up, "instance", "", "", ""), "job", "", "", ""))");
  EXPECT_EQ(exec.code, kQueryExitApiError);
  EXPECT_EQ(exec.err, "error (execution): vector cannot contain metrics with the same labelset\n");
}

TEST_F(QueryCommandTest, UnreachableServerExits2) {
  const int port = ClosedPort();
  ASSERT_GT(port, 0);
  CommandRun r = Query("up", "", "http://user:secret@127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(r.code, kQueryExitUnreachable);
  EXPECT_THAT(r.err, HasSubstr("cannot reach http://<redacted>@127.0.0.1:"));
  EXPECT_THAT(r.err, Not(HasSubstr("secret")));
}

TEST_F(QueryCommandTest, SomethingOtherThanThePrometheusApiExits2) {
  CommandRun r = Query("up", "", url_ + "/elsewhere");
  EXPECT_EQ(r.code, kQueryExitUnreachable);
  EXPECT_THAT(r.err,
              HasSubstr("did not answer with Prometheus API JSON (HTTP 404): 404 page not found"));
}

TEST_F(QueryCommandTest, FallsBackToGetWhenPostIsNotAllowedAndToleratesTrailingSlash) {
  CommandRun r = Query("up{job=\"api\"}", "1700000000", url_ + "/get-only/");
  EXPECT_EQ(r.code, kQueryExitOk) << r.err;
  EXPECT_EQ(r.out, "up{instance=\"a:1\", job=\"api\"} => 1 @[1700000000]\n");
}

TEST(QueryCommandPrintTest, WarningsGoToStderrAndLabelValuesAreQuoted) {
  std::ostringstream out, err;
  const int code = PrintQueryResponse(
      200,
      R"({"status":"success","warnings":["results truncated due to limit"],"data":{"resultType":"vector",)"
      R"("result":[{"metric":{"path":"a\"b\n"},"value":[1.001,"NaN"]},)"
      R"({"metric":{},"value":[1.001,"1e-07"]},{"metric":{},"value":[1.001,"-Inf"]}]}})",
      "test", out, err);
  EXPECT_EQ(code, kQueryExitOk);
  // Values print as promtool prints them (strconv 'f'), not as the API's JSON spells them.
  EXPECT_EQ(
      out.str(),
      "{path=\"a\\\"b\\n\"} => NaN @[1.001]\n{} => 0.0000001 @[1.001]\n{} => -Inf @[1.001]\n");
  EXPECT_EQ(err.str(), "warning: results truncated due to limit\n");
}

}  // namespace
}  // namespace smoke::server
