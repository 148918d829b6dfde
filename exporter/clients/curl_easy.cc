#include "exporter/clients/curl_easy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>

#include "exporter/clients/cert_time.h"
#include "exporter/clients/curl_loop.h"

namespace smoke::clients {
namespace {

std::string StripBrackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::string(host);
}

// Owns a curl_url handle and the strings curl_url_get hands out.
class CurlUrl {
 public:
  CurlUrl() : url_(curl_url()) {}
  ~CurlUrl() { curl_url_cleanup(url_); }
  CurlUrl(const CurlUrl&) = delete;
  CurlUrl& operator=(const CurlUrl&) = delete;

  bool Set(CURLUPart part, const std::string& value) {
    return url_ != nullptr && curl_url_set(url_, part, value.c_str(), 0) == CURLUE_OK;
  }
  // nullopt when the part is absent (e.g. no explicit port).
  std::optional<std::string> Get(CURLUPart part, unsigned flags = 0) const {
    char* out = nullptr;
    if (url_ == nullptr || curl_url_get(url_, part, &out, flags) != CURLUE_OK) return std::nullopt;
    std::string value(out);
    curl_free(out);
    return value;
  }

 private:
  CURLU* url_;
};

std::string TrimLine(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

int64_t RemainingMillis(SteadyTime deadline) {
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count();
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view TransportErrorName(TransportError error) {
  switch (error) {
    case TransportError::kNone:
      return "none";
    case TransportError::kDns:
      return "dns";
    case TransportError::kConnectionRefused:
      return "connection_refused";
    case TransportError::kConnect:
      return "connect";
    case TransportError::kTls:
      return "tls";
    case TransportError::kTimeout:
      return "timeout";
    case TransportError::kProtocol:
      return "protocol";
    case TransportError::kBodyTooLarge:
      return "body_too_large";
    case TransportError::kInternal:
      return "internal";
  }
  return "internal";
}

void EnsureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

core::Result<ServerNameRoute> RouteToServerName(const std::string& url,
                                                const std::string& server_name) {
  ServerNameRoute route;
  route.url = url;
  CurlUrl parsed;
  if (!parsed.Set(CURLUPART_URL, url)) {
    return core::Status::Error("invalid URL \"" + url + "\"");
  }
  const std::optional<std::string> host = parsed.Get(CURLUPART_HOST);
  const std::optional<std::string> port = parsed.Get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!host || !port) return core::Status::Error("URL \"" + url + "\" has no host");
  if (server_name.empty() || EqualsIgnoreCase(StripBrackets(*host), StripBrackets(server_name))) {
    return route;
  }
  std::string sni_host = server_name;
  if (sni_host.find(':') != std::string::npos && sni_host.front() != '[') {
    sni_host = "[" + sni_host + "]";  // an IPv6 literal, as URLs spell it
  }
  if (!parsed.Set(CURLUPART_HOST, sni_host)) {
    return core::Status::Error("invalid tls server_name \"" + server_name + "\"");
  }
  const std::optional<std::string> rewritten = parsed.Get(CURLUPART_URL);
  if (!rewritten) return core::Status::Error("cannot reroute \"" + url + "\"");
  route.url = *rewritten;
  route.connect_to = sni_host + ":" + *port + ":" + *host + ":" + *port;
  const std::optional<std::string> explicit_port = parsed.Get(CURLUPART_PORT);
  route.host_header = "Host: " + *host + (explicit_port ? ":" + *explicit_port : "");
  return route;
}

void ShiftTimings(Timings& timings, double seconds) {
  for (double* step : {&timings.namelookup, &timings.connect, &timings.appconnect,
                       &timings.pretransfer, &timings.starttransfer}) {
    if (*step > 0) *step += seconds;
  }
  timings.total += seconds;
}

CurlEasy::CurlEasy() {
  EnsureCurlGlobalInit();
  handle_ = curl_easy_init();
}

CurlEasy::~CurlEasy() {
  if (handle_ != nullptr) curl_easy_cleanup(handle_);
}

void CurlEasy::SetList(CURLoption opt, const std::vector<std::string>& lines) {
  curl_slist* list = nullptr;
  for (const std::string& line : lines) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) break;  // out of memory: send what we have, curl reports the rest
    list = next;
  }
  lists_.emplace_back(list, &curl_slist_free_all);
  curl_easy_setopt(handle_, opt, list);
}

TransportStatus CurlEasy::Configure(const std::string& url, const ConnectOptions& options,
                                    IpFamily family, SteadyTime deadline, ServerNameRoute* route) {
  if (handle_ == nullptr) return {TransportError::kInternal, "curl_easy_init failed", 0};
  const int64_t millis = RemainingMillis(deadline);
  if (millis <= 0) {
    return {TransportError::kTimeout, "deadline passed before the connection was attempted", 0};
  }
  core::Result<ServerNameRoute> routed = RouteToServerName(url, options.tls.server_name);
  if (!routed.ok()) return {TransportError::kInternal, routed.status().message(), 0};
  *route = routed.value();

  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode c) {
    if (rc == CURLE_OK) rc = c;
  };
  set(curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_));
  set(curl_easy_setopt(handle_, CURLOPT_URL, route->url.c_str()));
  // Probes must never raise SIGALRM/SIGPIPE in a multi-threaded process.
  set(curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L));
  // A probe measures the path to the target, not to whatever proxy the environment names.
  set(curl_easy_setopt(handle_, CURLOPT_PROXY, ""));
  set(curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(handle_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(millis)));
  set(curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(millis)));
  family_ = family;
  long ipresolve = CURL_IPRESOLVE_WHATEVER;
  if (family == IpFamily::kIp4) ipresolve = CURL_IPRESOLVE_V4;
  if (family == IpFamily::kIp6) ipresolve = CURL_IPRESOLVE_V6;
  set(curl_easy_setopt(handle_, CURLOPT_IPRESOLVE, ipresolve));

  const TlsOptions& tls = options.tls;
  if (!tls.ca_file.empty()) set(curl_easy_setopt(handle_, CURLOPT_CAINFO, tls.ca_file.c_str()));
  if (!tls.cert_file.empty()) {
    set(curl_easy_setopt(handle_, CURLOPT_SSLCERT, tls.cert_file.c_str()));
  }
  if (!tls.key_file.empty()) set(curl_easy_setopt(handle_, CURLOPT_SSLKEY, tls.key_file.c_str()));
  if (tls.insecure_skip_verify) {
    set(curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, 0L));
    set(curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, 0L));
  }
  if (tls.min_version == TlsMinVersion::kTls12) {
    set(curl_easy_setopt(handle_, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  } else if (tls.min_version == TlsMinVersion::kTls13) {
    set(curl_easy_setopt(handle_, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_3)));
  }
  // The peer's chain, for probe_ssl_earliest_cert_expiry.
  set(curl_easy_setopt(handle_, CURLOPT_CERTINFO, 1L));
  // libcurl has no backend-neutral getter for the negotiated TLS version; its informational
  // "SSL connection using <version> / <cipher>" line is the portable source. A debug callback
  // receives it without anything being printed.
  set(curl_easy_setopt(handle_, CURLOPT_DEBUGFUNCTION, &CurlEasy::DebugCallback));
  set(curl_easy_setopt(handle_, CURLOPT_DEBUGDATA, this));
  set(curl_easy_setopt(handle_, CURLOPT_VERBOSE, 1L));
  set(curl_easy_setopt(handle_, CURLOPT_OPENSOCKETFUNCTION, &CurlEasy::OpenSocket));
  set(curl_easy_setopt(handle_, CURLOPT_OPENSOCKETDATA, this));
  if (!route->connect_to.empty()) SetList(CURLOPT_CONNECT_TO, {route->connect_to});
  if (rc != CURLE_OK) {
    return {TransportError::kInternal,
            std::string("libcurl rejected an option: ") + curl_easy_strerror(rc), 0};
  }
  return {};
}

int CurlEasy::DebugCallback(CURL*, curl_infotype type, char* data, size_t size, void* self) {
  if (type != CURLINFO_TEXT) return 0;
  constexpr std::string_view kPrefix = "SSL connection using ";
  std::string_view line(data, size);
  if (line.substr(0, kPrefix.size()) != kPrefix) return 0;
  line.remove_prefix(kPrefix.size());
  auto* easy = static_cast<CurlEasy*>(self);
  const size_t slash = line.find(" / ");
  easy->tls_version_ = TrimLine(line.substr(0, slash));
  easy->tls_cipher_ = slash == std::string_view::npos ? "" : TrimLine(line.substr(slash + 3));
  return 0;
}

curl_socket_t CurlEasy::OpenSocket(void* self, curlsocktype, curl_sockaddr* address) {
  auto* easy = static_cast<CurlEasy*>(self);
  char text[INET6_ADDRSTRLEN] = {};
  if (address->family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address->addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    easy->attempted_port_ = ntohs(in->sin_port);
  } else if (address->family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    easy->attempted_port_ = ntohs(in6->sin6_port);
  }
  easy->attempted_ip_ = text;
  // CLOEXEC: a probe socket must not leak into processes the exporter may spawn.
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

TransportStatus CurlEasy::Perform() {
  if (std::optional<CURLcode> code = CurlLoop::PerformInCurrentTask(handle_)) {
    return Classify(*code);
  }
  return Classify(curl_easy_perform(handle_));
}

TransportStatus CurlEasy::Classify(CURLcode code) const {
  TransportStatus status;
  if (code == CURLE_OK) return status;
  long os_errno = 0;
  curl_easy_getinfo(handle_, CURLINFO_OS_ERRNO, &os_errno);
  status.os_errno = static_cast<int>(os_errno);
  status.message = error_[0] != '\0' ? TrimLine(error_) : curl_easy_strerror(code);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      status.error = TransportError::kDns;
      break;
    case CURLE_COULDNT_CONNECT:
      if (attempted_ip_.empty() && family_ != IpFamily::kAny) {
        // Resolution succeeded but left no address of the requested family, so libcurl never
        // opened a socket. That is a resolution problem (and what ip_fallback is for).
        status.error = TransportError::kDns;
        status.message = std::string("no IPv") + (family_ == IpFamily::kIp4 ? "4" : "6") +
                         " address for the host (" + status.message + ")";
        break;
      }
      status.error =
          os_errno == ECONNREFUSED ? TransportError::kConnectionRefused : TransportError::kConnect;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      status.error = TransportError::kTimeout;
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      status.error = TransportError::kTls;
      break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:  // only reachable through a redirect to e.g. ftp://
      status.error = TransportError::kProtocol;
      break;
    case CURLE_FILESIZE_EXCEEDED:
      status.error = TransportError::kBodyTooLarge;
      break;
    default:
      status.error = TransportError::kInternal;
      break;
  }
  return status;
}

ConnectionInfo CurlEasy::Info() const {
  ConnectionInfo info;
  char* ip = nullptr;
  if (curl_easy_getinfo(handle_, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
    info.primary_ip = ip;
  }
  long port = 0;
  curl_easy_getinfo(handle_, CURLINFO_PRIMARY_PORT, &port);
  info.primary_port = static_cast<int>(port);
  if (info.primary_ip.empty()) {
    info.primary_ip = attempted_ip_;
    info.primary_port = attempted_port_;
  }

  auto seconds = [this](CURLINFO what) {
    curl_off_t us = 0;
    curl_easy_getinfo(handle_, what, &us);
    return static_cast<double>(us) / 1e6;
  };
  info.timings.namelookup = seconds(CURLINFO_NAMELOOKUP_TIME_T);
  info.timings.connect = seconds(CURLINFO_CONNECT_TIME_T);
  info.timings.appconnect = seconds(CURLINFO_APPCONNECT_TIME_T);
  info.timings.pretransfer = seconds(CURLINFO_PRETRANSFER_TIME_T);
  info.timings.starttransfer = seconds(CURLINFO_STARTTRANSFER_TIME_T);
  info.timings.total = seconds(CURLINFO_TOTAL_TIME_T);

  char* scheme = nullptr;
  if (curl_easy_getinfo(handle_, CURLINFO_SCHEME, &scheme) == CURLE_OK && scheme != nullptr) {
    info.tls = EqualsIgnoreCase(scheme, "https");
  }
  if (info.tls) {
    info.tls_version = tls_version_;
    info.tls_cipher = tls_cipher_;
  }

  curl_certinfo* chain = nullptr;
  if (curl_easy_getinfo(handle_, CURLINFO_CERTINFO, &chain) == CURLE_OK && chain != nullptr) {
    constexpr std::string_view kExpire = "Expire date:";
    for (int i = 0; i < chain->num_of_certs; ++i) {
      for (curl_slist* field = chain->certinfo[i]; field != nullptr; field = field->next) {
        std::string_view text(field->data);
        if (text.substr(0, kExpire.size()) != kExpire) continue;
        std::optional<int64_t> expiry = ParseCertificateTime(text.substr(kExpire.size()));
        if (expiry && (!info.earliest_cert_expiry || *expiry < *info.earliest_cert_expiry)) {
          info.earliest_cert_expiry = expiry;
        }
      }
    }
  }
  return info;
}

}  // namespace smoke::clients
