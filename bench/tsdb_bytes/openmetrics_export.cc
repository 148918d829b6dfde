#include "bench/tsdb_bytes/openmetrics_export.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <vector>

#include "bench/common/exposition_text.h"

namespace smoke::bench {
namespace {

void AppendEscaped(std::string* out, const std::string& value) {
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

}  // namespace

core::Result<uint64_t> WriteOpenMetrics(const tsdb::MemoryStorage& storage,
                                        const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  uint64_t written = 0;
  std::string line;
  std::vector<promql::Point> points;
  for (const tsdb::MemoryStorage::SeriesChunks& series : storage.ExportChunks()) {
    std::string head(series.labels.Get("__name__"));
    head.push_back('{');
    bool first = true;
    for (const promql::Label& l : series.labels) {
      if (l.name == "__name__") continue;
      if (!first) head.push_back(',');
      first = false;
      head.append(l.name).append("=\"");
      AppendEscaped(&head, l.value);
      head.push_back('"');
    }
    head.append("} ");
    points.clear();
    for (const tsdb::XorChunk& c : series.chunks) {
      c.Decode(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), &points);
    }
    for (const promql::Point& p : points) {
      if (std::isnan(p.v)) {
        return core::Status::Error("a NaN sample cannot be exported exactly: " +
                                   series.labels.ToString());
      }
      line = head;
      AppendDouble(&line, p.v);
      // Seconds with the milliseconds written out and a trailing 1 (0.1 ms): promtool reads the
      // float and truncates to milliseconds, and a value like 1700000000.015 would otherwise
      // come back as ...014.
      char ts[48];
      std::snprintf(ts, sizeof ts, " %lld.%03lld1\n", static_cast<long long>(p.t / 1000),
                    static_cast<long long>(p.t % 1000));
      line.append(ts);
      out << line;
      ++written;
    }
  }
  out << "# EOF\n";
  out.close();
  if (!out) return core::Status::Error("cannot write " + path);
  return written;
}

}  // namespace smoke::bench
