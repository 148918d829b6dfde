#include "exporter/server/prom_json.h"

#include <charconv>
#include <cmath>
#include <variant>

#include "exporter/promql/go_math.h"
#include "exporter/promql/quote.h"

namespace smoke::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(uint32_t code, std::string* out) {
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(code >> shift) & 0xF]);
}

void AppendPoint(int64_t t_ms, double v, std::string* out) {
  out->push_back('[');
  out->append(TimestampJson(t_ms));
  out->push_back(',');
  out->append(SampleValueJson(v));
  out->push_back(']');
}

std::string ResultJson(const promql::Vector& vector) {
  std::string out = "[";
  for (size_t i = 0; i < vector.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append("{\"metric\":");
    out.append(LabelsJson(vector[i].labels));
    out.append(",\"value\":");
    AppendPoint(vector[i].t, vector[i].v, &out);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

std::string ResultJson(const promql::Matrix& matrix) {
  std::string out = "[";
  for (size_t i = 0; i < matrix.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append("{\"metric\":");
    out.append(LabelsJson(matrix[i].labels));
    // Prometheus leaves "values" out for a series that has only histogram points; float-only
    // series always have at least one point here.
    out.append(",\"values\":[");
    for (size_t j = 0; j < matrix[i].points.size(); ++j) {
      if (j > 0) out.push_back(',');
      AppendPoint(matrix[i].points[j].t, matrix[i].points[j].v, &out);
    }
    out.append("]}");
  }
  out.push_back(']');
  return out;
}

// Scalars and strings go through Prometheus's Scalar/String.MarshalJSON and encoding/json rather
// than its hand-written sample encoder: the timestamp is the float64 T/1000 ("1.5", not "1.500")
// and a scalar's value is always 'f' ("0.0000001", not "1e-07").
std::string GoJsonSeconds(int64_t t_ms) {
  return promql::FormatGoFloatFixed(static_cast<double>(t_ms) / 1000);
}

std::string ResultJson(const promql::Scalar& scalar) {
  return "[" + GoJsonSeconds(scalar.t) + ",\"" + promql::FormatGoFloatFixed(scalar.v) + "\"]";
}

std::string ResultJson(const promql::String& string) {
  return "[" + GoJsonSeconds(string.t) + "," + JsonString(string.v) + "]";
}

}  // namespace

std::string_view ApiErrorTypeName(ApiErrorType type) {
  switch (type) {
    case ApiErrorType::kBadData:
      return "bad_data";
    case ApiErrorType::kExecution:
      return "execution";
    case ApiErrorType::kTimeout:
      return "timeout";
    case ApiErrorType::kCanceled:
      return "canceled";
    case ApiErrorType::kInternal:
      return "internal";
    case ApiErrorType::kNotFound:
      return "not_found";
    case ApiErrorType::kUnavailable:
      return "unavailable";
  }
  return "internal";
}

int HttpStatusOf(ApiErrorType type) {
  switch (type) {
    case ApiErrorType::kBadData:
      return 400;
    case ApiErrorType::kExecution:
      return 422;
    case ApiErrorType::kTimeout:
    case ApiErrorType::kCanceled:
    case ApiErrorType::kUnavailable:
      return 503;
    case ApiErrorType::kNotFound:
      return 404;
    case ApiErrorType::kInternal:
      return 500;
  }
  return 500;
}

std::string SampleValueJson(double v) {
  const double abs = std::fabs(v);
  std::string digits;
  if (std::isfinite(v) && abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go's 'e' with shortest digits and C++'s shortest scientific agree: "1e-07", "1.5e+21".
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    digits.assign(buf, r.ptr);
  } else {
    digits = promql::FormatGoFloatFixed(v);
  }
  return "\"" + digits + "\"";
}

std::string TimestampJson(int64_t t_ms) {
  std::string out;
  // Unsigned arithmetic so that INT64_MIN has a magnitude too.
  uint64_t magnitude = static_cast<uint64_t>(t_ms);
  if (t_ms < 0) {
    out.push_back('-');
    magnitude = 0 - magnitude;
  }
  out.append(std::to_string(magnitude / 1000));
  const uint64_t fraction = magnitude % 1000;
  if (fraction != 0) {
    // Prometheus writes all three digits (".780", not ".78").
    out.push_back('.');
    if (fraction < 100) out.push_back('0');
    if (fraction < 10) out.push_back('0');
    out.append(std::to_string(fraction));
  }
  return out;
}

std::string JsonString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  size_t pos = 0;
  while (pos < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        // Go escapes these so that JSON can be embedded in HTML.
        case '<':
        case '>':
        case '&':
          AppendUnicodeEscape(c, &out);
          break;
        default:
          if (c < 0x20) {
            AppendUnicodeEscape(c, &out);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++pos;
      continue;
    }
    int width = 0;
    const uint32_t rune = promql::DecodeRune(s, pos, &width);
    if (rune == promql::kRuneError && width == 1) {
      out.append("\\ufffd");  // invalid UTF-8, as Go replaces it
    } else if (rune == 0x2028 || rune == 0x2029) {
      AppendUnicodeEscape(rune, &out);  // line separators break JavaScript string literals
    } else {
      out.append(s.substr(pos, width));
    }
    pos += width;
  }
  out.push_back('"');
  return out;
}

std::string LabelsJson(const promql::Labels& labels) {
  std::string out = "{";
  bool first = true;
  for (const promql::Label& l : labels) {
    if (!first) out.push_back(',');
    first = false;
    out.append(JsonString(l.name));
    out.push_back(':');
    out.append(JsonString(l.value));
  }
  out.push_back('}');
  return out;
}

std::string StringArrayJson(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(JsonString(values[i]));
  }
  out.push_back(']');
  return out;
}

std::string QueryDataJson(const promql::Value& value) {
  std::string out = "{\"resultType\":";
  out.append(JsonString(promql::ValueTypeName(promql::TypeOf(value))));
  out.append(",\"result\":");
  out.append(std::visit([](const auto& v) { return ResultJson(v); }, value));
  out.push_back('}');
  return out;
}

std::string SuccessJson(std::string_view data_json, const std::vector<std::string>& warnings) {
  std::string out = "{\"status\":\"success\",\"data\":";
  out.append(data_json);
  if (!warnings.empty()) {
    out.append(",\"warnings\":");
    out.append(StringArrayJson(warnings));
  }
  out.push_back('}');
  return out;
}

std::string ErrorJson(const ApiError& error) {
  std::string out = "{\"status\":\"error\",\"errorType\":";
  out.append(JsonString(ApiErrorTypeName(error.type)));
  out.append(",\"error\":");
  out.append(JsonString(error.message));
  out.push_back('}');
  return out;
}

}  // namespace smoke::server
