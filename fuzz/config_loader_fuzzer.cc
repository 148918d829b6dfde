// The config loader on arbitrary text: every input is either a config or an error, never a
// crash, a hang or a leak; a config that loads also renders (the /config endpoint's YAML).
// ${VAR} expansion sees a fixed environment so runs are reproducible.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "exporter/config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  smoke::config::LoadOptions options;
  options.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "API_URL") return "http://127.0.0.1:8000";
    if (name == "PGPASSWORD") return "fuzz-secret";
    return std::nullopt;
  };
  auto config = smoke::config::LoadConfigText(text, "fuzz.yml", options);
  if (config.ok()) (void)smoke::config::RenderConfigYaml(**config);
  return 0;
}
