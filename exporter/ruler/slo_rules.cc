#include "exporter/ruler/slo_rules.h"

#include <re2/re2.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <tuple>

#include "exporter/promql/parser.h"
#include "exporter/ruler/slo_windows.h"
#include "exporter/ruler/template.h"

namespace smoke::ruler {
namespace {

using config::SloSpec;
using LabelMap = std::map<std::string, std::string>;

// Ten significant digits: exact for the ratios and factors that occur (0.999, 14.4), and free of
// float noise (100 - 99.9 is 0.0999999999999943).
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// For people: four significant digits (0.2333, not 0.2333333333).
std::string ShortNum(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// The form prometheus-cpp writes an `le` label in (shortest round trip, as Go's client does).
std::string BucketLabel(double v) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string PromString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string RegexLiteral(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".+*?()|[]{}^$\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// The matchers of the SLI's probe selector, without braces: probe=~"a|b",component="api".
std::string SelectorMatchers(const config::SloProbeSelector& sel) {
  std::vector<std::string> parts;
  if (sel.probes.size() == 1) {
    parts.push_back("probe=" + PromString(sel.probes[0]));
  } else if (!sel.probes.empty()) {
    std::string alternatives;
    for (const std::string& p : sel.probes) {
      alternatives += (alternatives.empty() ? "" : "|") + RegexLiteral(p);
    }
    parts.push_back("probe=~" + PromString(alternatives));
  }
  for (const auto& [name, value] : sel.labels) parts.push_back(name + "=" + PromString(value));
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

std::string WithMatchers(const std::string& metric, const std::string& first,
                         const std::string& rest) {
  std::string inner = first;
  if (!rest.empty()) inner += (inner.empty() ? "" : ",") + rest;
  return metric + "{" + inner + "}";
}

std::string SubstituteWindow(const std::string& query, const std::string& window) {
  std::string out = query;
  static const RE2 kWindow(R"(\{\{\s*\.window\s*\}\})");
  RE2::GlobalReplace(&out, kWindow, window);
  return out;
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    out += (first ? "" : "\n") + prefix + line;
    first = false;
  }
  return out;
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// The error ratio over `window`; "a window without events records nothing" is the `>= 0`,
// which drops the NaN of 0/0.
std::string SliErrorRatio(const SloSpec& slo, const std::string& window) {
  const std::string sel = SelectorMatchers(slo.selector);
  std::string errors;
  std::string total;
  switch (slo.sli) {
    case SloSpec::Sli::kAvailability:
      errors = "sum(rate(" + WithMatchers("smoke_probe_results_total", "outcome=\"failed\"", sel) +
               "[" + window + "]))";
      total = "sum(rate(" +
              WithMatchers("smoke_probe_results_total", "outcome=~\"ok|degraded|failed\"", sel) +
              "[" + window + "]))";
      break;
    case SloSpec::Sli::kLatency: {
      const std::string count = "sum(rate(" +
                                WithMatchers("smoke_probe_duration_seconds_count", "", sel) + "[" +
                                window + "]))";
      const std::string under =
          "sum(rate(" +
          WithMatchers("smoke_probe_duration_seconds_bucket", sel,
                       "le=" + PromString(BucketLabel(slo.threshold_seconds))) +
          "[" + window + "]))";
      errors = "(\n  " + count + "\n  -\n  " + under + "\n)";
      total = count;
      break;
    }
    case SloSpec::Sli::kErrorRatio:
      errors = "(\n" + Indent(Trim(SubstituteWindow(slo.errors_query, window)), "  ") + "\n)";
      total = "(\n" + Indent(Trim(SubstituteWindow(slo.total_query, window)), "  ") + "\n)";
      break;
  }
  return "(\n" + Indent(errors, "  ") + "\n  /\n" + Indent(total, "  ") + "\n) >= 0";
}

// YAML scalars: plain where that reads back unchanged, else single-quoted, else double-quoted.
std::string Scalar(const std::string& s) {
  static const RE2 kPlain(R"([A-Za-z_/(][A-Za-z0-9_ ./:(){}\[\]=~",|*+<>!#-]*)");
  static const RE2 kSpecial(
      R"((?i)(true|false|yes|no|on|off|y|n|null|~)|[-+]?[0-9.]+([eE][-+]?[0-9]+)?)");
  const bool plain = RE2::FullMatch(s, kPlain) && !RE2::FullMatch(s, kSpecial) &&
                     s.find(": ") == std::string::npos && s.find(" #") == std::string::npos &&
                     s.back() != ' ' && s.back() != ':';
  if (plain) return s;
  bool control = false;
  for (char c : s) control = control || static_cast<unsigned char>(c) < 0x20;
  if (!control) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

struct Rule {
  std::string record;  // or
  std::string alert;
  std::string expr;
  LabelMap labels;
  LabelMap annotations;
};

void WriteRule(const Rule& r, std::ostream& out) {
  constexpr const char* kIndent = "      ";  // under "  - name:" / "    rules:"
  out << kIndent << "- " << (r.alert.empty() ? "record: " + r.record : "alert: " + r.alert) << "\n";
  out << kIndent << "  expr: ";
  if (r.expr.find('\n') != std::string::npos) {
    out << "|-\n" << Indent(r.expr, std::string(kIndent) + "    ") << "\n";
  } else {
    out << Scalar(r.expr) << "\n";
  }
  for (const auto* map : {&r.labels, &r.annotations}) {
    if (map->empty()) continue;
    out << kIndent << (map == &r.labels ? "  labels:\n" : "  annotations:\n");
    for (const auto& [k, v] : *map) out << kIndent << "    " << k << ": " << Scalar(v) << "\n";
  }
}

class SloGenerator {
 public:
  explicit SloGenerator(const SloSpec& slo) : slo_(slo) {
    base_labels_["slo"] = slo.name;
    if (!slo.component.empty()) base_labels_["component"] = slo.component;
    for (const auto& [k, v] : slo.labels) base_labels_[k] = v;
    budget_ = (100.0 - slo.objective) / 100.0;
    period_ = PeriodName(slo.period);
  }

  // What the user wrote that only PromQL and the template parser can judge.
  std::vector<std::string> Check() const {
    std::vector<std::string> errors;
    const std::string where = slo_.file + ":";
    auto at = [&](int line, int column) {
      return where + std::to_string(line) + ":" + std::to_string(column) + ": slo \"" + slo_.name +
             "\": ";
    };
    if (slo_.sli == SloSpec::Sli::kErrorRatio) {
      for (const auto& [key, query, pos] :
           {std::tuple{"errors", &slo_.errors_query, slo_.errors_pos},
            std::tuple{"total", &slo_.total_query, slo_.total_pos}}) {
        auto parsed = promql::ParseExpr(SubstituteWindow(*query, "5m"));
        if (!parsed.ok()) {
          errors.push_back(at(pos.first, pos.second) + "invalid \"" + key +
                           "\" query: " + parsed.status().message());
        } else if ((*parsed)->Type() != promql::ValueType::kVector) {
          errors.push_back(at(pos.first, pos.second) + "\"" + key +
                           "\" must return an instant vector (e.g. sum(rate(x[{{.window}}]))), "
                           "not a " +
                           std::string(promql::ValueTypeName((*parsed)->Type())));
        }
      }
    }
    auto check_templates = [&](const std::vector<std::pair<std::string, std::string>>& pairs,
                               const char* kind) {
      for (const auto& [k, v] : pairs) {
        if (core::Status s = CheckTemplate(k, v); !s.ok()) {
          errors.push_back(at(slo_.line, slo_.column) + "alert " + kind + " \"" + k +
                           "\": " + s.message());
        }
      }
    };
    for (const auto* spec : {&slo_.page, &slo_.ticket}) {
      check_templates(spec->labels, "label");
      check_templates(spec->annotations, "annotation");
    }
    check_templates(slo_.labels, "label");
    check_templates(slo_.alert_labels, "label");
    check_templates(slo_.alert_annotations, "annotation");
    return errors;
  }

  std::vector<Rule> Rules() const {
    std::vector<Rule> rules;
    const std::string self = "{slo=" + PromString(slo_.name) + "}";
    for (const std::string& w : SliWindows()) {
      rules.push_back(Record("slo:sli_error:ratio_rate" + w, SliErrorRatio(slo_, w)));
    }
    rules.push_back(
        Record("slo:sli_error:ratio_rate" + period_,
               "avg_over_time(slo:sli_error:ratio_rate5m" + self + "[" + period_ + "])"));
    rules.push_back(Record("slo:objective:ratio", "vector(" + Num(slo_.objective / 100) + ")"));
    rules.push_back(Record("slo:error_budget:ratio", "vector(" + Num(budget_) + ")"));
    rules.push_back(
        Record("slo:time_period:days",
               "vector(" + Num(std::chrono::duration<double>(slo_.period).count() / 86400) + ")"));
    std::vector<std::string> windows = SliWindows();
    windows.push_back(period_);
    for (const std::string& w : windows) {
      rules.push_back(Record("slo:burn_rate:ratio_rate" + w,
                             "slo:sli_error:ratio_rate" + w + self + " / " + Num(budget_)));
    }
    rules.push_back(
        Record("slo:error_budget:remaining", "1 - slo:burn_rate:ratio_rate" + period_ + self));
    if (!slo_.page.disable) rules.push_back(Alert(true));
    if (!slo_.ticket.disable) rules.push_back(Alert(false));
    return rules;
  }

 private:
  Rule Record(std::string name, std::string expr) const {
    return Rule{std::move(name), "", std::move(expr), base_labels_, {}};
  }

  Rule Alert(bool page) const {
    const std::vector<BurnWindow>& windows = page ? PageWindows() : TicketWindows();
    const std::string self = "{slo=" + PromString(slo_.name) + "}";
    std::string expr;
    std::string fires_when;
    for (const BurnWindow& w : windows) {
      const std::string f = Num(BurnRateFactor(w, slo_.period));
      if (!expr.empty()) expr += "\nor\n";
      expr += "(\n  slo:burn_rate:ratio_rate" + w.short_name + self + " > " + f +
              "\n  and\n  slo:burn_rate:ratio_rate" + w.long_name + self + " > " + f + "\n)";
      // "above 14.4x the budget (1.44% errors) over both 1h and 5m, spending 2% of it in 1h"
      const double factor = BurnRateFactor(w, slo_.period);
      fires_when += std::string(fires_when.empty() ? "" : "; or ") + "above " + ShortNum(factor) +
                    "x the budget (" + ShortNum(factor * budget_ * 100) + "% " + BadEvents() +
                    ") over both " + w.long_name + " and " + w.short_name + ", spending " +
                    ShortNum(w.budget_percent) + "% of it in " + w.long_name;
    }
    Rule r;
    r.alert = slo_.alert_name;
    r.expr = expr;
    const config::SloAlertSpec& spec = page ? slo_.page : slo_.ticket;
    r.labels = {{"severity", page ? "critical" : "warning"},
                {"slo_severity", page ? "page" : "ticket"},
                {"reason", page ? "error_budget_burn_page" : "error_budget_burn_ticket"}};
    if (page) r.labels["gate"] = "release";
    for (const auto* layer : {&slo_.labels, &slo_.alert_labels, &spec.labels}) {
      for (const auto& [k, v] : *layer) r.labels[k] = v;
    }
    const std::string objective = ShortNum(slo_.objective) + "% over " + period_;
    r.annotations["summary"] = "SLO " + slo_.name + " is burning its error budget " +
                               "{{ printf \"%.1f\" $value }}x faster than sustainable (" +
                               (page ? "page" : "ticket") + ")";
    std::string description = Trim(slo_.description);
    while (!description.empty() && description.back() == '.') description.pop_back();
    r.annotations["description"] = (description.empty() ? "" : description + ". ") + "Objective " +
                                   objective + " (error budget " + ShortNum(budget_ * 100) +
                                   "%). The error ratio is " + fires_when + ".";
    r.annotations["runbook_url"] = page ? kSloPageRunbook : kSloTicketRunbook;
    for (const auto* layer : {&slo_.alert_annotations, &spec.annotations}) {
      for (const auto& [k, v] : *layer) r.annotations[k] = v;
    }
    return r;
  }

  // What an error is, in the SLI's terms.
  std::string BadEvents() const {
    switch (slo_.sli) {
      case SloSpec::Sli::kAvailability:
        return "failed runs";
      case SloSpec::Sli::kLatency:
        return "runs slower than " + ShortNum(slo_.threshold_seconds) + "s";
      case SloSpec::Sli::kErrorRatio:
        break;
    }
    return "errors";
  }

  const SloSpec& slo_;
  LabelMap base_labels_;
  double budget_ = 0;
  std::string period_;
};

}  // namespace

core::Result<std::string> GenerateSloRuleText(const std::vector<config::SloSpec>& slos,
                                              const std::string& source) {
  std::vector<std::string> errors;
  for (const SloSpec& slo : slos) {
    std::vector<std::string> e = SloGenerator(slo).Check();
    errors.insert(errors.end(), e.begin(), e.end());
  }
  if (!errors.empty()) {
    std::string message;
    for (const std::string& e : errors) message += (message.empty() ? "" : "\n") + e;
    return core::Status::Error(message);
  }
  std::ostringstream out;
  out << "# Generated by `smoke_exporter slo generate`"
      << (source.empty() ? "" : " from the slos: of " + source) << ".\n"
      << "# Do not edit: change the SLOs and generate again.\n";
  if (slos.empty()) {
    out << "groups: []\n";
    return out.str();
  }
  out << "groups:\n";
  for (const SloSpec& slo : slos) {
    out << "  - name: " << Scalar("slo-" + slo.name) << "\n    rules:\n";
    for (const Rule& r : SloGenerator(slo).Rules()) WriteRule(r, out);
  }
  // Whatever we write must load; a failure here is a bug in this generator, caught before a
  // broken file reaches Prometheus.
  core::Result<RuleFile> loaded = LoadRuleText(out.str(), "generated SLO rules");
  if (!loaded.ok()) {
    return core::Status::Error("internal error: the generated SLO rules do not load: " +
                               loaded.status().message());
  }
  return out.str();
}

core::Result<std::vector<GroupSpec>> GenerateSloGroups(const std::vector<config::SloSpec>& slos,
                                                       const std::string& file) {
  if (slos.empty()) return std::vector<GroupSpec>{};
  core::Result<std::string> text = GenerateSloRuleText(slos, slos.front().file);
  if (!text.ok()) return text.status();
  const std::string name = file.empty() ? slos.front().file + "#slos" : file;
  core::Result<RuleFile> loaded = LoadRuleText(*text, name);
  if (!loaded.ok()) return loaded.status();
  return std::move(loaded).value().groups;
}

}  // namespace smoke::ruler
