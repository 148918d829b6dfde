#pragma once
// The TLS settings block shared by http (`tls:`) and tcp (`tls_config:`).
// Thread-safety: stateless functions.

#include <string>

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// `what` names the block in messages ("tls", "tls_config"). File paths are made absolute against
// the config file's directory.
TlsSpec ParseTls(const YamlNode& node, const std::string& what, ParseContext& ctx);

}  // namespace smoke::config
