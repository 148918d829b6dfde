#pragma once
// Plain types shared by the libcurl adapters (http_client.h, tcp_client.h) and the probes that use
// them. No libcurl type appears here: probes see classified errors and plain numbers, so they can
// be tested and reasoned about without knowing curl's result codes.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smoke::clients {

// Deadlines inside the clients are monotonic: a wall-clock jump must not stretch a probe.
using SteadyTime = std::chrono::steady_clock::time_point;

// What went wrong below the application protocol. Probes map it to a bounded core::Reason; the
// raw text stays in TransportStatus::message.
enum class TransportError {
  kNone,
  kDns,                // the name did not resolve
  kConnectionRefused,  // the peer answered the SYN with RST (ECONNREFUSED)
  kConnect,            // any other connect failure: unreachable, reset during connect, ...
  kTls,                // handshake failed or the certificate was not accepted
  kTimeout,            // the deadline passed, in whatever phase
  kProtocol,           // empty / malformed reply, reset or short read mid-response, redirect loop
  kBodyTooLarge,       // the response body exceeded the configured limit
  kInternal,           // bad option, out of memory, unsupported scheme: a bug or a config gap
};

std::string_view TransportErrorName(TransportError error);

struct TransportStatus {
  TransportError error = TransportError::kNone;
  std::string message;  // one line; libcurl's error text or ours; never contains credentials
  int os_errno = 0;     // errno of the last failed socket call, when libcurl knows it

  bool ok() const { return error == TransportError::kNone; }
};

enum class IpFamily { kAny, kIp4, kIp6 };

enum class TlsMinVersion { kDefault, kTls12, kTls13 };

struct TlsOptions {
  std::string ca_file;      // PEM bundle replacing the system trust store; "" = system store
  std::string cert_file;    // client certificate (PEM) for mutual TLS
  std::string key_file;     // its private key (PEM)
  std::string server_name;  // SNI and name to verify; "" = the host being connected to
  bool insecure_skip_verify = false;
  TlsMinVersion min_version = TlsMinVersion::kDefault;
};

// How to reach the peer; shared by HTTP requests and TCP connections.
struct ConnectOptions {
  IpFamily ip_family = IpFamily::kAny;
  // With ip4/ip6: if the name has no address of that family, retry once with any family.
  bool ip_fallback = true;
  TlsOptions tls;
};

// Seconds since the start of the transfer at which each step completed, as libcurl reports them
// (for HTTP summed over redirects). 0 = the step was not reached (appconnect: no TLS).
struct Timings {
  double namelookup = 0;
  double connect = 0;
  double appconnect = 0;
  double pretransfer = 0;
  double starttransfer = 0;
  double total = 0;
};

// What is known about the (last) connection, also after a failure.
struct ConnectionInfo {
  std::string primary_ip;  // address actually connected to (or last tried); "" if unresolved
  int primary_port = 0;
  bool tls = false;         // the final connection used TLS
  std::string tls_version;  // "TLSv1.3" (OpenSSL's naming), "" if unknown
  std::string tls_cipher;   // "TLS_AES_256_GCM_SHA384", "" if unknown
  // Earliest notAfter of every certificate the peer presented, in unix seconds. Only set when
  // libcurl could read the chain (TLS handshake completed).
  std::optional<int64_t> earliest_cert_expiry;
  Timings timings;
};

}  // namespace smoke::clients
