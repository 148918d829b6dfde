#pragma once
// The per-run gauges probes report, under blackbox_exporter's names and help texts so that
// community dashboards and alert rules work unchanged (DESIGN.md, "Metric names").
// Thread-safety: pure functions.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/clients/transport.h"
#include "exporter/core/probe_result.h"

namespace smoke::probes {

// HTTP (prober/http.go).
inline constexpr std::string_view kHttpDurationSeconds = "probe_http_duration_seconds";
inline constexpr std::string_view kHttpStatusCode = "probe_http_status_code";
inline constexpr std::string_view kHttpContentLength = "probe_http_content_length";
inline constexpr std::string_view kHttpUncompressedBodyLength =
    "probe_http_uncompressed_body_length";
inline constexpr std::string_view kHttpRedirects = "probe_http_redirects";
inline constexpr std::string_view kHttpSsl = "probe_http_ssl";
inline constexpr std::string_view kHttpVersion = "probe_http_version";
// Shared (prober/utils.go, prober/tls.go).
inline constexpr std::string_view kDnsLookupTimeSeconds = "probe_dns_lookup_time_seconds";
inline constexpr std::string_view kIpProtocol = "probe_ip_protocol";
inline constexpr std::string_view kFailedDueToRegex = "probe_failed_due_to_regex";
inline constexpr std::string_view kSslEarliestCertExpiry = "probe_ssl_earliest_cert_expiry";
inline constexpr std::string_view kTlsVersionInfo = "probe_tls_version_info";

// One metric's help text; each probe kind keeps a table of its own.
struct MetricHelp {
  std::string_view name;
  std::string_view help;
};

// A gauge named `name` with the help text `table` gives for it ("" if none).
core::Measurement GaugeFrom(std::span<const MetricHelp> table, std::string_view name, double value,
                            std::vector<std::pair<std::string, std::string>> labels);

// A gauge whose help text is blackbox_exporter's for `name`.
core::Measurement Gauge(std::string_view name, double value,
                        std::vector<std::pair<std::string, std::string>> labels = {});

// Appends the gauges every network probe reports: DNS lookup time, IP protocol (4, 6, or 0 if no
// address was reached), and for TLS the earliest certificate expiry and the TLS version.
void AppendConnectionMeasurements(const clients::ConnectionInfo& info,
                                  std::vector<core::Measurement>& out);

// 4 or 6 for an address literal, 0 for "".
int IpProtocolOf(std::string_view ip);
// "ip:port", or "[ip]:port" for IPv6; "" if unknown.
std::string FormatAddress(std::string_view ip, int port);
// OpenSSL's "TLSv1.3" as Go names it ("TLS 1.3"), the label value blackbox_exporter uses.
std::string TlsVersionLabel(std::string_view openssl_name);

}  // namespace smoke::probes
