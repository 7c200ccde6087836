// SHA-256 (FIPS 180-4) for checkpoint manifests and config hashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace sinew {

// Incremental SHA-256: update() any number of times, then hex_digest() once.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  // Finishes the hash and returns 64 lowercase hex digits. Call once.
  std::string hex_digest();

 private:
  void compress(const uint8_t* block);

  uint32_t state_[8];
  uint8_t buffer_[64];
  std::size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256_hex(std::string_view data);
// Hashes a file in chunks; throws UserError naming the file if it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace sinew
