// The query API against a real Prometheus (the Debian package, 2.42): the same samples are
// backfilled into Prometheus (promtool tsdb create-blocks-from openmetrics) and appended to a
// MemoryStorage behind our routes, then the same requests go to both over HTTP and must get the
// same JSON: instant and range queries over every result type, label and series lookups, and
// the errors both versions word alike. `smoke_exporter query` must print what `promtool query
// instant` prints.
// Prometheus 2.42 and our API (which follows Prometheus 3) differ on purpose in one place: a
// range query that does not parse is `invalid parameter "query": ...` in 3.x and bare in 2.42, so
// that case is not compared.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "exporter/server/http_server.h"
#include "exporter/server/query_api.h"
#include "exporter/server/query_params.h"
#include "exporter/tsdb/memory_storage.h"
#include "tests/support/http_client.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::server {
namespace {

using nlohmann::json;
using ::smoke::testing::HttpGet;
using ::smoke::testing::Shell;
using ::smoke::testing::ShellQuote;
using ::smoke::testing::Subprocess;
using ::smoke::testing::TempDir;
using ::smoke::testing::WaitFor;

constexpr const char* kPrometheus = "/usr/bin/prometheus";
constexpr const char* kPromtool = "/usr/bin/promtool";
// One hour of 15 s samples from here (2023-11-14T22:13:20Z), inside one 2 h block.
constexpr int64_t kStartMs = 1'700'000'000'000;
constexpr int64_t kEndMs = kStartMs + 3'600'000;
constexpr int64_t kStepMs = 15'000;

struct Series {
  promql::Labels labels;
  std::vector<promql::Point> points;
};

// Deterministic data with what makes PromQL interesting: counters with a reset, histogram
// buckets, gauges with many significant digits, NaN and +Inf samples, gaps longer than the
// lookback, and sample times off the 15 s grid.
std::vector<Series> MakeData() {
  std::vector<Series> data;
  auto add = [&](promql::Labels labels, auto value, int64_t every_ms = kStepMs,
                 int64_t offset_ms = 0) {
    Series s{std::move(labels), {}};
    int i = 0;
    for (int64_t t = kStartMs + offset_ms; t <= kEndMs; t += every_ms, ++i) {
      std::optional<double> v = value(i);
      if (v) s.points.push_back({t, *v});
    }
    data.push_back(std::move(s));
  };
  add({{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}},
      [](int i) -> std::optional<double> { return i >= 100 && i < 120 ? 0 : 1; });
  add({{"__name__", "up"}, {"job", "db"}, {"instance", "b:2"}},
      [](int i) -> std::optional<double> { return (i / 10) % 2; });
  add({{"__name__", "up"}, {"job", "cache"}, {"instance", "c:3"}},
      [](int) -> std::optional<double> { return 1; });
  double total200 = 0;
  add({{"__name__", "http_requests_total"}, {"job", "api"}, {"code", "200"}},
      [&](int i) -> std::optional<double> {
        if (i == 140) total200 = 0;  // a restart
        total200 += (i * i) % 7 + 0.5;
        return total200;
      });
  add({{"__name__", "http_requests_total"}, {"job", "api"}, {"code", "500"}},
      [](int i) -> std::optional<double> { return std::floor(i / 9.0); });
  const double bounds[] = {0.1, 0.5, 1, std::numeric_limits<double>::infinity()};
  const char* les[] = {"0.1", "0.5", "1", "+Inf"};
  for (int b = 0; b < 4; ++b) {
    add({{"__name__", "http_request_duration_seconds_bucket"}, {"job", "api"}, {"le", les[b]}},
        [b, &bounds](int i) -> std::optional<double> {
          // Cumulative counts: each step adds 10 requests spread by a drifting latency.
          double count = 0;
          for (int k = 0; k <= i; ++k) {
            const double latency = 0.05 + 0.3 * (1 + std::sin(k / 7.0));
            for (int r = 0; r < 10; ++r) count += latency * (r + 1) / 5 <= bounds[b];
          }
          return count;
        });
  }
  add({{"__name__", "temperature"}, {"room", "lab"}},
      [](int i) -> std::optional<double> { return 20 + 10 * std::sin(i / 11.0); });
  add(
      {{"__name__", "temperature"}, {"room", "hall"}},
      [](int i) -> std::optional<double> { return -3.25 + std::cos(i / 5.0) / 3; }, 10'000, 2'500);
  add(
      {{"__name__", "special"}, {"kind", "nan"}},
      [](int) -> std::optional<double> { return std::nan(""); }, 60'000);
  add(
      {{"__name__", "special"}, {"kind", "inf"}},
      [](int i) -> std::optional<double> {
        return i % 2 ? std::numeric_limits<double>::infinity() : 1e-7;
      },
      60'000);
  add({{"__name__", "sparse"}, {"job", "batch"}}, [](int i) -> std::optional<double> {
    if (i % 40 >= 30) return std::nullopt;  // 10 minutes without samples
    return i * 1.5;
  });
  return data;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// OpenMetrics text for promtool: one series after another, in time order, then "# EOF".
std::string ToOpenMetrics(const std::vector<Series>& data) {
  std::string out;
  for (const Series& s : data) {
    std::string name;
    std::string labels;
    for (const promql::Label& l : s.labels) {
      if (l.name == "__name__") {
        name = l.value;
        continue;
      }
      labels += (labels.empty() ? "" : ",") + l.name + "=\"" + l.value + "\"";
    }
    for (const promql::Point& p : s.points) {
      char ts[64];
      std::snprintf(ts, sizeof ts, "%lld.%03lld", static_cast<long long>(p.t / 1000),
                    static_cast<long long>(p.t % 1000));
      out += name + "{" + labels + "} " + FormatValue(p.v) + " " + ts + "\n";
    }
  }
  return out + "# EOF\n";
}

std::string Body(const std::string& url) {
  testing::HttpReply r = HttpGet(url);
  return r.status == 0 ? "transport error: " + r.error : r.body;
}

class QueryApiPrometheusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (access(kPrometheus, X_OK) != 0 || access(kPromtool, X_OK) != 0) return;
    dir_ = new TempDir();
    const std::vector<Series> data = MakeData();
    const std::string input = dir_->Write("input.om", ToOpenMetrics(data));
    const std::string tsdb = (dir_->path() / "data").string();
    int status = 0;
    const std::string out = Shell(std::string(kPromtool) + " tsdb create-blocks-from openmetrics " +
                                      ShellQuote(input) + " " + ShellQuote(tsdb) + " 2>&1",
                                  &status);
    if (status != 0) {
      setup_error_ = "promtool failed: " + out;
      return;
    }
    const std::string config = dir_->Write("prometheus.yml", "global: {}\n");
    // A port can be taken between free_port.sh and Prometheus binding it; try a few.
    for (int attempt = 0; attempt < 3 && prometheus_url_.empty(); ++attempt) {
      const std::string port = Shell(std::string(SMOKE_SOURCE_DIR) + "/scripts/free_port.sh");
      prometheus_ = new Subprocess(
          {kPrometheus, "--config.file=" + config, "--storage.tsdb.path=" + tsdb,
           "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:" + port},
          dir_->path().string());
      const std::string url = "http://127.0.0.1:" + port;
      if (WaitFor([&] { return HttpGet(url + "/-/ready").status == 200; },
                  std::chrono::seconds(30))) {
        prometheus_url_ = url;
      } else {
        setup_error_ = "prometheus did not become ready: " + prometheus_->Stderr();
        StopPrometheus();
      }
    }

    storage_ = new tsdb::MemoryStorage();
    for (const Series& s : data) {
      for (const promql::Point& p : s.points) {
        if (!storage_->Append(s.labels, p.t, p.v).ok()) setup_error_ = "append failed";
      }
    }
    clock_ = new core::ManualClock();
    QueryContext ctx;
    ctx.storage = storage_;
    ctx.clock = clock_;
    // The Debian Prometheus is 2.x: closed range windows.
    ctx.options.compatibility = promql::Compatibility::kPrometheus2;
    server_ = new HttpServer({.listen_address = "127.0.0.1:0", .threads = 2});
    InstallQueryRoutes(*server_, [ctx] { return ctx; });
    if (!server_->Start().ok()) setup_error_ = "our server did not start";
    ours_url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  static void StopPrometheus() {
    if (prometheus_ == nullptr) return;
    prometheus_->Signal(SIGTERM);
    prometheus_->Wait(std::chrono::seconds(10));
    delete prometheus_;
    prometheus_ = nullptr;
  }

  static void TearDownTestSuite() {
    StopPrometheus();
    delete server_;
    delete clock_;
    delete storage_;
    delete dir_;
  }

  void SetUp() override {
    if (access(kPrometheus, X_OK) != 0 || access(kPromtool, X_OK) != 0) {
      GTEST_SKIP() << "prometheus/promtool not installed (apt-get install prometheus)";
    }
    ASSERT_EQ(setup_error_, "");
    ASSERT_FALSE(prometheus_url_.empty());
  }

  // GETs `path_and_query` from both servers and expects the same answer. Result order counts only
  // where PromQL defines it (sort, sort_desc, matrices); otherwise both sides are sorted first.
  static void ExpectSameAnswer(const std::string& path_and_query, bool ordered = false,
                               bool last_bits = false) {
    SCOPED_TRACE(path_and_query);
    const std::string theirs_body = Body(prometheus_url_ + path_and_query);
    const std::string ours_body = Body(ours_url_ + path_and_query);
    json theirs = json::parse(theirs_body, nullptr, false);
    json ours = json::parse(ours_body, nullptr, false);
    ASSERT_FALSE(theirs.is_discarded()) << theirs_body;
    ASSERT_FALSE(ours.is_discarded()) << ours_body;
    if (!ordered) {
      for (json* doc : {&theirs, &ours}) {
        json* result =
            doc->contains("data") && (*doc)["data"].is_object() && (*doc)["data"].contains("result")
                ? &(*doc)["data"]["result"]
                : (doc->contains("data") ? &(*doc)["data"] : nullptr);
        if (result != nullptr && result->is_array()) {
          std::sort(result->begin(), result->end(),
                    [](const json& a, const json& b) { return a.dump() < b.dump(); });
        }
      }
    }
    if (last_bits) {
      EXPECT_TRUE(NearlyEqual(ours, theirs))
          << "ours:   " << ours_body << "\ntheirs: " << theirs_body;
    } else {
      EXPECT_EQ(ours, theirs) << "ours:   " << ours_body << "\ntheirs: " << theirs_body;
    }
  }

  // Equal, except that sample values may differ in their last bits.
  static bool NearlyEqual(const json& a, const json& b) {
    if (a.type() != b.type()) return false;
    if (a.is_array() || a.is_object()) {
      if (a.size() != b.size()) return false;
      for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
        if (a.is_object() && ia.key() != ib.key()) return false;
        if (!NearlyEqual(*ia, *ib)) return false;
      }
      return true;
    }
    if (a.is_string() && a != b) {
      char* end_a = nullptr;
      char* end_b = nullptr;
      const std::string sa = a.get<std::string>(), sb = b.get<std::string>();
      const double va = std::strtod(sa.c_str(), &end_a), vb = std::strtod(sb.c_str(), &end_b);
      return *end_a == '\0' && *end_b == '\0' && std::isfinite(va) &&
             std::fabs(va - vb) <= 1e-14 * std::max(std::fabs(va), std::fabs(vb));
    }
    return a == b;
  }

  static std::string Instant(const std::string& expr, int64_t t_ms) {
    return "/api/v1/query?query=" + UrlEncode(expr) + "&time=" + std::to_string(t_ms / 1000) + "." +
           std::to_string(1000 + t_ms % 1000).substr(1);
  }

  static std::string Range(const std::string& expr, int64_t start_ms, int64_t end_ms,
                           const std::string& step) {
    return "/api/v1/query_range?query=" + UrlEncode(expr) +
           "&start=" + std::to_string(start_ms / 1000) + "&end=" + std::to_string(end_ms / 1000) +
           "&step=" + step;
  }

  static TempDir* dir_;
  static Subprocess* prometheus_;
  static std::string prometheus_url_;
  static tsdb::MemoryStorage* storage_;
  static core::ManualClock* clock_;
  static HttpServer* server_;
  static std::string ours_url_;
  static std::string setup_error_;
};

TempDir* QueryApiPrometheusTest::dir_ = nullptr;
Subprocess* QueryApiPrometheusTest::prometheus_ = nullptr;
std::string QueryApiPrometheusTest::prometheus_url_;
tsdb::MemoryStorage* QueryApiPrometheusTest::storage_ = nullptr;
core::ManualClock* QueryApiPrometheusTest::clock_ = nullptr;
HttpServer* QueryApiPrometheusTest::server_ = nullptr;
std::string QueryApiPrometheusTest::ours_url_;
std::string QueryApiPrometheusTest::setup_error_;

// Expressions of instant-vector or scalar type, so that they work as range queries too.
const char* const kVectorExprs[] = {
    "up",
    "up == 0",
    "up{job=~\"a.*|db\"}",
    "up{job!=\"db\"} * 2 + 1",
    "sum(up)",
    "sum by (job) (up)",
    "count by (job) (up)",
    "count_values(\"value\", up)",
    "avg(temperature)",
    "stddev(temperature)",
    "stdvar(temperature)",
    "quantile(0.5, temperature)",
    "topk(1, temperature)",
    "bottomk(2, http_requests_total)",
    "group by (job) (up)",
    "rate(http_requests_total[5m])",
    "irate(http_requests_total[5m])",
    "increase(http_requests_total[10m])",
    "sum by (code) (rate(http_requests_total[5m]))",
    "resets(http_requests_total[1h])",
    "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.5, rate(http_request_duration_seconds_bucket[10m]))",
    "avg_over_time(temperature[10m])",
    "max_over_time(temperature[10m])",
    "min_over_time(temperature[10m])",
    "sum_over_time(temperature[10m])",
    "count_over_time(up[5m])",
    "stddev_over_time(temperature[10m])",
    "quantile_over_time(0.9, temperature[10m])",
    "last_over_time(sparse[10m])",
    "present_over_time(sparse[10m])",
    "absent_over_time(sparse[1m])",
    "changes(up[30m])",
    "delta(temperature[5m])",
    "idelta(temperature[5m])",
    "deriv(temperature[10m])",
    "predict_linear(temperature[10m], 3600)",
    "abs(temperature)",
    "round(temperature, 0.1)",
    "clamp(temperature, -3, 25)",
    "ceil(temperature) - floor(temperature)",
    "sqrt(abs(temperature))",
    "sgn(temperature - 20)",
    "absent(nonexistent)",
    "absent(up)",
    "label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")",
    "label_join(up, \"both\", \"-\", \"job\", \"instance\")",
    "http_requests_total / ignoring(code) group_left sum by (job) (http_requests_total)",
    "up and on(job) (http_requests_total > 0)",
    "up or vector(0)",
    "up unless up == 0",
    "timestamp(up)",
    "up offset 10m",
    "up @ 1700001800",
    "max_over_time(temperature[10m:1m])",
    "rate(http_requests_total[5m:30s])",
    "special",
    "special + 1",
    "sum(special)",
    "sparse",
    "vector(time())",
    ("hour(vector(time())) + minute(vector(time())) + day_of_week(vector(time())) + "
     "month(vector(time())) + year(vector(time()))"),
    "time()",
    "scalar(sum(up))",
    "1 / 0",
    "-1 / 0",
    "0 / 0",
    "1e-7 * 1",
    "0.1 + 0.2",
};

// Go's math.Exp and math.Log are not glibc's: a result can differ in its last bit (the engine
// reproduces Go's math.Pow, not these yet), so these are compared to 1e-14 relative.
const char* const kLastBitExprs[] = {
    "exp(temperature / 10)",
    "ln(abs(temperature) + 1) + log2(abs(temperature) + 1) + log10(abs(temperature) + 1)",
};

TEST_F(QueryApiPrometheusTest, InstantQueriesGiveTheSameData) {
  const int64_t times[] = {kStartMs + 1'800'000, kStartMs + 3'540'500, kEndMs + 60'000,
                           kEndMs + 420'000};
  for (const char* expr : kVectorExprs) {
    for (int64_t t : times) ExpectSameAnswer(Instant(expr, t));
  }
  for (const char* expr : kLastBitExprs) {
    for (int64_t t : times) ExpectSameAnswer(Instant(expr, t), false, /*last_bits=*/true);
  }
  for (const char* expr : {"up[2m]", "temperature[1m]", "special[5m]", "\"a <string> & more\"",
                           "rate(http_requests_total[5m])[3m:1m]"}) {
    ExpectSameAnswer(Instant(expr, kStartMs + 1'800'000), /*ordered=*/true);
  }
  ExpectSameAnswer(Instant("sort(temperature)", kStartMs + 1'800'000), /*ordered=*/true);
  ExpectSameAnswer(Instant("sort_desc(sum by (job) (up))", kStartMs + 1'800'000), /*ordered=*/true);
}

TEST_F(QueryApiPrometheusTest, RangeQueriesGiveTheSameData) {
  for (const char* expr : kVectorExprs) {
    ExpectSameAnswer(Range(expr, kStartMs, kEndMs + 600'000, "60"), /*ordered=*/true);
    ExpectSameAnswer(Range(expr, kStartMs + 1'000, kStartMs + 1'201'000, "37s"), /*ordered=*/true);
  }
  for (const char* expr : kLastBitExprs) {
    ExpectSameAnswer(Range(expr, kStartMs, kEndMs + 600'000, "60"), true, /*last_bits=*/true);
  }
}

TEST_F(QueryApiPrometheusTest, SeriesAndLabelLookupsGiveTheSameData) {
  const std::string window = "&start=" + std::to_string(kStartMs / 1000 - 7200) +
                             "&end=" + std::to_string(kEndMs / 1000 + 7200);
  const std::vector<std::string> paths = {
      "/api/v1/labels",
      "/api/v1/labels?match[]=up",
      "/api/v1/labels?match[]=" + UrlEncode("{job=\"api\"}") + window,
      "/api/v1/label/job/values",
      "/api/v1/label/__name__/values",
      "/api/v1/label/le/values?match[]=" + UrlEncode("{job=\"api\"}"),
      "/api/v1/label/nope/values",
      "/api/v1/series?match[]=up&match[]=special",
      "/api/v1/series?match[]=" + UrlEncode("{job=\"api\"}") + window,
      "/api/v1/series?match[]=" + UrlEncode("{__name__=~\"http_.*\", le!=\"+Inf\"}"),
      // Entirely before the data.
      "/api/v1/series?match[]=up&start=1600000000&end=1600003600",
  };
  for (const std::string& path : paths) ExpectSameAnswer(path);
}

TEST_F(QueryApiPrometheusTest, ErrorsAreTheSame) {
  const int64_t t = kStartMs + 1'800'000;
  const std::vector<std::string> paths = {
      Instant("foo bar", t),
      Instant("sum(", t),
      Instant("rate(up)", t),
      Instant("up{job=~\"(\"}", t),
      Instant(R"(label_replace(label_replace(up, "instance", "", "", ""), "job", "", "", ""))", t),
      Instant("up / on() up", t),
      Instant("http_requests_total + on(job) up", t),
      "/api/v1/query?query=up&time=yesterday",
      "/api/v1/query?query=up&timeout=soon",
      "/api/v1/query_range?query=up&start=10&end=5&step=1",
      "/api/v1/query_range?query=up&start=1&end=5&step=0",
      "/api/v1/query_range?query=up&start=0&end=11001&step=1",
      "/api/v1/query_range?query=up&end=5&step=1",
      "/api/v1/series",
      "/api/v1/series?match[]=" + UrlEncode("up{"),
      "/api/v1/series?match[]=" + UrlEncode("{job=~\".*\"}"),
      "/api/v1/label/1x/values",
  };
  for (const std::string& path : paths) ExpectSameAnswer(path);
}

TEST_F(QueryApiPrometheusTest, QueryCommandPrintsWhatPromtoolPrints) {
  const std::string time = "1700001800";
  for (const char* expr : {"up", "sum by (job) (rate(http_requests_total[5m]))", "time()", "up[1m]",
                           "special", "count(up)"}) {
    SCOPED_TRACE(expr);
    int promtool_status = 0;
    const std::string promtool =
        Shell(std::string(kPromtool) + " query instant --time=" + time + " " +
                  ShellQuote(prometheus_url_) + " " + ShellQuote(expr) + " 2>&1",
              &promtool_status);
    int ours_status = 0;
    const std::string ours =
        Shell(std::string(SMOKE_EXPORTER_BINARY) + " query --time=" + time +
                  " --url=" + ShellQuote(prometheus_url_) + " " + ShellQuote(expr) + " 2>&1",
              &ours_status);
    EXPECT_EQ(promtool_status, 0);
    EXPECT_EQ(ours_status, 0);
    // promtool prints a vector in the server's order; compare sets of lines.
    auto lines = [](const std::string& s) {
      std::vector<std::string> out;
      for (size_t pos = 0; pos <= s.size();) {
        size_t nl = s.find('\n', pos);
        if (nl == std::string::npos) nl = s.size();
        if (nl > pos) out.push_back(s.substr(pos, nl - pos));
        pos = nl + 1;
      }
      return out;
    };
    std::vector<std::string> a = lines(ours), b = lines(promtool);
    if (std::string(expr).find('[') == std::string::npos) {
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
    }
    EXPECT_EQ(a, b) << "ours:\n" << ours << "promtool:\n" << promtool;
  }
}

}  // namespace
}  // namespace smoke::server
