#pragma once
// Bit-granular writer and reader over a byte buffer, most significant bit first, as the Gorilla
// chunk encoding needs (Prometheus's tsdb/chunkenc bstream). The reader is bounds-checked so that
// a corrupt chunk read back from a snapshot is an error, never a read past the buffer.
// Thread-safety: none; a writer or reader belongs to one thread at a time.

#include <cstdint>
#include <span>
#include <vector>

namespace smoke::tsdb {

class BitWriter {
 public:
  BitWriter() = default;
  // Continues writing after the first `bit_length` bits of `bytes` (the rest is discarded).
  BitWriter(std::vector<uint8_t> bytes, uint64_t bit_length);

  void WriteBit(bool bit);
  // The low `n` bits of `value`, high bit first; 0 <= n <= 64.
  void WriteBits(uint64_t value, int n);
  // LEB128, 7 bits per byte, as Go's binary.PutUvarint.
  void WriteUvarint(uint64_t value);

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  uint64_t bit_length() const { return bytes_.size() * 8 - free_bits_; }
  void ShrinkToFit() { bytes_.shrink_to_fit(); }

 private:
  std::vector<uint8_t> bytes_;
  int free_bits_ = 0;  // unused low bits of bytes_.back()
};

class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  // Each returns false, leaving the output unspecified, when the buffer ends first.
  bool ReadBit(bool* bit);
  bool ReadBits(int n, uint64_t* value);
  // Also false for a varint longer than 10 bytes.
  bool ReadUvarint(uint64_t* value);

  uint64_t position() const { return pos_; }

 private:
  std::span<const uint8_t> bytes_;
  uint64_t pos_ = 0;  // in bits
};

}  // namespace smoke::tsdb
