#include "exporter/config/tls_parser.h"

#include "exporter/config/yaml_reader.h"

namespace smoke::config {

TlsSpec ParseTls(const YamlNode& node, const std::string& what, ParseContext& ctx) {
  TlsSpec tls;
  if (!CheckMap(node, Quote(what), ctx.diag) || node.IsNull()) return tls;
  MapReader map(
      node, what,
      {"ca_file", "cert_file", "insecure_skip_verify", "key_file", "min_version", "server_name"},
      ctx.diag);
  auto path = [&](std::string_view key) {
    std::optional<std::string> p = map.String(key);
    return p ? ctx.secrets.ResolvePath(*p) : std::string();
  };
  tls.ca_file = path("ca_file");
  tls.cert_file = path("cert_file");
  tls.key_file = path("key_file");
  tls.server_name = map.String("server_name").value_or("");
  tls.insecure_skip_verify = map.Bool("insecure_skip_verify").value_or(false);
  tls.min_version = map.Enum("min_version", {"TLS12", "TLS13"}).value_or("");
  // A client certificate without its key (or the reverse) fails every handshake.
  if (map.Has("cert_file") != map.Has("key_file")) {
    const bool has_cert = map.Has("cert_file");
    ctx.diag.Error(map.KeyMark(has_cert ? "cert_file" : "key_file"),
                   Quote(has_cert ? "cert_file" : "key_file") + " requires " +
                       Quote(has_cert ? "key_file" : "cert_file"));
  }
  return tls;
}

}  // namespace smoke::config
