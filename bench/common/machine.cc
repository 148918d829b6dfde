#include "bench/common/machine.h"

#include <unistd.h>

#include <fstream>

namespace smoke::bench {

std::string DescribeMachine() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) model = line.substr(colon + 2);
      break;
    }
  }
  std::string load;
  std::ifstream loadavg("/proc/loadavg");
  std::getline(loadavg, load);
  const size_t cut = load.find(' ', load.find(' ', load.find(' ') + 1) + 1);
  return model + ", " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) +
         " CPUs online, load average " + load.substr(0, cut);
}

}  // namespace smoke::bench
