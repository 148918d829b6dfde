#include "exporter/config/dns_parser.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

constexpr size_t kMaxNameLength = 253;  // RFC 1035, without the trailing dot
constexpr size_t kMaxLabelLength = 63;

}  // namespace

std::optional<std::string> CanonicalAddress(std::string_view text) {
  const std::string s(text);
  unsigned char buf[sizeof(in6_addr)];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    return std::string(inet_ntop(AF_INET, buf, out, sizeof out));
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    return std::string(inet_ntop(AF_INET6, buf, out, sizeof out));
  }
  return std::nullopt;
}

std::optional<std::string> DnsTargetError(std::string_view target) {
  const std::string quoted = "dns target \"" + std::string(target) + "\"";
  if (target.empty()) return "dns target must not be empty";
  if (target.find("://") != std::string_view::npos) {
    return quoted + " must be a host name such as api.example.com, not a URL";
  }
  if (CanonicalAddress(target)) {
    return quoted + " is an address; a dns probe resolves a host name";
  }
  std::string_view name = target;
  if (name.back() == '.') name.remove_suffix(1);
  if (name.size() > kMaxNameLength) {
    return quoted + " is longer than " + std::to_string(kMaxNameLength) + " characters";
  }
  size_t start = 0;
  while (start <= name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    const std::string_view label = name.substr(start, dot - start);
    if (label.empty()) return quoted + " has an empty label (two dots in a row, or a leading dot)";
    if (label.size() > kMaxLabelLength) {
      return quoted + " has a label longer than " + std::to_string(kMaxLabelLength) + " characters";
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
        return quoted + " must be a host name (letters, digits, '-', '_' and dots), without a " +
               "port or a path";
      }
    }
    start = dot + 1;
  }
  return std::nullopt;
}

DnsSpec ParseDnsSpec(const YamlNode* node, ParseContext& ctx) {
  DnsSpec spec;
  if (node == nullptr || !CheckMap(*node, Quote("dns"), ctx.diag) || node->IsNull()) return spec;
  MapReader map(*node, "dns", {"expected_addresses", "ip_protocol", "max_resolve_time"}, ctx.diag);
  if (std::optional<std::string> ip = map.Enum("ip_protocol", {"any", "ip4", "ip6"})) {
    spec.ip_protocol = *ip;
  }
  spec.max_resolve_time = map.Duration("max_resolve_time");
  if (const YamlNode* list = map.Sequence("expected_addresses")) {
    std::map<std::string, int> seen;  // canonical address -> line
    for (const YamlNodePtr& item : list->items) {
      std::optional<std::string> text =
          ReadString(*item, "an item of " + Quote("expected_addresses"), ctx.diag);
      if (!text) continue;
      std::optional<std::string> address = CanonicalAddress(*text);
      if (!address) {
        ctx.diag.Error(item->mark, "invalid address " + Quote(*text) +
                                       " in \"expected_addresses\" (expected an IPv4 or IPv6 "
                                       "address such as 10.0.0.5 or 2001:db8::5)");
        continue;
      }
      const bool v6 = address->find(':') != std::string::npos;
      if ((spec.ip_protocol == "ip4" && v6) || (spec.ip_protocol == "ip6" && !v6)) {
        ctx.diag.Error(item->mark, "address " + Quote(*text) +
                                       " can never be an answer with \"ip_protocol: " +
                                       spec.ip_protocol + "\"");
        continue;
      }
      auto [it, inserted] = seen.emplace(*address, item->mark.line);
      if (!inserted) {
        ctx.diag.Error(item->mark, "duplicate address " + Quote(*text) +
                                       " in \"expected_addresses\" (first listed on line " +
                                       std::to_string(it->second) + ")");
        continue;
      }
      spec.expected_addresses.push_back(*address);
    }
  }
  return spec;
}

}  // namespace smoke::config
