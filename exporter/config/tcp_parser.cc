#include "exporter/config/tcp_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "exporter/config/assertion_parser.h"
#include "exporter/config/regex_check.h"
#include "exporter/config/tls_parser.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {

core::Result<std::string> DecodeEscapes(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 >= text.size()) {
      return core::Status::Error("trailing backslash (write \\\\ for a literal backslash)");
    }
    const char c = text[++i];
    switch (c) {
      case 'r':
        out += '\r';
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '0':
        out += '\0';
        break;
      case '\\':
        out += '\\';
        break;
      case 'x': {
        unsigned value = 0;
        const char* begin = text.data() + i + 1;
        const char* end = text.data() + std::min(text.size(), i + 3);
        auto [ptr, ec] = std::from_chars(begin, end, value, 16);
        if (ec != std::errc() || ptr != begin + 2) {
          return core::Status::Error("invalid escape \"\\x\": expected two hex digits");
        }
        out += static_cast<char>(value);
        i += 2;
        break;
      }
      default:
        return core::Status::Error(std::string("invalid escape \"\\") + c +
                                   "\" (supported: \\r \\n \\t \\0 \\\\ \\xHH)");
    }
  }
  return out;
}

std::string EncodeEscapes(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

TcpSpec ParseTcpSpec(const YamlNode* node, ParseContext& ctx) {
  TcpSpec spec;
  if (node == nullptr || !CheckMap(*node, Quote("tcp"), ctx.diag) || node->IsNull()) return spec;
  MapReader map(*node, "tcp", {"assertions", "expect", "send", "tls", "tls_config"}, ctx.diag);
  if (std::optional<std::string> send = map.String("send")) {
    core::Result<std::string> decoded = DecodeEscapes(*send);
    if (decoded.ok()) {
      spec.send = std::move(decoded).value();
    } else {
      ctx.diag.Error(map.ValueMark("send"), "in \"send\": " + decoded.status().message());
    }
  }
  if (const YamlNode* expect = map.Get("expect")) {
    spec.expect = ReadRegex(*expect, Quote("expect"), ctx.diag).value_or("");
  }
  spec.tls = map.Bool("tls").value_or(false);
  if (const YamlNode* tls = map.Get("tls_config")) {
    spec.tls_config = ParseTls(*tls, "tls_config", ctx);
  }
  if (const YamlNode* assertions = map.Get("assertions")) {
    spec.assertions = ParseAssertions(*assertions, AssertionScope::kTcp, ctx.diag);
  }
  return spec;
}

}  // namespace smoke::config
