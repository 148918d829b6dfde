// The strict Prometheus text-exposition parser (the metrics probe and the self-scrape use it)
// on arbitrary bodies: parsed or rejected with an error, never a crash, a hang or a leak.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/tsdb/exposition_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)smoke::tsdb::ParseTextExposition(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
