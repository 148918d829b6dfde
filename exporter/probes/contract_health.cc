// The health contract: a health document such as
//   {"status":"healthy","dependencies":{"database":"healthy","redis":"healthy"}}
// must say healthy overall and for every dependency; each dependency that is not healthy fails a
// check of its own (dependency_<name>, reason dependency_unhealthy), so the report names it.

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "exporter/config/contract_parser.h"
#include "exporter/probes/contract_checks.h"
#include "exporter/probes/contract_kinds.h"
#include "exporter/probes/json_path_eval.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {
namespace {

using core::Reason;
using core::Severity;
using nlohmann::json;

// Each dependency becomes an `assertion` label value, and the names come from the target: past
// this many, the rest share one check (dependency_others) so a hostile or huge health document
// cannot grow the series count without bound.
constexpr size_t kMaxNamedDependencies = 16;
constexpr size_t kMaxNameBytes = 40;
// Object members that hold a dependency's state, in the order they are tried.
constexpr std::string_view kStateKeys[] = {"status", "state", "health", "healthy"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

enum class State { kHealthy, kDegraded, kUnhealthy };

struct Dependency {
  std::string name;
  State state = State::kUnhealthy;
  std::string shown;  // the value as reported, for "actual"
};

class HealthContract : public Contract {
 public:
  explicit HealthContract(config::ContractSpec spec) : spec_(std::move(spec)) {
    if (spec_.expect_status.empty()) spec_.expect_status = {{200, 299}};
    for (const std::string& v : spec_.healthy_values) healthy_.push_back(Lower(v));
    for (const std::string& v : spec_.degraded_values) degraded_.push_back(Lower(v));
  }

  void Check(const ResponseView& view, ContractReport& report) const override {
    core::AssertionResult status = probes::Check(
        "status", Reason::kStatus, spec_.severity, StatusIn(view.status_code, spec_.expect_status),
        "status in " + StatusRangesText(spec_.expect_status), std::to_string(view.status_code));
    json doc;
    std::string error;
    const bool is_json = ParseJsonBody(view.body, &doc, &error);
    core::AssertionResult json_check =
        probes::Check("health_json", Reason::kJson, spec_.severity, is_json,
                      "a JSON health document", is_json ? "JSON" : "not JSON: " + error);
    if (!is_json) {
      // A proxy's HTML error page: the status says more than the missing JSON.
      report.results.push_back(std::move(status));
      report.results.push_back(std::move(json_check));
      if (!spec_.status_field.empty()) {
        report.results.push_back(NotChecked("health_status", Reason::kUnhealthy, spec_.severity,
                                            StatusExpectation(), "the body is not JSON"));
      }
      for (const std::string& name : spec_.required_dependencies) {
        report.results.push_back(NotChecked(CheckName(name), Reason::kDependencyUnhealthy,
                                            spec_.severity, DependencyExpectation(name),
                                            "the body is not JSON"));
      }
      return;
    }
    CheckDependencies(doc, report);
    if (!spec_.status_field.empty()) report.results.push_back(HealthStatus(doc));
    report.results.push_back(std::move(status));
    report.results.push_back(std::move(json_check));
  }

 private:
  State Classify(const json& value, std::string* shown) const {
    if (value.is_boolean()) {
      *shown = value.get<bool>() ? "true" : "false";
      return value.get<bool>() ? State::kHealthy : State::kUnhealthy;
    }
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      *shown = Shown(text);
      const std::string lower = Lower(text);
      if (std::find(healthy_.begin(), healthy_.end(), lower) != healthy_.end()) {
        return State::kHealthy;
      }
      if (std::find(degraded_.begin(), degraded_.end(), lower) != degraded_.end()) {
        return State::kDegraded;
      }
      return State::kUnhealthy;
    }
    if (value.is_object()) {
      for (std::string_view key : kStateKeys) {
        auto it = value.find(std::string(key));
        if (it != value.end() && (it->is_string() || it->is_boolean())) {
          State state = Classify(*it, shown);
          // The rest of the object often says why ({"status":"down","error":"..."}).
          *shown = JsonValueText(value, kContractActualBytes);
          return state;
        }
      }
      *shown = JsonValueText(value, kContractActualBytes) + " (no status field)";
      return State::kUnhealthy;
    }
    *shown = JsonValueText(value, kContractActualBytes);
    return State::kUnhealthy;
  }

  std::string StatusExpectation() const {
    return spec_.status_field + " in (" + Joined(spec_.healthy_values) + ")";
  }
  std::string DependencyExpectation(std::string_view name) const {
    return "dependency " + Shown(name) + " in (" + Joined(spec_.healthy_values) + ")";
  }
  static std::string CheckName(std::string_view dependency) {
    std::string fragment = config::ContractNameFragment(dependency);
    if (fragment.size() > kMaxNameBytes) fragment.resize(kMaxNameBytes);
    return "dependency_" + fragment;
  }

  core::AssertionResult HealthStatus(const json& doc) const {
    const json* value = ResolveJsonPath(doc, spec_.status_field_parsed);
    if (value == nullptr) {
      return probes::Check("health_status", Reason::kUnhealthy, spec_.severity, false,
                           StatusExpectation(), spec_.status_field + " absent");
    }
    std::string shown;
    const State state = Classify(*value, &shown);
    return probes::Check("health_status", Reason::kUnhealthy,
                         state == State::kDegraded ? Severity::kWarn : spec_.severity,
                         state == State::kHealthy, StatusExpectation(), shown);
  }

  // {"db": "healthy", ...} or [{"name": "db", "status": "healthy"}, ...].
  std::vector<Dependency> ReadDependencies(const json& node) const {
    std::vector<Dependency> deps;
    auto add = [&](std::string name, const json& value) {
      Dependency d;
      d.name = PrintableSnippet(name, 100);
      d.state = Classify(value, &d.shown);
      deps.push_back(std::move(d));
    };
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) add(it.key(), it.value());
    } else if (node.is_array()) {
      for (const json& item : node) {
        auto name = item.is_object() ? item.find("name") : item.end();
        if (item.is_object() && name != item.end() && name->is_string()) {
          add(name->get<std::string>(), item);
        }
      }
    }
    return deps;
  }

  void CheckDependencies(const json& doc, ContractReport& report) const {
    const json* node = ResolveJsonPath(doc, spec_.dependencies_field_parsed);
    std::vector<Dependency> deps;
    if (node != nullptr) deps = ReadDependencies(*node);
    std::vector<std::string> unhealthy;
    std::vector<std::string> degraded;
    std::map<std::string, int> used;  // check name -> times used, for names that collide
    std::vector<const Dependency*> overflow;
    for (const Dependency& d : deps) {
      if (d.state == State::kUnhealthy) unhealthy.push_back(d.name);
      if (d.state == State::kDegraded) degraded.push_back(d.name);
      if (used.size() >= kMaxNamedDependencies) {
        overflow.push_back(&d);
        continue;
      }
      std::string name = CheckName(d.name);
      if (int n = ++used[name]; n > 1) name += "_" + std::to_string(n);
      report.results.push_back(
          probes::Check(name, Reason::kDependencyUnhealthy,
                        d.state == State::kDegraded ? Severity::kWarn : spec_.severity,
                        d.state == State::kHealthy, DependencyExpectation(d.name), d.shown));
    }
    if (!overflow.empty()) {
      std::vector<std::string> bad;
      for (const Dependency* d : overflow) {
        if (d->state != State::kHealthy) bad.push_back(d->name + "=" + d->shown);
      }
      report.results.push_back(probes::Check(
          "dependency_others", Reason::kDependencyUnhealthy, spec_.severity, bad.empty(),
          "the " + std::to_string(overflow.size()) + " further dependencies healthy",
          bad.empty() ? "all healthy" : PrintableSnippet(Joined(bad), 2 * kContractActualBytes)));
    }
    for (const std::string& required : spec_.required_dependencies) {
      const bool present = std::any_of(deps.begin(), deps.end(),
                                       [&](const Dependency& d) { return d.name == required; });
      if (present) continue;
      unhealthy.push_back(required);
      report.results.push_back(probes::Check(CheckName(required), Reason::kDependencyUnhealthy,
                                             spec_.severity, false, DependencyExpectation(required),
                                             node == nullptr
                                                 ? spec_.dependencies_field + " absent"
                                                 : "not reported in " + spec_.dependencies_field));
    }
    report.details.emplace_back("dependencies", std::to_string(deps.size()));
    if (!unhealthy.empty())
      report.details.emplace_back("unhealthy_dependencies", Joined(unhealthy));
    if (!degraded.empty()) report.details.emplace_back("degraded_dependencies", Joined(degraded));
  }

  config::ContractSpec spec_;
  std::vector<std::string> healthy_;
  std::vector<std::string> degraded_;
};

}  // namespace

core::Result<ContractPtr> MakeHealthContract(const config::ContractSpec& spec) {
  if (spec.dependencies_field_parsed.empty() && spec.dependencies_field != "$") {
    return core::Status::Error("contract \"health\": dependencies_field is required");
  }
  return ContractPtr(std::make_shared<HealthContract>(spec));
}

}  // namespace smoke::probes
