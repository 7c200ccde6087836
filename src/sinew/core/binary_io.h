// Little binary streams for checkpoint state: plain values, vectors and strings, each vector and
// string prefixed with its length. A reader that runs past the end or finds a bad length throws
// UserError naming its source, so a damaged file is reported rather than misread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "sinew/core/errors.h"

namespace sinew {

class BinaryWriter {
 public:
  template <typename T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&value);
    bytes_.append(p, sizeof(T));
  }
  template <typename T>
  void put_vector(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<uint64_t>(values.size());
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void put_string(const std::string& text) {
    put<uint64_t>(text.size());
    bytes_.append(text);
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class BinaryReader {
 public:
  // `source` names the data in errors (a file path).
  BinaryReader(std::string bytes, std::string source)
      : bytes_(std::move(bytes)), source_(std::move(source)) {}

  template <typename T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  template <typename T>
  std::vector<T> get_vector() {
    uint64_t n = get<uint64_t>();
    if (n > (bytes_.size() - offset_) / sizeof(T)) fail("bad vector length");
    std::vector<T> values(n);
    std::memcpy(values.data(), take(n * sizeof(T)), n * sizeof(T));
    return values;
  }
  std::string get_string() {
    uint64_t n = get<uint64_t>();
    if (n > bytes_.size() - offset_) fail("bad string length");
    return std::string(take(n), n);
  }
  bool at_end() const { return offset_ == bytes_.size(); }
  // Throws UserError("<source>: <what>").
  [[noreturn]] void fail(const std::string& what) const { throw UserError(source_ + ": " + what); }

 private:
  const char* take(std::size_t n) {
    if (n > bytes_.size() - offset_) fail("ends early (truncated?)");
    const char* p = bytes_.data() + offset_;
    offset_ += n;
    return p;
  }

  std::string bytes_;
  std::string source_;
  std::size_t offset_ = 0;
};

}  // namespace sinew
