#pragma once
// Go's fmt package over go::Value, byte for byte: Sprint (what `{{ $value }}` and `print` write),
// Sprintln and Sprintf with every verb, flag, width, precision and argument index, including
// Go's in-band error notes (`%!d(float64=1.5)`, `%!s(MISSING)`, `%!(EXTRA int=1)`).
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "exporter/ruler/go_value.h"

namespace smoke::ruler::go {

// Arguments are interface{} values: an invalid Value is a nil interface.
std::string Sprint(const std::vector<Value>& args);
std::string Sprintln(const std::vector<Value>& args);
std::string Sprintf(std::string_view format, const std::vector<Value>& args);

// fmt.Sprint of one value (the %v form), e.g. 1e+06 for float64(1000000).
std::string FormatValue(const Value& v);

// Whether the type implements fmt.Stringer (time.Time, time.Duration, their pointers, ...).
bool IsStringer(const Type* type);

}  // namespace smoke::ruler::go
