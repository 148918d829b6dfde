#pragma once
// Writing Prometheus text exposition (format 0.0.4) fast enough to produce tens of thousands of
// series per scrape: values in their shortest round-trip form, so that every parser that reads
// them (ours, Prometheus's) gets the exact same double back.
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace smoke::bench {

// "# HELP name help\n# TYPE name type\n".
void AppendFamilyHeader(std::string* out, std::string_view name, std::string_view type,
                        std::string_view help);

// "name{labels} value\n"; `labels` is the inside of the braces (`a="1",b="2"`), possibly empty.
void AppendSample(std::string* out, std::string_view name, std::string_view labels, double value);

// The shortest decimal form that parses back to exactly `value` ("NaN", "+Inf", "-Inf" as
// Prometheus writes them).
void AppendDouble(std::string* out, double value);

// Splitmix64: a deterministic hash of the inputs, for reproducible synthetic data.
uint64_t Mix(uint64_t a, uint64_t b = 0, uint64_t c = 0);
// A double in [0, 1) from a hash.
double Unit(uint64_t hash);

}  // namespace smoke::bench
