#pragma once
// What a benchmark ran on, for its output and bench/RESULTS.md.
// Thread-safety: reentrant.

#include <string>

namespace smoke::bench {

// "AMD EPYC ..., 2 CPUs online (nproc), load average 1.23 0.98 0.75".
std::string DescribeMachine();

}  // namespace smoke::bench
