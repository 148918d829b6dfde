#include "exporter/server/process_collector.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "exporter/results/family_builder.h"

namespace smoke::server {

std::vector<prometheus::MetricFamily> CollectProcessMetrics(
    std::chrono::system_clock::time_point start_time) {
  results::FamilyBuilder out;
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (std::getline(stat, line)) {
    // Fields after the parenthesised command name, which may itself contain spaces.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field) f.push_back(field);
    if (f.size() > 21) {
      const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
      const double cpu = (std::stod(f[11]) + std::stod(f[12])) / ticks;  // utime + stime
      out.AddCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                     {}, cpu);
      out.AddGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", {},
                   std::stod(f[20]));
      out.AddGauge("process_resident_memory_bytes", "Resident memory size in bytes.", {},
                   std::stod(f[21]) * static_cast<double>(sysconf(_SC_PAGESIZE)));
    }
  }
  std::error_code ec;
  size_t fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++fds;
  }
  out.AddGauge("process_open_fds", "Number of open file descriptors.", {},
               static_cast<double>(fds));
  out.AddGauge("process_start_time_seconds",
               "Start time of the process since unix epoch in seconds.", {},
               std::chrono::duration<double>(start_time.time_since_epoch()).count());
  return out.Take();
}

}  // namespace smoke::server
