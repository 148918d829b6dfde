#pragma once
// A parser for the Prometheus text exposition format 0.0.4, with the rules of the parser a
// Prometheus 2.x scrape uses (model/textparse promparse) plus the checks its scrape loop and
// expfmt add (duplicate label names, duplicate HELP/TYPE, TYPE after the family's samples).
// The self-scraper feeds the TSDB with it, so the rules see exactly what Prometheus would scrape;
// the metrics-endpoint probe uses it to tell whether a target's /metrics would scrape at all.
//
// What it accepts, as Prometheus does:
//  - empty and whitespace-only lines, `#` comments, no newline after the last line;
//  - `# HELP name text` (escapes \\ and \n; other backslashes are kept) and
//    `# TYPE name counter|gauge|histogram|summary|untyped`; a `#HELP` without a space is a comment;
//  - `name{label="value",...} value [timestamp_ms]` with spaces or tabs between tokens, a trailing
//    comma in the label set, label value escapes \" \\ \n (other backslashes are kept), values as
//    Go's ParseFloat reads them (NaN, +Inf, -Inf in any case, exponents; no hex, no '_'), and an
//    integer millisecond timestamp (digits only, as promparse).
// What it rejects, with the first error ending the parse ("line 3, column 9: expected '=' after
// label name, got \"}\""): invalid metric or label names, duplicate label names (including an
// explicit __name__), unterminated or invalid UTF-8 label values, a bad value or timestamp, text
// after the timestamp, a second HELP or TYPE for one name, a TYPE after samples of its family, and
// an unknown type.
// A NaN value is normalised to Prometheus's canonical NaN, so no exposition can forge a staleness
// marker.
// Thread-safety: a pure function; safe to call from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/promql/labels.h"

namespace smoke::tsdb {

// One metric family: declared by HELP and/or TYPE lines, or implied by samples without them (then
// type "untyped" and an empty help). Families are listed in order of first appearance.
struct ExpositionFamily {
  std::string name;
  std::string type;  // counter|gauge|histogram|summary|untyped
  std::string help;  // unescaped
};

struct ExpositionSample {
  promql::Labels labels;  // incl. __name__; a label with an empty value is absent, as in Prometheus
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

struct ParsedExposition {
  std::vector<ExpositionFamily> families;
  std::vector<ExpositionSample> samples;  // in the order of the text
};

// Strict Prometheus text format 0.0.4; the first error aborts, as a Prometheus scrape does.
core::Result<ParsedExposition> ParseTextExposition(std::string_view text);

}  // namespace smoke::tsdb
