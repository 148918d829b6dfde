#pragma once
// Turns a probe's configured assertions into AssertionResults for one response, without any
// network: the probe hands over a ResponseView, the evaluator says what passed and explains what
// did not in words a person can act on ("expected status in 200-299, got 503").
// Thread-safety: immutable after Create; Evaluate may be called concurrently.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"

namespace re2 {
class RE2;
}

namespace smoke::probes {

// What assertions look at. Views, not copies: valid only during Evaluate.
struct ResponseView {
  int status_code = 0;
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;  // every value
  std::string_view body;
  double latency_seconds = 0;
  std::optional<int64_t> earliest_cert_expiry;  // unix seconds; nullopt = no TLS certificate
  core::TimePoint now{};
  // Whether the request carried credentials: a 401 then means they were rejected (auth_failed)
  // rather than missing (auth_required).
  bool credentials_sent = false;
};

struct Evaluation {
  std::vector<core::AssertionResult> results;  // one per top-level assertion, in config order
  bool body_regex_failed = false;              // some body_regex failed, also inside all_of/any_of
};

class AssertionEvaluator {
 public:
  // Compiles every regex and parses JSON paths not parsed yet; fails naming the assertion whose
  // pattern or path is invalid, or whose kind lacks what it needs.
  static core::Result<AssertionEvaluator> Create(const std::vector<config::Assertion>& assertions);

  Evaluation Evaluate(const ResponseView& view) const;
  bool empty() const { return nodes_.empty(); }

 private:
  struct Node {
    config::Assertion assertion;  // children are in `children`, not in assertion.children
    std::shared_ptr<const re2::RE2> regex;
    std::string path_text;  // the JSON path as shown to people
    std::vector<Node> children;
  };
  struct Context;  // per-Evaluate state: the view and the lazily parsed JSON body

  static core::Result<Node> Compile(const config::Assertion& assertion);
  static core::AssertionResult EvaluateNode(const Node& node, Context& ctx);

  std::vector<Node> nodes_;
};

// The default when a probe configures no assertions: "status", 200-299, fail severity (the same
// assertion the config loader adds).
config::Assertion DefaultStatusAssertion();

}  // namespace smoke::probes
