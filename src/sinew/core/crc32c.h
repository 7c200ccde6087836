// CRC-32C (Castagnoli), as TFRecord framing in TensorBoard event files uses it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sinew {

// CRC-32C of `size` bytes (reflected polynomial 0x82F63B78, initial and final xor ~0).
uint32_t crc32c(const void* data, std::size_t size);

// TFRecord's masked CRC: ((crc >> 15) | (crc << 17)) + 0xa282ead8.
uint32_t masked_crc32c(const void* data, std::size_t size);

}  // namespace sinew
