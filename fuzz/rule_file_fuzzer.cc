// The Prometheus rule-file loader (rulefmt, with expression and template checks) on arbitrary
// text: a rule file or an error, never a crash, a hang or a leak.

#include <cstddef>
#include <cstdint>
#include <string>

#include "exporter/ruler/rule_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)smoke::ruler::LoadRuleText(text, "fuzz.rules.yml");
  return 0;
}
