#include "exporter/server/query_command.h"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/promql/go_math.h"
#include "exporter/promql/quote.h"
#include "exporter/server/query_params.h"

namespace smoke::server {
namespace {

using nlohmann::json;

constexpr int64_t kMaxResponseBytes = 256 << 20;

// The URL without user:password@, for messages.
std::string RedactUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t host = scheme + 3;
  const size_t path = url.find_first_of("/?#", host);
  const size_t at = url.rfind('@', path == std::string::npos ? url.size() : path);
  if (at == std::string::npos || at < host) return url;
  return url.substr(0, host) + "<redacted>@" + url.substr(at + 1);
}

// model.Metric.String(): `name{a="1", b="2"}`, `name`, or `{}`.
std::string FormatMetric(const json& metric) {
  std::string name;
  std::vector<std::string> pairs;
  if (metric.is_object()) {
    for (const auto& [k, v] : metric.items()) {  // nlohmann keeps keys sorted
      const std::string value = v.is_string() ? v.get<std::string>() : v.dump();
      if (k == "__name__") {
        name = value;
      } else {
        pairs.push_back(k + "=" + promql::GoQuote(value));
      }
    }
  }
  if (pairs.empty()) return name.empty() ? "{}" : name;
  std::string out = name + "{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out += ", ";
    out += pairs[i];
  }
  return out + "}";
}

// model.SampleValue.String(): the API writes "1e-07", promtool prints "0.0000001".
std::string SampleValue(const json& value) {
  if (!value.is_string()) return value.dump();
  const std::string text = value.get<std::string>();
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return text;
  return promql::FormatGoFloatFixed(v);
}

// `1 @[1435781451.781]` from the API's [1435781451.781, "1"].
std::string FormatPoint(const json& point) {
  if (!point.is_array() || point.size() != 2 || !point[0].is_number()) return point.dump();
  const double ms = std::round(point[0].get<double>() * 1000);
  return SampleValue(point[1]) + " @[" + promql::FormatGoFloatFixed(ms / 1000) + "]";
}

std::string StringOr(const json& j, const char* key, const std::string& fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

int PrintQueryResponse(int http_status, std::string_view body, std::string_view source,
                       std::ostream& out, std::ostream& err) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("status")) {
    std::string snippet(body.substr(0, 200));
    while (!snippet.empty() && (snippet.back() == '\n' || snippet.back() == '\r')) {
      snippet.pop_back();
    }
    err << "error: " << source << " did not answer with Prometheus API JSON (HTTP " << http_status
        << "): " << snippet << "\n";
    return kQueryExitUnreachable;
  }
  if (auto warnings = doc.find("warnings"); warnings != doc.end() && warnings->is_array()) {
    for (const json& w : *warnings) {
      err << "warning: " << (w.is_string() ? w.get<std::string>() : w.dump()) << "\n";
    }
  }
  if (StringOr(doc, "status", "") != "success") {
    err << "error (" << StringOr(doc, "errorType", "unknown")
        << "): " << StringOr(doc, "error", "HTTP " + std::to_string(http_status)) << "\n";
    return kQueryExitApiError;
  }
  const json data = doc.value("data", json::object());
  const std::string type = StringOr(data, "resultType", "");
  const json result = data.value("result", json());
  if (type == "vector" && result.is_array()) {
    for (const json& s : result) {
      out << FormatMetric(s.value("metric", json::object())) << " => "
          << FormatPoint(s.value("value", json())) << "\n";
    }
  } else if (type == "matrix" && result.is_array()) {
    for (const json& s : result) {
      out << FormatMetric(s.value("metric", json::object())) << " =>\n";
      for (const json& p : s.value("values", json::array())) out << FormatPoint(p) << "\n";
    }
  } else if (type == "scalar") {
    out << "scalar: " << FormatPoint(result) << "\n";
  } else if (type == "string" && result.is_array() && result.size() == 2) {
    out << (result[1].is_string() ? result[1].get<std::string>() : result[1].dump()) << "\n";
  } else {
    err << "error: " << source << " answered with an unknown result type \"" << type << "\"\n";
    return kQueryExitUnreachable;
  }
  return kQueryExitOk;
}

int RunQueryCommand(const QueryCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::string base = options.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string endpoint = base + "/api/v1/query";
  const std::string source = RedactUrl(base);
  std::string form = "query=" + UrlEncode(options.expr);
  if (!options.time.empty()) form += "&time=" + UrlEncode(options.time);

  // POST first, so that long expressions fit; a server that only takes GET answers 405 (as
  // client_golang does, fall back then).
  clients::HttpRequest request;
  request.url = endpoint;
  request.method = "POST";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = form;
  request.body_limit = kMaxResponseBytes;
  const clients::SteadyTime deadline = std::chrono::steady_clock::now() + options.timeout;
  clients::CurlHttpClient client;
  clients::HttpResponse response = client.Execute(request, deadline);
  if (response.status.ok() && response.status_code == 405) {
    request.method = "GET";
    request.url = endpoint + "?" + form;
    request.body.clear();
    request.headers = {{"Accept", "application/json"}};
    response = client.Execute(request, deadline);
  }
  if (!response.status.ok()) {
    err << "error: cannot reach " << source << ": " << response.status.message << "\n";
    return kQueryExitUnreachable;
  }
  return PrintQueryResponse(response.status_code, response.body, source, out, err);
}

}  // namespace smoke::server
