#pragma once
// Running a helper command (scripts/prometheus.sh, promtool) from a benchmark.
// Thread-safety: reentrant.

#include <string>

#include "exporter/core/status.h"

namespace smoke::bench {

// Runs `command` with /bin/sh and returns its stdout; an exit status other than 0 is an error
// that quotes the command and the end of its output (stderr goes to the benchmark's stderr).
core::Result<std::string> RunCommand(const std::string& command);

// `value` quoted for /bin/sh.
std::string ShellQuote(const std::string& value);

}  // namespace smoke::bench
