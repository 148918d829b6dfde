// The cors contract against servers that allow the configured origin and that withhold each
// permission a browser needs (seed 001: "CORS configured: multi-origin support"; seed 003: "CORS
// headers present", which passed on any header at all).

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <mutex>
#include <string>

#include "tests/support/fake_tcp_server.h"
#include "tests/unit/probes/contract_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using smoke::testing::FakeTcpServer;
using namespace testutil;  // NOLINT: test builders

using Headers = std::vector<std::pair<std::string, std::string>>;

// CivetWeb answers OPTIONS itself, with CORS headers of its own, so the fake HTTP server cannot
// play a service's preflight. This one records each request and answers with a fixed status and
// headers, whatever the method.
class CorsServer {
 public:
  struct Request {
    std::string method;
    std::map<std::string, std::string> headers;  // names lower-cased
  };

  CorsServer(int status, Headers headers)
      : status_(status),
        headers_(std::move(headers)),
        server_([this](FakeTcpServer::Connection& conn) { Serve(conn); }) {}

  std::string url() const { return "http://" + server_.address() + "/api"; }
  std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve(FakeTcpServer::Connection& conn) {
    const std::string head = conn.ReadUntil("\r\n\r\n");
    Request req;
    req.method = head.substr(0, head.find(' '));
    size_t line = head.find("\r\n");
    while (line != std::string::npos && line + 2 < head.size()) {
      const size_t next = head.find("\r\n", line + 2);
      const std::string header = head.substr(line + 2, next - line - 2);
      const size_t colon = header.find(':');
      if (colon != std::string::npos) {
        std::string name = header.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const size_t value = header.find_first_not_of(' ', colon + 1);
        req.headers[name] = value == std::string::npos ? "" : header.substr(value);
      }
      line = next;
    }
    {
      std::lock_guard lock(mu_);
      requests_.push_back(std::move(req));
    }
    std::string response = "HTTP/1.1 " + std::to_string(status_) + " X\r\n";
    for (const auto& [name, value] : headers_) response += name + ": " + value + "\r\n";
    conn.Write(response + "Content-Length: 0\r\nConnection: close\r\n\r\n");
  }

  const int status_;
  const Headers headers_;
  mutable std::mutex mu_;
  std::vector<Request> requests_;
  FakeTcpServer server_;  // last: its handler uses the members above
};

constexpr char kOrigin[] = "https://app.example.com";

const Headers kAllowed = {
    {"Access-Control-Allow-Origin", kOrigin},
    {"Access-Control-Allow-Methods", "GET, POST, DELETE"},
    {"Access-Control-Allow-Headers", "Content-Type, X-Request-Id"},
    {"Access-Control-Allow-Credentials", "true"},
    {"Vary", "Origin"},
};

Headers Replace(const std::string& name, const std::string& value) {
  Headers out;
  for (const auto& h : kAllowed) {
    if (h.first != name) out.push_back(h);
  }
  if (!value.empty()) out.emplace_back(name, value);
  return out;
}

const std::string kFull =
    "{contract: {cors: {origin: 'https://app.example.com', method: DELETE, "
    "request_headers: [X-Request-Id], credentials: true}}}";

TEST(CorsContractTest, SendsTheBrowsersPreflightAndPassesWhenAllowed) {
  CorsServer server(204, kAllowed);
  const config::ProbeSpec spec =
      ContractSpecFor(server.url(),
                      "{contract: {cors: {origin: 'https://app.example.com', method: DELETE, "
                      "request_headers: [X-Request-Id], credentials: true}}, "
                      "bearer_token_env: API_TOKEN}",
                      {{"API_TOKEN", "tok-1"}});
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(FailedChecks(r), "");
  EXPECT_EQ(r.assertions.size(), 5u);
  const std::vector<CorsServer::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const CorsServer::Request& req = requests[0];
  EXPECT_EQ(req.method, "OPTIONS");
  EXPECT_EQ(req.headers.at("origin"), kOrigin);
  EXPECT_EQ(req.headers.at("access-control-request-method"), "DELETE");
  EXPECT_EQ(req.headers.at("access-control-request-headers"), "x-request-id");
  EXPECT_EQ(req.headers.count("authorization"), 0u);  // preflights never carry credentials
}

TEST(CorsContractTest, NamesEachMissingPermission) {
  struct Case {
    const char* name;
    int status;
    Headers headers;
    const char* failed;
  };
  const Case cases[] = {
      {"preflight rejected", 405, kAllowed, "cors_status"},
      {"no CORS headers at all",
       204,
       {},
       "cors_allow_origin, cors_allow_methods, cors_allow_headers, cors_allow_credentials"},
      {"another origin", 204, Replace("Access-Control-Allow-Origin", "https://admin.example.com"),
       "cors_allow_origin"},
      {"wildcard with credentials", 204, Replace("Access-Control-Allow-Origin", "*"),
       "cors_allow_origin"},
      {"method not allowed", 204, Replace("Access-Control-Allow-Methods", "GET, POST"),
       "cors_allow_methods"},
      {"header not allowed", 204, Replace("Access-Control-Allow-Headers", "Content-Type"),
       "cors_allow_headers"},
      {"credentials not allowed", 204, Replace("Access-Control-Allow-Credentials", ""),
       "cors_allow_credentials"},
  };
  for (const Case& c : cases) {
    CorsServer server(c.status, c.headers);
    const core::ProbeResult r = RunContract(server.url(), kFull);
    EXPECT_EQ(r.outcome, Outcome::kFailed) << c.name;
    EXPECT_EQ(r.reason, Reason::kCors) << c.name << ": " << Describe(r);
    EXPECT_EQ(FailedChecks(r), c.failed) << c.name;
  }
}

TEST(CorsContractTest, ExplainsAWrongOrigin) {
  CorsServer server(204, Replace("Access-Control-Allow-Origin", "*"));
  const core::ProbeResult r = RunContract(server.url(), kFull);
  const core::AssertionResult* origin = FindAssertion(r, "cors_allow_origin");
  ASSERT_NE(origin, nullptr);
  EXPECT_EQ(origin->expected, "Access-Control-Allow-Origin: https://app.example.com");
  EXPECT_EQ(origin->actual, "\"*\" (a wildcard is not allowed with credentials)");
  EXPECT_EQ(Detail(r, "access_control_allow_origin"), "*");
}

TEST(CorsContractTest, WildcardAndSafelistedMethodsPassWithoutCredentials) {
  CorsServer server(200, {{"Access-Control-Allow-Origin", "*"}});
  const core::ProbeResult r =
      RunContract(server.url(), "{contract: {cors: {origin: 'http://localhost:3000'}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(r.assertions.size(), 3u);  // status, origin, methods (GET is safelisted)
}

TEST(CorsContractTest, WithoutPreflightSendsAPlainRequestWithOrigin) {
  CorsServer server(200, {{"Access-Control-Allow-Origin", "https://app.example.com"}});
  const core::ProbeResult r = RunContract(
      server.url(), "{contract: {cors: {origin: 'https://app.example.com', preflight: false}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  const std::vector<CorsServer::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].headers.at("origin"), "https://app.example.com");
  EXPECT_EQ(requests[0].headers.count("access-control-request-method"), 0u);
  EXPECT_EQ(FailedChecks(r), "");
  EXPECT_EQ(r.assertions.size(), 2u);  // status, origin
}

}  // namespace
}  // namespace smoke::probes
