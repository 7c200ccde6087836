// An independent reader of TensorBoard event files for tests: TFRecord framing with CRC checks
// and the protobuf wire format decoded by hand (no generated code), so the writer is checked
// against the format itself rather than against its own library.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sinew/core/crc32c.h"

namespace sinew::testing {

struct DecodedValue {
  std::string tag;
  bool has_simple_value = false;
  float simple_value = 0;
  std::string plugin_name;
  std::vector<std::string> strings;  // tensor string_val
};

struct DecodedEvent {
  double wall_time = 0;
  int64_t step = 0;
  std::string file_version;
  std::vector<DecodedValue> values;
  int session_status = -1;  // SessionLog status when present
};

class WireReader {
 public:
  explicit WireReader(const std::string& bytes) : b_(bytes) {}
  bool done() const { return i_ >= b_.size(); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t byte = static_cast<uint8_t>(b_.at(i_++));
      v |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
    throw std::runtime_error("bad varint");
  }
  std::string bytes(std::size_t n) {
    if (i_ + n > b_.size()) throw std::runtime_error("field past the end");
    std::string s = b_.substr(i_, n);
    i_ += n;
    return s;
  }
  // (field number, wire type)
  std::pair<int, int> key() {
    uint64_t k = varint();
    return {static_cast<int>(k >> 3), static_cast<int>(k & 7)};
  }
  void skip(int wire) {
    if (wire == 0)
      varint();
    else if (wire == 1)
      bytes(8);
    else if (wire == 2)
      bytes(varint());
    else if (wire == 5)
      bytes(4);
    else
      throw std::runtime_error("unknown wire type");
  }

 private:
  const std::string& b_;
  std::size_t i_ = 0;
};

inline DecodedValue decode_value(const std::string& bytes) {
  DecodedValue v;
  WireReader r(bytes);
  while (!r.done()) {
    auto [field, wire] = r.key();
    if (field == 1 && wire == 2) {
      v.tag = r.bytes(r.varint());
    } else if (field == 2 && wire == 5) {
      std::string raw = r.bytes(4);
      std::memcpy(&v.simple_value, raw.data(), 4);
      v.has_simple_value = true;
    } else if (field == 9 && wire == 2) {
      std::string metadata = r.bytes(r.varint());
      WireReader m(metadata);
      while (!m.done()) {
        auto [mf, mw] = m.key();
        if (mf == 1 && mw == 2) {
          std::string plugin = m.bytes(m.varint());
          WireReader p(plugin);
          while (!p.done()) {
            auto [pf, pw] = p.key();
            if (pf == 1 && pw == 2)
              v.plugin_name = p.bytes(p.varint());
            else
              p.skip(pw);
          }
        } else {
          m.skip(mw);
        }
      }
    } else if (field == 8 && wire == 2) {
      std::string tensor = r.bytes(r.varint());
      WireReader t(tensor);
      while (!t.done()) {
        auto [tf, tw] = t.key();
        if (tf == 8 && tw == 2)
          v.strings.push_back(t.bytes(t.varint()));
        else
          t.skip(tw);
      }
    } else {
      r.skip(wire);
    }
  }
  return v;
}

inline DecodedEvent decode_event(const std::string& bytes) {
  DecodedEvent e;
  WireReader r(bytes);
  while (!r.done()) {
    auto [field, wire] = r.key();
    if (field == 1 && wire == 1) {
      std::string raw = r.bytes(8);
      std::memcpy(&e.wall_time, raw.data(), 8);
    } else if (field == 2 && wire == 0) {
      e.step = static_cast<int64_t>(r.varint());
    } else if (field == 3 && wire == 2) {
      e.file_version = r.bytes(r.varint());
    } else if (field == 5 && wire == 2) {
      std::string summary = r.bytes(r.varint());
      WireReader s(summary);
      while (!s.done()) {
        auto [sf, sw] = s.key();
        if (sf == 1 && sw == 2)
          e.values.push_back(decode_value(s.bytes(s.varint())));
        else
          s.skip(sw);
      }
    } else if (field == 6 && wire == 2) {
      std::string log = r.bytes(r.varint());
      WireReader l(log);
      e.session_status = 0;
      while (!l.done()) {
        auto [lf, lw] = l.key();
        if (lf == 1 && lw == 0)
          e.session_status = static_cast<int>(l.varint());
        else
          l.skip(lw);
      }
    } else {
      r.skip(wire);
    }
  }
  return e;
}

// Every event of a file; throws on a bad length or CRC.
inline std::vector<DecodedEvent> read_events(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  std::vector<DecodedEvent> events;
  std::size_t i = 0;
  auto u32 = [&](std::size_t at) {
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k)
      v |= static_cast<uint32_t>(static_cast<uint8_t>(data[at + k])) << (8 * k);
    return v;
  };
  while (i < data.size()) {
    if (i + 12 > data.size()) throw std::runtime_error("truncated record header");
    uint64_t length = 0;
    for (int k = 0; k < 8; ++k)
      length |= static_cast<uint64_t>(static_cast<uint8_t>(data[i + k])) << (8 * k);
    if (u32(i + 8) != masked_crc32c(data.data() + i, 8)) throw std::runtime_error("bad length CRC");
    if (i + 12 + length + 4 > data.size()) throw std::runtime_error("truncated record");
    std::string payload = data.substr(i + 12, length);
    if (u32(i + 12 + length) != masked_crc32c(payload.data(), payload.size())) {
      throw std::runtime_error("bad data CRC");
    }
    events.push_back(decode_event(payload));
    i += 12 + length + 4;
  }
  return events;
}

}  // namespace sinew::testing
