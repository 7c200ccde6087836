#include "sinew/transport/param_snapshot.h"

#include "sinew/core/binary_io.h"

namespace sinew {
namespace {

constexpr uint32_t kMagic = 0x534e5053;  // "SPNS"

}  // namespace

int64_t ParamSnapshot::num_values() const {
  int64_t total = 0;
  for (const auto& shape : shapes) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    total += n;
  }
  return total;
}

std::string ParamSnapshot::to_bytes() const {
  BinaryWriter out;
  out.put<uint32_t>(kMagic);
  out.put<int64_t>(version);
  out.put<uint64_t>(shapes.size());
  for (const auto& shape : shapes) out.put_vector(shape);
  out.put_vector(values);
  out.put<int>(obs_normalizer.dim());
  out.put_string(obs_normalizer.to_json());
  return out.bytes();
}

ParamSnapshot ParamSnapshot::from_bytes(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  if (in.get<uint32_t>() != kMagic) in.fail("not a parameter snapshot");
  ParamSnapshot s;
  s.version = in.get<int64_t>();
  const uint64_t count = in.get<uint64_t>();
  if (count > bytes.size()) in.fail("bad parameter count");
  for (uint64_t i = 0; i < count; ++i) {
    s.shapes.push_back(in.get_vector<int64_t>());
    for (int64_t d : s.shapes.back()) {
      if (d < 0 || d > (int64_t{1} << 32)) in.fail("bad parameter shape");
    }
  }
  s.values = in.get_vector<float>();
  if (s.num_values() != static_cast<int64_t>(s.values.size())) {
    in.fail("the values do not match the parameter shapes");
  }
  const int dim = in.get<int>();
  if (dim < 0 || dim > (1 << 24)) in.fail("bad observation size");
  s.obs_normalizer = RunningNormalizer::from_json(in.get_string(), dim, source);
  if (!in.at_end()) in.fail("unexpected data after the parameter snapshot");
  return s;
}

}  // namespace sinew
