#pragma once
// The functions an alert template can call, with Go signatures so that argument checking,
// conversions and errors match text/template's reflection-based calls: text/template's builtins
// (and, or, not, len, index, slice, print, printf, println, html, js, urlquery, eq, ne, lt, le,
// gt, ge, call) and Prometheus's template functions (template/template.go in Prometheus 2.42,
// plus toDuration, now and urlQueryEscape from later releases). Also the methods templates can
// call on the values those functions return (time.Time.Format, time.Duration.Seconds, ...).
// Thread-safety: the tables are immutable; calls are reentrant.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/promql/value.h"
#include "exporter/ruler/go_value.h"

namespace smoke::ruler::tmpl {

// What the Prometheus functions need from the evaluation.
struct CallEnv {
  int64_t eval_time_ms = 0;
  std::string external_url;
  // Runs a PromQL instant query at the evaluation time; empty: `query` fails.
  std::function<core::Result<promql::Vector>(const std::string& expr)> query;
};

struct Func {
  // Parameter types; for a variadic function the last entry is the element type.
  std::vector<const go::Type*> in;
  bool variadic = false;
  bool builtin = false;
  // The Go error text on failure (panics included, as text/template recovers them).
  std::function<core::Result<go::Value>(const CallEnv& env, std::vector<go::Value>& args)> call;
};

// A function (Prometheus's first, then text/template's builtins) by name, or null.
const Func* FindFunction(std::string_view name);
bool HasFunction(std::string_view name);

// The method `name` of `receiver` (after pointer indirection), bound to it; nullopt if the type
// has no such method.
std::optional<Func> FindMethod(const go::Value& receiver, const go::Value& original,
                               std::string_view name);

// isTrue from text/template: the truth of a value and whether it has one.
bool IsTrue(const go::Value& v, bool* ok = nullptr);

}  // namespace smoke::ruler::tmpl
