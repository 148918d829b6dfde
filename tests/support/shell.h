#pragma once
// Running the service scripts (scripts/pg.sh, scripts/redis.sh) from integration tests.

#include <string>

namespace smoke::testing {

// `s` as one single-quoted /bin/sh word.
std::string ShellQuote(const std::string& s);
// Runs `command` with /bin/sh; returns its stdout without trailing newlines and stores the
// wait status in `*status` if given. Throws std::runtime_error if it cannot be started.
std::string Shell(const std::string& command, int* status = nullptr);

}  // namespace smoke::testing
