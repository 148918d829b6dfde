#include "exporter/probes/assertion_evaluator.h"

#include <re2/re2.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "exporter/core/duration.h"
#include "exporter/probes/json_path_eval.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {

using config::Assertion;
using core::AssertionResult;
using core::Reason;

namespace {

constexpr size_t kActualBytes = 200;  // an "actual" is one line, not a dump

std::string Quote(std::string_view s) { return "\"" + PrintableSnippet(s, 400) + "\""; }

std::string StatusRanges(const std::vector<std::pair<int, int>>& ranges) {
  std::string out;
  for (const auto& [lo, hi] : ranges) {
    if (!out.empty()) out += ", ";
    out += lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
  }
  return out;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fs", s);
  return buf;
}

std::string UtcText(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Whole seconds, so "in 29d23h59m59s" rather than nanosecond noise.
std::string RoundedDuration(int64_t seconds) {
  return core::FormatDuration(std::chrono::seconds(seconds));
}

std::string KindName(Assertion::Kind kind) {
  switch (kind) {
    case Assertion::Kind::kStatus:
      return "status";
    case Assertion::Kind::kBodyRegex:
      return "body_regex";
    case Assertion::Kind::kJson:
      return "json";
    case Assertion::Kind::kHeader:
      return "header";
    case Assertion::Kind::kLatency:
      return "latency";
    case Assertion::Kind::kCertExpiry:
      return "cert_expiry";
    case Assertion::Kind::kAllOf:
      return "all_of";
    case Assertion::Kind::kAnyOf:
      return "any_of";
  }
  return "assertion";
}

}  // namespace

struct AssertionEvaluator::Context {
  explicit Context(const ResponseView& v) : view(v) {}
  const ResponseView& view;
  bool json_parsed = false;
  bool json_ok = false;
  nlohmann::json json;
  std::string json_error;
  bool body_regex_failed = false;
};

config::Assertion DefaultStatusAssertion() {
  Assertion a;
  a.name = "status";
  a.kind = Assertion::Kind::kStatus;
  a.severity = core::Severity::kFail;
  a.status_ranges = {{200, 299}};
  return a;
}

core::Result<AssertionEvaluator::Node> AssertionEvaluator::Compile(const Assertion& assertion) {
  Node node;
  node.assertion = assertion;
  node.assertion.children.clear();
  const std::string label =
      "assertion \"" + assertion.name + "\" (" + KindName(assertion.kind) + ")";
  const bool needs_regex =
      assertion.kind == Assertion::Kind::kBodyRegex ||
      (assertion.kind == Assertion::Kind::kJson && assertion.json_op == config::JsonOp::kMatches) ||
      (assertion.kind == Assertion::Kind::kHeader && !assertion.pattern.empty());
  if (needs_regex) {
    auto re = std::make_shared<const re2::RE2>(assertion.pattern, re2::RE2::Quiet);
    if (!re->ok()) {
      return core::Status::Error(label + ": invalid regex \"" + assertion.pattern +
                                 "\": " + re->error());
    }
    node.regex = std::move(re);
  }
  if (assertion.kind == Assertion::Kind::kJson) {
    if (assertion.json_path_parsed.empty() && !assertion.json_path.empty() &&
        assertion.json_path != "$") {
      // Specs built in code may carry only the text form; the loader fills both.
      core::Result<core::JsonPath> parsed = core::ParseJsonPath(assertion.json_path);
      if (!parsed.ok()) return core::Status::Error(label + ": " + parsed.status().message());
      node.assertion.json_path_parsed = parsed.value();
    }
    node.path_text = !assertion.json_path.empty()
                         ? assertion.json_path
                         : core::FormatJsonPath(node.assertion.json_path_parsed);
  }
  if (assertion.kind == Assertion::Kind::kHeader && assertion.header_name.empty()) {
    return core::Status::Error(label + ": header_name is required");
  }
  for (const Assertion& child : assertion.children) {
    core::Result<Node> compiled = Compile(child);
    if (!compiled.ok()) return compiled.status();
    node.children.push_back(std::move(compiled).value());
  }
  if ((assertion.kind == Assertion::Kind::kAllOf || assertion.kind == Assertion::Kind::kAnyOf) &&
      node.children.empty()) {
    return core::Status::Error(label + ": needs at least one child assertion");
  }
  return node;
}

core::Result<AssertionEvaluator> AssertionEvaluator::Create(
    const std::vector<config::Assertion>& assertions) {
  AssertionEvaluator evaluator;
  for (const Assertion& a : assertions) {
    core::Result<Node> node = Compile(a);
    if (!node.ok()) return node.status();
    evaluator.nodes_.push_back(std::move(node).value());
  }
  return evaluator;
}

Evaluation AssertionEvaluator::Evaluate(const ResponseView& view) const {
  Context ctx(view);
  Evaluation out;
  out.results.reserve(nodes_.size());
  for (const Node& node : nodes_) out.results.push_back(EvaluateNode(node, ctx));
  out.body_regex_failed = ctx.body_regex_failed;
  return out;
}

AssertionResult AssertionEvaluator::EvaluateNode(const Node& node, Context& ctx) {
  const Assertion& a = node.assertion;
  const ResponseView& view = ctx.view;
  AssertionResult r;
  r.name = a.name;
  r.severity = a.severity;

  switch (a.kind) {
    case Assertion::Kind::kStatus: {
      const std::vector<std::pair<int, int>> ranges =
          a.status_ranges.empty() ? std::vector<std::pair<int, int>>{{200, 299}} : a.status_ranges;
      r.reason = Reason::kStatus;
      r.expected = "status in " + StatusRanges(ranges);
      r.actual = std::to_string(view.status_code);
      for (const auto& [lo, hi] : ranges) {
        r.passed = r.passed || (view.status_code >= lo && view.status_code <= hi);
      }
      // 401 is the one status that names its cause: the target wants credentials.
      if (!r.passed && view.status_code == 401) {
        r.reason = view.credentials_sent ? Reason::kAuthFailed : Reason::kAuthRequired;
        r.actual += view.credentials_sent ? " (credentials rejected)" : " (credentials required)";
      }
      break;
    }
    case Assertion::Kind::kBodyRegex: {
      r.reason = Reason::kBody;
      r.expected =
          std::string(a.negate ? "body does not match " : "body matches ") + Quote(a.pattern);
      re2::StringPiece match;
      const bool found = node.regex->Match(re2::StringPiece(view.body.data(), view.body.size()), 0,
                                           view.body.size(), re2::RE2::UNANCHORED, &match, 1);
      r.passed = found != a.negate;
      r.actual = found ? "found " + Quote(PrintableSnippet(
                                        std::string_view(match.data(), match.size()), 100))
                       : "no match in " + std::to_string(view.body.size()) + " bytes";
      if (!r.passed) ctx.body_regex_failed = true;
      break;
    }
    case Assertion::Kind::kJson: {
      r.reason = Reason::kJson;
      r.expected = DescribeJsonCheck(node.path_text, a.json_op, a.json_values, a.pattern);
      if (!ctx.json_parsed) {
        ctx.json_parsed = true;
        ctx.json_ok = ParseJsonBody(view.body, &ctx.json, &ctx.json_error);
      }
      if (!ctx.json_ok) {
        r.actual = "body is not valid JSON: " + ctx.json_error;
        break;
      }
      JsonCheckResult check = CheckJsonValue(ResolveJsonPath(ctx.json, a.json_path_parsed),
                                             a.json_op, a.json_values, node.regex.get());
      r.passed = check.passed;
      r.actual = PrintableSnippet(check.actual, kActualBytes + 20);
      break;
    }
    case Assertion::Kind::kHeader: {
      r.reason = Reason::kHeader;
      std::vector<std::string> values;
      if (view.headers != nullptr) {
        for (const auto& [name, value] : *view.headers) {
          if (EqualsIgnoreCase(name, a.header_name)) values.push_back(value);
        }
      }
      std::string shown;
      for (const std::string& v : values) {
        if (!shown.empty()) shown += ", ";
        shown += IsCredentialHeader(a.header_name) ? std::string(kRedacted) : Quote(v);
      }
      shown = PrintableSnippet(shown, kActualBytes);
      const std::string header = "header " + a.header_name;
      if (a.header_absent) {
        r.expected = header + " absent";
        r.passed = values.empty();
        r.actual = values.empty() ? "absent" : "present: " + shown;
      } else if (!a.pattern.empty()) {
        r.expected = header + (a.negate ? " does not match " : " matches ") + Quote(a.pattern);
        bool any = false;
        for (const std::string& v : values) any = any || re2::RE2::PartialMatch(v, *node.regex);
        r.passed = a.negate ? !any : any;
        r.actual = values.empty() ? "absent" : shown;
      } else {
        r.expected = header + " present";
        r.passed = !values.empty();
        r.actual = values.empty() ? "absent" : shown;
      }
      break;
    }
    case Assertion::Kind::kLatency: {
      r.reason = Reason::kLatency;
      r.expected = "latency <= " + core::FormatDuration(a.max_latency);
      r.passed = view.latency_seconds <= core::ToSeconds(a.max_latency);
      r.actual = Seconds(view.latency_seconds);
      break;
    }
    case Assertion::Kind::kCertExpiry: {
      r.reason = Reason::kCertExpiry;
      r.expected = "certificate valid for at least " + core::FormatDuration(a.min_validity);
      if (!view.earliest_cert_expiry) {
        r.actual = "no TLS certificate";
        break;
      }
      const int64_t now = static_cast<int64_t>(std::floor(core::ToUnixSeconds(view.now)));
      const int64_t left = *view.earliest_cert_expiry - now;
      r.passed = static_cast<double>(left) >= core::ToSeconds(a.min_validity);
      r.actual = left >= 0 ? "expires " + UtcText(*view.earliest_cert_expiry) + " (in " +
                                 RoundedDuration(left) + ")"
                           : "expired " + UtcText(*view.earliest_cert_expiry) + " (" +
                                 RoundedDuration(-left) + " ago)";
      break;
    }
    case Assertion::Kind::kAllOf:
    case Assertion::Kind::kAnyOf: {
      const bool all = a.kind == Assertion::Kind::kAllOf;
      r.reason = Reason::kAssertion;
      std::string names;
      std::string failures;
      size_t failed = 0;
      for (const Node& child : node.children) {
        AssertionResult c = EvaluateNode(child, ctx);
        names += (names.empty() ? "" : ", ") + c.name;
        if (c.passed) continue;
        ++failed;
        failures += (failures.empty() ? "" : "; ") + c.name + ": expected " + c.expected +
                    ", got " + c.actual;
      }
      r.expected = std::string(all ? "all of [" : "any of [") + names + "]";
      r.passed = all ? failed == 0 : failed < node.children.size();
      r.actual = failed == 0 ? "all passed"
                             : std::to_string(failed) + " of " +
                                   std::to_string(node.children.size()) + " failed: " + failures;
      if (r.actual.size() > 2 * kActualBytes) {
        r.actual = SanitizeUtf8(r.actual, 2 * kActualBytes - 3) + "...";
      }
      break;
    }
  }
  return r;
}

}  // namespace smoke::probes
