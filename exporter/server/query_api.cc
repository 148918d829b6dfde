#include "exporter/server/query_api.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "exporter/promql/labels.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/quote.h"
#include "exporter/promql/value.h"
#include "exporter/server/prom_json.h"
#include "exporter/server/query_params.h"

namespace smoke::server {
namespace {

using promql::LabelMatcher;
using MatcherSets = std::vector<std::vector<LabelMatcher>>;

// Prometheus's cap on points per series of a range query (web/api/v1/api.go).
constexpr int64_t kMaxPointsPerSeries = 11000;
constexpr std::string_view kLabelPrefix = "/api/v1/label/";
constexpr std::string_view kValuesSuffix = "/values";
constexpr std::string_view kTruncatedWarning = "results truncated due to limit";

HttpResponse Error(ApiErrorType type, std::string message) {
  ApiError error{type, std::move(message)};
  return HttpResponse::Json(HttpStatusOf(type), ErrorJson(error));
}

// Prometheus's invalidParamError: `invalid parameter "start": <cause>`.
HttpResponse InvalidParam(std::string_view name, const std::string& cause) {
  return Error(ApiErrorType::kBadData, "invalid parameter " + promql::GoQuote(name) + ": " + cause);
}

HttpResponse Success(std::string_view data_json, const std::vector<std::string>& warnings = {}) {
  return HttpResponse::Json(200, SuccessJson(data_json, warnings));
}

int64_t NowMs(const QueryContext& ctx) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(ctx.clock->Now().time_since_epoch())
      .count();
}

// The `limit` parameter (Prometheus 3): a non-negative integer; 0 means no limit.
core::Result<size_t> ParseLimit(const std::string& s) {
  if (s.empty()) return size_t{0};
  int64_t v = 0;
  const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
  auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return core::Status::Error("strconv.Atoi: parsing " + promql::GoQuote(s) +
                               ": value out of range");
  }
  if (ec != std::errc() || ptr != s.data() + s.size() || begin == s.data() + s.size()) {
    return core::Status::Error("strconv.Atoi: parsing " + promql::GoQuote(s) + ": invalid syntax");
  }
  if (v < 0) return core::Status::Error("limit must be non-negative");
  return static_cast<size_t>(v);
}

// Each match[] selector, parsed; Prometheus's parseMatchersParam.
core::Result<MatcherSets> ParseMatchers(const std::vector<std::string>& selectors) {
  MatcherSets sets;
  for (const std::string& s : selectors) {
    core::Result<std::vector<LabelMatcher>> matchers = promql::ParseMetricSelector(s);
    if (!matchers.ok()) return matchers.status();
    const bool selective = std::any_of(matchers->begin(), matchers->end(),
                                       [](const LabelMatcher& m) { return !m.Matches(""); });
    if (!selective) {
      return core::Status::Error("match[] must contain at least one non-empty matcher");
    }
    sets.push_back(std::move(matchers).value());
  }
  return sets;
}

// The labels of every series matching any of `sets` (all series without sets) with a sample in
// [start_ms, end_ms], sorted and without duplicates.
std::vector<promql::Labels> MatchingSeries(const promql::Queryable& storage, MatcherSets sets,
                                           int64_t start_ms, int64_t end_ms) {
  if (sets.empty()) sets.emplace_back();
  std::set<promql::Labels> unique;
  for (const auto& matchers : sets) {
    for (promql::SeriesView& s : storage.Select(matchers, start_ms, end_ms)) {
      unique.insert(std::move(s.labels));
    }
  }
  return {unique.begin(), unique.end()};
}

// start, end and match[] as the series and labels endpoints read them.
struct SeriesParams {
  int64_t start_ms = kApiMinTimeMs;
  int64_t end_ms = kApiMaxTimeMs;
  MatcherSets matchers;
  size_t limit = 0;
};

// Parses the shared parameters; on error returns the response to send.
std::optional<HttpResponse> ParseSeriesParams(const QueryForm& form, bool wrap_matcher_errors,
                                              SeriesParams* out) {
  core::Result<size_t> limit = ParseLimit(form.Value("limit"));
  if (!limit.ok()) return InvalidParam("limit", limit.status().message());
  out->limit = *limit;
  core::Result<int64_t> start = ParseApiTimeParam("start", form.Value("start"), kApiMinTimeMs);
  if (!start.ok()) return InvalidParam("start", start.status().message());
  core::Result<int64_t> end = ParseApiTimeParam("end", form.Value("end"), kApiMaxTimeMs);
  if (!end.ok()) return InvalidParam("end", end.status().message());
  out->start_ms = *start;
  out->end_ms = *end;
  core::Result<MatcherSets> sets = ParseMatchers(form.Values("match[]"));
  if (!sets.ok()) {
    // The series endpoint names the parameter; labels and label values do not (as Prometheus).
    if (wrap_matcher_errors) return InvalidParam("match[]", sets.status().message());
    return Error(ApiErrorType::kBadData, sets.status().message());
  }
  out->matchers = std::move(sets).value();
  return std::nullopt;
}

template <typename T>
void Truncate(std::vector<T>* items, size_t limit, std::vector<std::string>* warnings) {
  if (limit > 0 && items->size() > limit) {
    items->resize(limit);
    warnings->emplace_back(kTruncatedWarning);
  }
}

// The query parameters shared by instant and range queries.
struct EvalParams {
  core::Duration timeout;
  promql::EvalOptions options;
  size_t limit = 0;
};

std::optional<HttpResponse> ParseEvalParams(const QueryContext& ctx, const QueryForm& form,
                                            EvalParams* out) {
  out->timeout = ctx.timeout;
  out->options = ctx.options;
  if (const std::string to = form.Value("timeout"); !to.empty()) {
    core::Result<core::Duration> timeout = ParseApiDuration(to);
    if (!timeout.ok()) return InvalidParam("timeout", timeout.status().message());
    out->timeout = std::min(out->timeout, *timeout);
  }
  if (const std::string lookback = form.Value("lookback_delta"); !lookback.empty()) {
    core::Result<core::Duration> d = ParseApiDuration(lookback);
    if (!d.ok()) {
      return Error(ApiErrorType::kBadData,
                   "error parsing lookback delta duration: " + d.status().message());
    }
    if (*d > core::Duration::zero()) out->options.lookback_delta = *d;
  }
  return std::nullopt;
}

// Runs `eval` and turns its outcome into the API's answer: 422 for an evaluation error, 503 when
// it outlasted the timeout.
template <typename Eval>
HttpResponse Evaluate(const QueryContext& ctx, const EvalParams& params, Eval eval) {
  const core::TimePoint started = ctx.clock->Now();
  core::Result<promql::Value> value = eval();
  if (ctx.clock->Now() - started > params.timeout) {
    return Error(ApiErrorType::kTimeout, "query timed out in expression evaluation");
  }
  if (!value.ok()) return Error(ApiErrorType::kExecution, value.status().message());
  std::vector<std::string> warnings;
  if (auto* vector = std::get_if<promql::Vector>(&value.value())) {
    Truncate(vector, params.limit, &warnings);
  } else if (auto* matrix = std::get_if<promql::Matrix>(&value.value())) {
    Truncate(matrix, params.limit, &warnings);
  }
  return Success(QueryDataJson(*value), warnings);
}

HttpResponse MethodNotAllowed(const char* allowed) {
  HttpResponse r = HttpResponse::Text(405, "Method Not Allowed\n");
  r.headers.emplace_back("Allow", allowed);
  return r;
}

using ContextFactory = std::function<QueryContext()>;
using QueryHandler = HttpResponse (*)(const QueryContext&, const HttpRequest&);

HttpHandler Wrap(ContextFactory context, QueryHandler handler, bool allow_post) {
  return [context = std::move(context), handler, allow_post](const HttpRequest& req) {
    const bool allowed =
        req.method == "GET" || req.method == "HEAD" || (allow_post && req.method == "POST");
    if (!allowed) return MethodNotAllowed(allow_post ? "GET, POST" : "GET");
    return handler(context(), req);
  };
}

}  // namespace

HttpResponse HandleQuery(const QueryContext& ctx, const HttpRequest& req) {
  const QueryForm form(req);
  EvalParams params;
  core::Result<size_t> limit = ParseLimit(form.Value("limit"));
  if (!limit.ok()) return InvalidParam("limit", limit.status().message());
  params.limit = *limit;
  core::Result<int64_t> t = ParseApiTimeParam("time", form.Value("time"), NowMs(ctx));
  if (!t.ok()) return InvalidParam("time", t.status().message());
  if (auto error = ParseEvalParams(ctx, form, &params)) return *error;
  core::Result<promql::ExprPtr> expr = promql::ParseExpr(form.Value("query"));
  if (!expr.ok()) return InvalidParam("query", expr.status().message());
  if (ctx.storage == nullptr) {
    return Error(ApiErrorType::kUnavailable, "the query storage is not available yet");
  }
  return Evaluate(ctx, params, [&]() -> core::Result<promql::Value> {
    return promql::EvalInstant(**expr, *ctx.storage, *t, params.options);
  });
}

HttpResponse HandleQueryRange(const QueryContext& ctx, const HttpRequest& req) {
  const QueryForm form(req);
  EvalParams params;
  core::Result<size_t> limit = ParseLimit(form.Value("limit"));
  if (!limit.ok()) return InvalidParam("limit", limit.status().message());
  params.limit = *limit;
  core::Result<int64_t> start = ParseApiTime(form.Value("start"));
  if (!start.ok()) return InvalidParam("start", start.status().message());
  core::Result<int64_t> end = ParseApiTime(form.Value("end"));
  if (!end.ok()) return InvalidParam("end", end.status().message());
  if (*end < *start) return InvalidParam("end", "end timestamp must not be before start time");
  core::Result<core::Duration> step = ParseApiDuration(form.Value("step"));
  if (!step.ok()) return InvalidParam("step", step.status().message());
  const int64_t step_ms = std::chrono::duration_cast<std::chrono::milliseconds>(*step).count();
  // A step under a millisecond is zero to the engine, which counts in milliseconds.
  if (step_ms <= 0) {
    return InvalidParam("step",
                        "zero or negative query resolution step widths are not accepted. Try a "
                        "positive integer");
  }
  // Prometheus divides nanosecond durations; the span saturates as Go's Time.Sub does.
  const uint64_t span_ms = static_cast<uint64_t>(*end) - static_cast<uint64_t>(*start);
  constexpr uint64_t kMaxSpanMs = std::numeric_limits<int64_t>::max() / 1'000'000;
  const int64_t span_ns = span_ms > kMaxSpanMs ? std::numeric_limits<int64_t>::max()
                                               : static_cast<int64_t>(span_ms) * 1'000'000;
  if (span_ns / step->count() > kMaxPointsPerSeries) {
    return Error(ApiErrorType::kBadData,
                 "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
                 "query resolution (?step=XX)");
  }
  if (auto error = ParseEvalParams(ctx, form, &params)) return *error;
  core::Result<promql::ExprPtr> expr = promql::ParseExpr(form.Value("query"));
  if (!expr.ok()) return InvalidParam("query", expr.status().message());
  const promql::ValueType type = (*expr)->Type();
  if (type != promql::ValueType::kVector && type != promql::ValueType::kScalar) {
    return InvalidParam("query", "invalid expression type \"" +
                                     std::string(promql::DocumentedType(type)) +
                                     "\" for range query, must be Scalar or instant Vector");
  }
  if (ctx.storage == nullptr) {
    return Error(ApiErrorType::kUnavailable, "the query storage is not available yet");
  }
  return Evaluate(ctx, params, [&]() -> core::Result<promql::Value> {
    core::Result<promql::Matrix> m =
        promql::EvalRange(**expr, *ctx.storage, *start, *end, step_ms, params.options);
    if (!m.ok()) return m.status();
    return promql::Value(std::move(m).value());
  });
}

HttpResponse HandleSeries(const QueryContext& ctx, const HttpRequest& req) {
  const QueryForm form(req);
  if (form.Values("match[]").empty()) {
    return Error(ApiErrorType::kBadData, "no match[] parameter provided");
  }
  SeriesParams params;
  if (auto error = ParseSeriesParams(form, /*wrap_matcher_errors=*/true, &params)) return *error;
  if (ctx.storage == nullptr) {
    return Error(ApiErrorType::kUnavailable, "the query storage is not available yet");
  }
  std::vector<promql::Labels> series =
      MatchingSeries(*ctx.storage, std::move(params.matchers), params.start_ms, params.end_ms);
  std::vector<std::string> warnings;
  Truncate(&series, params.limit, &warnings);
  std::string data = "[";
  for (size_t i = 0; i < series.size(); ++i) {
    if (i > 0) data.push_back(',');
    data.append(LabelsJson(series[i]));
  }
  data.push_back(']');
  return Success(data, warnings);
}

HttpResponse HandleLabels(const QueryContext& ctx, const HttpRequest& req) {
  const QueryForm form(req);
  SeriesParams params;
  if (auto error = ParseSeriesParams(form, /*wrap_matcher_errors=*/false, &params)) return *error;
  if (ctx.storage == nullptr) {
    return Error(ApiErrorType::kUnavailable, "the query storage is not available yet");
  }
  std::set<std::string> names;
  for (const promql::Labels& labels :
       MatchingSeries(*ctx.storage, std::move(params.matchers), params.start_ms, params.end_ms)) {
    for (const promql::Label& l : labels) names.insert(l.name);
  }
  std::vector<std::string> out(names.begin(), names.end());
  std::vector<std::string> warnings;
  Truncate(&out, params.limit, &warnings);
  return Success(StringArrayJson(out), warnings);
}

HttpResponse HandleLabelValues(const QueryContext& ctx, const HttpRequest& req) {
  const std::string_view path = req.path;
  const bool shaped = path.size() >= kLabelPrefix.size() + kValuesSuffix.size() &&
                      path.substr(0, kLabelPrefix.size()) == kLabelPrefix &&
                      path.substr(path.size() - kValuesSuffix.size()) == kValuesSuffix;
  const std::string_view name =
      shaped ? path.substr(kLabelPrefix.size(),
                           path.size() - kLabelPrefix.size() - kValuesSuffix.size())
             : std::string_view();
  if (!shaped || name.find('/') != std::string_view::npos) {
    return HttpResponse::Text(404, "404 page not found\n");
  }
  if (!promql::IsValidLabelName(name)) {
    return Error(ApiErrorType::kBadData, "invalid label name: " + promql::GoQuote(name));
  }
  const QueryForm form(req);
  SeriesParams params;
  if (auto error = ParseSeriesParams(form, /*wrap_matcher_errors=*/false, &params)) return *error;
  if (ctx.storage == nullptr) {
    return Error(ApiErrorType::kUnavailable, "the query storage is not available yet");
  }
  // Only series that have the label can contribute a value; saying so lets the index answer.
  core::Result<LabelMatcher> has_label =
      LabelMatcher::Create(promql::MatchType::kNotEqual, std::string(name), "");
  if (params.matchers.empty()) params.matchers.emplace_back();
  for (auto& set : params.matchers) set.push_back(*has_label);
  std::set<std::string> values;
  for (const promql::Labels& labels :
       MatchingSeries(*ctx.storage, std::move(params.matchers), params.start_ms, params.end_ms)) {
    values.insert(std::string(labels.Get(name)));
  }
  std::vector<std::string> out(values.begin(), values.end());
  std::vector<std::string> warnings;
  Truncate(&out, params.limit, &warnings);
  return Success(StringArrayJson(out), warnings);
}

HttpResponse HandleBuildInfo(const QueryContext& ctx, const HttpRequest&) {
  // Prometheus's PrometheusVersion fields; we have no Go toolchain or VCS facts to report.
  return Success("{\"version\":" + JsonString(ctx.version) +
                 ",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\","
                 "\"goVersion\":\"\"}");
}

HttpResponse HandleMetadata(const QueryContext&, const HttpRequest& req) {
  const QueryForm form(req);
  if (const std::string limit = form.Value("limit"); !limit.empty()) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), v);
    if (ec != std::errc() || ptr != limit.data() + limit.size()) {
      return Error(ApiErrorType::kBadData, "limit must be a number");
    }
  }
  return Success("{}");
}

void InstallQueryRoutes(HttpServer& server, std::function<QueryContext()> context) {
  server.Route("/api/v1/query", Wrap(context, HandleQuery, true));
  server.Route("/api/v1/query_range", Wrap(context, HandleQueryRange, true));
  server.Route("/api/v1/series", Wrap(context, HandleSeries, true));
  server.Route("/api/v1/labels", Wrap(context, HandleLabels, true));
  server.Route(std::string(kLabelPrefix), Wrap(context, HandleLabelValues, false));
  server.Route("/api/v1/status/buildinfo", Wrap(context, HandleBuildInfo, false));
  server.Route("/api/v1/metadata", Wrap(context, HandleMetadata, false));
}

}  // namespace smoke::server
