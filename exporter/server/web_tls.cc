#include "exporter/server/web_tls.h"

#include <dlfcn.h>
#include <link.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace smoke::server {
namespace {

// The last OpenSSL error, for messages; OpenSSL's errors name files and reasons, never key bytes.
std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  std::string last = "unknown OpenSSL error";
  while (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    last = buf;
    code = ERR_get_error();
  }
  return last;
}

int TlsVersion(const std::string& name) {
  if (name == "TLS10") return TLS1_VERSION;
  if (name == "TLS11") return TLS1_1_VERSION;
  if (name == "TLS13") return TLS1_3_VERSION;
  return TLS1_2_VERSION;
}

// --- The CivetWeb 1.15 + OpenSSL 3 repair (see web_tls.h) ---------------------------------------

struct Segment {
  uintptr_t start = 0;
  uintptr_t end = 0;
  bool writable = false;
};

int CollectCivetWebSegments(dl_phdr_info* info, size_t, void* data) {
  if (info->dlpi_name == nullptr || std::strstr(info->dlpi_name, "libcivetweb.so") == nullptr) {
    return 0;
  }
  auto* segments = static_cast<std::vector<Segment>*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    Segment s;
    s.start = info->dlpi_addr + ph.p_vaddr;
    s.end = s.start + ph.p_memsz;
    s.writable = (ph.p_flags & PF_W) != 0;
    segments->push_back(s);
  }
  return 1;
}

// CivetWeb's table entries are {const char* name; int required; void (*ptr)(void);}: find the
// entry whose name is SSL_get_peer_certificate and fill its null pointer.
core::Status RepairCivetWebPeerCertificate() {
  constexpr std::string_view kName = "SSL_get_peer_certificate";
  std::vector<Segment> segments;
  dl_iterate_phdr(CollectCivetWebSegments, &segments);
  if (segments.empty()) return core::Status::Ok();  // not the shared CivetWeb: nothing to repair
  std::vector<uintptr_t> names;
  for (const Segment& s : segments) {
    if (s.writable) continue;
    for (uintptr_t p = s.start; p + kName.size() + 1 <= s.end; ++p) {
      const char* c = reinterpret_cast<const char*>(p);
      if (std::memcmp(c, kName.data(), kName.size() + 1) == 0 && (p == s.start || c[-1] == '\0')) {
        names.push_back(p);
      }
    }
  }
  if (names.empty()) return core::Status::Ok();  // a CivetWeb that never looks the name up
  struct Entry {
    const char* name;
    int required;
    void (*ptr)();
  };
  std::vector<Entry*> entries;
  for (const Segment& s : segments) {
    if (!s.writable) continue;
    for (uintptr_t p = (s.start + alignof(Entry) - 1) & ~(alignof(Entry) - 1);
         p + sizeof(Entry) <= s.end; p += alignof(Entry)) {
      auto* e = reinterpret_cast<Entry*>(p);
      for (uintptr_t name : names) {
        if (reinterpret_cast<uintptr_t>(e->name) == name && (e->required == 0 || e->required == 1)) {
          entries.push_back(e);
        }
      }
    }
  }
  if (entries.size() != 1) {
    return core::Status::Error(
        "this CivetWeb's OpenSSL function table is not laid out as expected (" +
        std::to_string(entries.size()) + " candidate entries); TLS would crash it");
  }
  if (entries[0]->ptr != nullptr) return core::Status::Ok();  // OpenSSL 1.1, or already repaired
  entries[0]->ptr = reinterpret_cast<void (*)()>(&SSL_get1_peer_certificate);
  return core::Status::Ok();
}

// Every time, not once: CivetWeb unloads libssl when its last TLS server stops and reloads (and
// refills the table) for the next one, just before calling us.
core::Status RepairCivetWeb() {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  return RepairCivetWebPeerCertificate();
}

// Accepts any client certificate: RequestClientCert / RequireAnyClientCert ask for one without
// verifying it, as Go does.
int AcceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

core::Status SetCipherSuites(SSL_CTX* ctx, const std::vector<std::string>& suites) {
  if (suites.empty()) return core::Status::Ok();
  // Ask for everything so that every name can be found, then keep only the configured ones.
  if (SSL_CTX_set_cipher_list(ctx, "ALL") != 1) {
    return core::Status::Error("cipher_suites: " + OpenSslError());
  }
  STACK_OF(SSL_CIPHER)* all = SSL_CTX_get_ciphers(ctx);
  std::string list;
  for (const std::string& wanted : suites) {
    bool found = false;
    for (int i = 0; i < sk_SSL_CIPHER_num(all); ++i) {
      const SSL_CIPHER* c = sk_SSL_CIPHER_value(all, i);
      const char* standard = SSL_CIPHER_standard_name(c);
      if (standard == nullptr || wanted != standard) continue;
      found = true;
      // TLS 1.3 suites are not configurable, as in Go: accepted, not listed.
      if (std::strcmp(SSL_CIPHER_get_version(c), "TLSv1.3") != 0) {
        list += (list.empty() ? "" : ":") + std::string(SSL_CIPHER_get_name(c));
      }
    }
    if (!found) {
      return core::Status::Error("cipher_suites: unknown cipher suite \"" + wanted +
                                 "\" (use the IANA names, e.g. "
                                 "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
    }
  }
  if (!list.empty() && SSL_CTX_set_cipher_list(ctx, list.c_str()) != 1) {
    return core::Status::Error("cipher_suites: " + OpenSslError());
  }
  return core::Status::Ok();
}

core::Status Configure(SSL_CTX* ctx, const WebTlsConfig& tls) {
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    return core::Status::Error("cert_file \"" + tls.cert_file +
                               "\" is not a PEM certificate (chain): " + OpenSslError());
  }
  // OpenSSL compares the key with the certificate as it loads it.
  if (SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1 &&
      ERR_GET_REASON(ERR_peek_last_error()) != X509_R_KEY_VALUES_MISMATCH) {
    return core::Status::Error("key_file \"" + tls.key_file +
                               "\" is not an unencrypted PEM private key: " + OpenSslError());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return core::Status::Error("key_file \"" + tls.key_file + "\" does not match cert_file \"" +
                               tls.cert_file + "\"");
  }
  if (SSL_CTX_set_min_proto_version(ctx, TlsVersion(tls.min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(
          ctx, tls.max_version.empty() ? 0 : TlsVersion(tls.max_version)) != 1) {
    return core::Status::Error("min_version/max_version: " + OpenSslError());
  }
  if (core::Status s = SetCipherSuites(ctx, tls.cipher_suites); !s.ok()) return s;
  if (tls.prefer_server_cipher_suites) {
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  } else {
    SSL_CTX_clear_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  }
  const std::string& type = tls.client_auth_type;
  if (type == "NoClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  } else if (type == "RequestClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, AcceptAnyCertificate);
  } else if (type == "RequireAnyClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       AcceptAnyCertificate);
  } else {
    if (SSL_CTX_load_verify_locations(ctx, tls.client_ca_file.c_str(), nullptr) != 1) {
      return core::Status::Error("client_ca_file \"" + tls.client_ca_file +
                                 "\": " + OpenSslError());
    }
    // Tell clients which CAs we accept, so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(ctx, names);
    }
    int mode = SSL_VERIFY_PEER;
    if (type == "RequireAndVerifyClientCert") mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(ctx, mode, nullptr);
  }
  return core::Status::Ok();
}

}  // namespace

core::Status ConfigureServerTls(void* ssl_ctx, const WebTlsConfig& tls) {
  if (core::Status s = RepairCivetWeb(); !s.ok()) return s;
  return Configure(static_cast<SSL_CTX*>(ssl_ctx), tls);
}

core::Status CheckServerTls(const WebTlsConfig& tls) {
  std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return core::Status::Error("cannot create a TLS context: " + OpenSslError());
  return Configure(ctx.get(), tls);
}

}  // namespace smoke::server
