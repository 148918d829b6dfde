// The JSON Prometheus clients parse: sample values as Go formats them, timestamps as seconds with
// millisecond decimals, Go's string escaping, and the envelope of every result type.

#include "exporter/server/prom_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace smoke::server {
namespace {

TEST(PromJsonTest, SampleValuesAreFormattedAsPrometheusWritesThem) {
  const double inf = std::numeric_limits<double>::infinity();
  const struct {
    double v;
    const char* want;
  } cases[] = {
      {1, R"("1")"},
      {0, R"("0")"},
      {-0.0, R"("-0")"},
      {0.1, R"("0.1")"},
      {1.5, R"("1.5")"},
      {-2.25, R"("-2.25")"},
      {123456789012, R"("123456789012")"},
      {1e20, R"("100000000000000000000")"},  // still 'f' below 1e21
      {1e21, R"("1e+21")"},
      {1.5e300, R"("1.5e+300")"},
      {0.000001, R"("0.000001")"},  // 'f' down to 1e-6
      {1e-7, R"("1e-07")"},
      {-2.5e-10, R"("-2.5e-10")"},
      {5e-324, R"("5e-324")"},
      {std::nan(""), R"("NaN")"},
      {inf, R"("+Inf")"},
      {-inf, R"("-Inf")"},
  };
  for (const auto& c : cases) EXPECT_EQ(SampleValueJson(c.v), c.want) << c.v;
}

TEST(PromJsonTest, TimestampsAreSecondsWithMillisecondDecimals) {
  const struct {
    int64_t ms;
    const char* want;
  } cases[] = {
      {1435781451781, "1435781451.781"},
      {1435781451780, "1435781451.780"},  // three digits, as Prometheus writes them
      {1435781451000, "1435781451"},
      {1700000000005, "1700000000.005"},
      {1700000000050, "1700000000.050"},
      {0, "0"},
      {5, "0.005"},
      {-1500, "-1.500"},
      {-1, "-0.001"},
  };
  for (const auto& c : cases) EXPECT_EQ(TimestampJson(c.ms), c.want) << c.ms;
  EXPECT_EQ(TimestampJson(std::numeric_limits<int64_t>::min()), "-9223372036854775.808");
}

TEST(PromJsonTest, StringsAreEscapedAsGoEncodingJson) {
  EXPECT_EQ(JsonString("plain"), R"("plain")");
  EXPECT_EQ(JsonString("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonString("line\nnext\ttab\r"), R"("line\nnext\ttab\r")");
  EXPECT_EQ(JsonString(std::string("nul\0bell\a", 9)), R"("nul\u0000bell\u0007")");
  EXPECT_EQ(JsonString("<script>&</script>"), R"("\u003cscript\u003e\u0026\u003c/script\u003e")");
  EXPECT_EQ(JsonString("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
  EXPECT_EQ(JsonString("bad\xff\xfe"), R"("bad\ufffd\ufffd")");
  EXPECT_EQ(JsonString("sep\xe2\x80\xa8"), R"("sep\u2028")");
}

TEST(PromJsonTest, VectorResultHasMetricAndValuePerSample) {
  promql::Vector v = {
      {promql::Labels{{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}, 1435781451781, 1},
      {promql::Labels{}, 1435781451781, std::nan("")},
  };
  EXPECT_EQ(
      QueryDataJson(v),
      R"({"resultType":"vector","result":[)"
      R"({"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[1435781451.781,"1"]},)"
      R"({"metric":{},"value":[1435781451.781,"NaN"]}]})");
  EXPECT_EQ(QueryDataJson(promql::Vector{}), R"({"resultType":"vector","result":[]})");
}

TEST(PromJsonTest, MatrixScalarAndStringResults) {
  promql::Matrix m = {{promql::Labels{{"job", "api"}}, {{1000, 1}, {16000, 2.5}}}};
  EXPECT_EQ(
      QueryDataJson(m),
      R"({"resultType":"matrix","result":[{"metric":{"job":"api"},"values":[[1,"1"],[16,"2.5"]]}]})");
  // Prometheus writes scalars and strings through encoding/json: "1.5", not "1.500", and 'f'.
  EXPECT_EQ(QueryDataJson(promql::Scalar{1500, -1}),
            R"({"resultType":"scalar","result":[1.5,"-1"]})");
  EXPECT_EQ(QueryDataJson(promql::Scalar{1700000000010, 1e-7}),
            R"({"resultType":"scalar","result":[1700000000.01,"0.0000001"]})");
  EXPECT_EQ(QueryDataJson(promql::String{2000, "a \"b\""}),
            R"({"resultType":"string","result":[2,"a \"b\""]})");
}

TEST(PromJsonTest, EnvelopesCarryStatusWarningsAndErrors) {
  EXPECT_EQ(SuccessJson("[]"), R"({"status":"success","data":[]})");
  EXPECT_EQ(SuccessJson("{}", {"results truncated due to limit"}),
            R"({"status":"success","data":{},"warnings":["results truncated due to limit"]})");
  EXPECT_EQ(
      ErrorJson({ApiErrorType::kBadData, "invalid parameter \"query\": x"}),
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": x"})");
  const struct {
    ApiErrorType type;
    const char* name;
    int status;
  } cases[] = {
      {ApiErrorType::kBadData, "bad_data", 400},
      {ApiErrorType::kExecution, "execution", 422},
      {ApiErrorType::kTimeout, "timeout", 503},
      {ApiErrorType::kCanceled, "canceled", 503},
      {ApiErrorType::kInternal, "internal", 500},
      {ApiErrorType::kNotFound, "not_found", 404},
      {ApiErrorType::kUnavailable, "unavailable", 503},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ApiErrorTypeName(c.type), c.name);
    EXPECT_EQ(HttpStatusOf(c.type), c.status) << c.name;
  }
}

}  // namespace
}  // namespace smoke::server
