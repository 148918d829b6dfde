#pragma once
// The parser of Go's text/template (text/template/parse/parse.go, Go 1.19): builds the tree set
// of a template text, rejecting what Go rejects with Go's error texts, e.g.
//   template: __alert_X:1: function "foo" not defined
//   template: __alert_X:3: unexpected "}" in operand
// Thread-safety: reentrant.

#include <functional>
#include <memory>
#include <string_view>

#include "exporter/core/status.h"
#include "exporter/ruler/template_ast.h"

namespace smoke::ruler::tmpl {

// Whether `name` is a function the template may call (builtins included).
using FunctionCheck = std::function<bool(std::string_view name)>;

core::Result<std::shared_ptr<const TreeSet>> Parse(std::string_view name, std::string_view text,
                                                   const FunctionCheck& has_function);

}  // namespace smoke::ruler::tmpl
