#pragma once
// CRC-32 (IEEE 802.3, the polynomial of zlib and gzip), for the checksums of snapshot records.
// Written here to keep the TSDB free of a compression library it would need only for this.
// Thread-safety: pure functions; safe from any thread.

#include <cstdint>
#include <string_view>

namespace smoke::tsdb {

// The CRC of `data`, continuing from `crc` (the CRC of what came before; 0 to start).
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

}  // namespace smoke::tsdb
