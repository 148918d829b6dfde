#include "exporter/tsdb/bit_stream.h"

namespace smoke::tsdb {

BitWriter::BitWriter(std::vector<uint8_t> bytes, uint64_t bit_length) : bytes_(std::move(bytes)) {
  bytes_.resize((bit_length + 7) / 8);
  free_bits_ = static_cast<int>(bytes_.size() * 8 - bit_length);
  // Clear whatever followed the last valid bit so later writes can OR into it.
  if (free_bits_ > 0) bytes_.back() &= static_cast<uint8_t>(0xff << free_bits_);
}

void BitWriter::WriteBit(bool bit) {
  if (free_bits_ == 0) {
    bytes_.push_back(0);
    free_bits_ = 8;
  }
  --free_bits_;
  if (bit) bytes_.back() |= static_cast<uint8_t>(1u << free_bits_);
}

void BitWriter::WriteBits(uint64_t value, int n) {
  while (n > 0) {
    if (free_bits_ == 0) {
      bytes_.push_back(0);
      free_bits_ = 8;
    }
    // As many of the remaining high bits as fit into the current byte.
    const int take = n < free_bits_ ? n : free_bits_;
    const uint64_t chunk = (value >> (n - take)) & ((1u << take) - 1);
    free_bits_ -= take;
    bytes_.back() |= static_cast<uint8_t>(chunk << free_bits_);
    n -= take;
  }
}

void BitWriter::WriteUvarint(uint64_t value) {
  while (value >= 0x80) {
    WriteBits((value & 0x7f) | 0x80, 8);
    value >>= 7;
  }
  WriteBits(value, 8);
}

bool BitReader::ReadBit(bool* bit) {
  if (pos_ >= bytes_.size() * 8) return false;
  *bit = (bytes_[pos_ / 8] >> (7 - pos_ % 8)) & 1;
  ++pos_;
  return true;
}

bool BitReader::ReadBits(int n, uint64_t* value) {
  if (pos_ + static_cast<uint64_t>(n) > bytes_.size() * 8) return false;
  uint64_t v = 0;
  while (n > 0) {
    const int offset = static_cast<int>(pos_ % 8);
    const int avail = 8 - offset;
    const int take = n < avail ? n : avail;
    const uint64_t byte = bytes_[pos_ / 8];
    v = (v << take) | ((byte >> (avail - take)) & ((1u << take) - 1));
    pos_ += static_cast<uint64_t>(take);
    n -= take;
  }
  *value = v;
  return true;
}

bool BitReader::ReadUvarint(uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    uint64_t byte = 0;
    if (!ReadBits(8, &byte)) return false;
    v |= (byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = v;
      return true;
    }
  }
  return false;
}

}  // namespace smoke::tsdb
