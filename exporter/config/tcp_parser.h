#pragma once
// The `tcp:` block of a module or probe (after module merging).
//
// `send` is escape-decoded after YAML parsing: \r \n \t \0 \\ and \xHH. So 'PING\r\n' in single
// quotes (or unquoted) sends CR LF. A double-quoted YAML string is decoded by YAML first, so
// "PING\r\n" also sends CR LF, but a literal backslash then needs "\\\\" (YAML turns it into \\,
// which this decoding turns into \).
// Thread-safety: stateless functions.

#include <string>
#include <string_view>

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/core/status.h"

namespace smoke::config {

// `node` may be null (no block: connect only).
TcpSpec ParseTcpSpec(const YamlNode* node, ParseContext& ctx);

// Decodes \r \n \t \0 \\ \xHH; any other escape is an error naming it.
core::Result<std::string> DecodeEscapes(std::string_view text);
// The inverse, for /config: control characters and backslashes as escapes.
std::string EncodeEscapes(std::string_view text);

}  // namespace smoke::config
