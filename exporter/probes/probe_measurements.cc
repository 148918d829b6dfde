#include "exporter/probes/probe_measurements.h"

#include <array>
#include <utility>

namespace smoke::probes {
namespace {

// Verbatim from blackbox_exporter (prober/http.go, prober/utils.go, prober/prober.go).
constexpr std::array<MetricHelp, 12> kHelp = {{
    {kHttpDurationSeconds, "Duration of http request by phase, summed over all redirects"},
    {kHttpStatusCode, "Response HTTP status code"},
    {kHttpContentLength, "Length of http content response"},
    {kHttpUncompressedBodyLength, "Length of uncompressed response body"},
    {kHttpRedirects, "The number of redirects"},
    {kHttpSsl, "Indicates if SSL was used for the final redirect"},
    {kHttpVersion, "Returns the version of HTTP of the probe response"},
    {kDnsLookupTimeSeconds, "Returns the time taken for probe dns lookup in seconds"},
    {kIpProtocol, "Specifies whether probe ip protocol is IP4 or IP6"},
    {kFailedDueToRegex, "Indicates if probe failed due to regex"},
    {kSslEarliestCertExpiry,
     "Returns the earliest expiry of any peer certificate returned by the server as an unix "
     "timestamp. This can include certificates that are not validated by TLS clients. In rare "
     "server configurations this might return a time in the past, even for valid TLS "
     "certificate chains."},
    {kTlsVersionInfo, "Returns the TLS version used or NaN when unknown"},
}};

}  // namespace

core::Measurement GaugeFrom(std::span<const MetricHelp> table, std::string_view name, double value,
                            std::vector<std::pair<std::string, std::string>> labels) {
  core::Measurement m;
  m.name = std::string(name);
  for (const MetricHelp& h : table) {
    if (h.name == name) m.help = std::string(h.help);
  }
  m.value = value;
  m.labels = std::move(labels);
  return m;
}

core::Measurement Gauge(std::string_view name, double value,
                        std::vector<std::pair<std::string, std::string>> labels) {
  return GaugeFrom(kHelp, name, value, std::move(labels));
}

int IpProtocolOf(std::string_view ip) {
  if (ip.empty()) return 0;
  return ip.find(':') != std::string_view::npos ? 6 : 4;
}

std::string FormatAddress(std::string_view ip, int port) {
  if (ip.empty()) return "";
  const std::string host = IpProtocolOf(ip) == 6 ? "[" + std::string(ip) + "]" : std::string(ip);
  return host + ":" + std::to_string(port);
}

std::string TlsVersionLabel(std::string_view openssl_name) {
  if (openssl_name.substr(0, 4) == "TLSv") return "TLS " + std::string(openssl_name.substr(4));
  return std::string(openssl_name);
}

void AppendConnectionMeasurements(const clients::ConnectionInfo& info,
                                  std::vector<core::Measurement>& out) {
  out.push_back(Gauge(kDnsLookupTimeSeconds, info.timings.namelookup));
  out.push_back(Gauge(kIpProtocol, IpProtocolOf(info.primary_ip)));
  if (info.earliest_cert_expiry) {
    out.push_back(Gauge(kSslEarliestCertExpiry, static_cast<double>(*info.earliest_cert_expiry)));
  }
  if (info.tls && !info.tls_version.empty()) {
    out.push_back(Gauge(kTlsVersionInfo, 1, {{"version", TlsVersionLabel(info.tls_version)}}));
  }
}

}  // namespace smoke::probes
