#pragma once
// Executes a parsed Go text/template (text/template/exec.go, Go 1.19, with Prometheus's
// "missingkey=zero" option) over go::Value data, producing exactly Go's output or Go's error,
// e.g. `template: __alert_X:1:42: executing "__alert_X" at <humanize "x">: error calling
// humanize: strconv.ParseFloat: parsing "x": invalid syntax`.
// Thread-safety: reentrant; the tree set is only read.

#include <string>

#include "exporter/core/status.h"
#include "exporter/ruler/go_value.h"
#include "exporter/ruler/template_ast.h"
#include "exporter/ruler/template_funcs.h"

namespace smoke::ruler::tmpl {

core::Result<std::string> Execute(const TreeSet& set, const go::Value& data, const CallEnv& env);

}  // namespace smoke::ruler::tmpl
