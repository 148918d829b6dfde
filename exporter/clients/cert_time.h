#pragma once
// Certificate validity dates as libcurl reports them in CURLINFO_CERTINFO. With the OpenSSL
// backend "Expire date" is ASN1_TIME_print output, e.g. "Jan  1 00:00:00 2030 GMT" (day padded
// with a space, optional fractional seconds); other backends print "2030-01-01 00:00:00 GMT".

#include <cstdint>
#include <optional>
#include <string_view>

namespace smoke::clients {

// Unix seconds for a certificate date in either form above; nullopt if it is neither.
std::optional<int64_t> ParseCertificateTime(std::string_view text);

}  // namespace smoke::clients
