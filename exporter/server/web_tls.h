#pragma once
// TLS for our own listener (the web config's tls_server_config), applied to the OpenSSL context
// CivetWeb creates. OpenSSL types stay in web_tls.cc.
//
// Debian's CivetWeb 1.15 loads libssl at run time and looks up SSL_get_peer_certificate, which
// OpenSSL 3 no longer exports (it is a macro for SSL_get1_peer_certificate); CivetWeb marks it
// optional, leaves the pointer null and calls it after every handshake, so every TLS connection
// crashed the process. ConfigureServerTls() first fills that one slot of CivetWeb's function
// table with SSL_get1_peer_certificate (same contract: a new reference the caller frees), after
// checking that the slot is exactly the one expected; if the table does not look as expected it
// refuses to serve TLS rather than crash later.
// Thread-safety: ConfigureServerTls() may be called from any thread; CheckServerTls() is pure.

#include "exporter/core/status.h"
#include "exporter/server/web_config.h"

namespace smoke::server {

// Configures `ssl_ctx` (an SSL_CTX*) from `tls`: certificate chain and key, protocol versions,
// cipher suites and client certificate policy. Called from CivetWeb's init_ssl callback.
core::Status ConfigureServerTls(void* ssl_ctx, const WebTlsConfig& tls);

// Applies `tls` to a throwaway context, so a key that does not match its certificate or an
// unknown cipher suite stops the start with a clear message.
core::Status CheckServerTls(const WebTlsConfig& tls);

}  // namespace smoke::server
