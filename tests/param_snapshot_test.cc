// Published parameters are plain CPU bytes: a module's parameters go out and back in exactly,
// the byte form round-trips (what a network transport sends), and damaged or mismatched data is
// refused rather than misread.
#include "sinew/transport/param_snapshot.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <stdexcept>

#include "sinew/core/errors.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/nn/param_copy.h"

namespace sinew {
namespace {

ActorCriticOptions small(int hidden) {
  return ActorCriticOptions{.obs_dim = 3, .action_dim = 2, .hidden = {hidden}};
}

ParamSnapshot snapshot_of(ActorCritic& model, int64_t version) {
  ParamSnapshot s;
  s.version = version;
  copy_params_out(*model, &s);
  s.obs_normalizer = RunningNormalizer(3);
  std::vector<float> rows = {1, 2, 3, 4, 5, 7};
  s.obs_normalizer.update(rows, 2);
  return s;
}

TEST(ParamSnapshot, ModuleParametersGoThroughBytesIntoAnotherModuleExactly) {
  torch::manual_seed(1);
  ActorCritic a(small(8));
  torch::manual_seed(2);
  ActorCritic b(small(8));
  const ParamSnapshot s = snapshot_of(a, 42);
  EXPECT_EQ(s.num_values(), static_cast<int64_t>(s.values.size()));
  const ParamSnapshot back = ParamSnapshot::from_bytes(s.to_bytes(), "test");
  EXPECT_EQ(back.version, 42);
  EXPECT_EQ(back.shapes, s.shapes);
  EXPECT_EQ(back.values, s.values);
  EXPECT_EQ(back.obs_normalizer.mean(), s.obs_normalizer.mean());
  EXPECT_EQ(back.obs_normalizer.variance(), s.obs_normalizer.variance());
  copy_params_in(back, *b);
  const auto pa = a->parameters(), pb = b->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i])) << i;
}

TEST(ParamSnapshot, DamagedBytesAreRefused) {
  torch::manual_seed(1);
  ActorCritic a(small(4));
  const std::string bytes = snapshot_of(a, 1).to_bytes();
  EXPECT_THROW(ParamSnapshot::from_bytes(bytes.substr(0, bytes.size() / 2), "cut"), UserError);
  EXPECT_THROW(ParamSnapshot::from_bytes(bytes + "x", "longer"), UserError);
  std::string wrong_magic = bytes;
  wrong_magic[0] ^= 0x5a;
  EXPECT_THROW(ParamSnapshot::from_bytes(wrong_magic, "magic"), UserError);
  // every truncation is an error, never a crash or a silently short snapshot
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    EXPECT_THROW(ParamSnapshot::from_bytes(bytes.substr(0, n), "cut"), UserError) << n;
  }
}

TEST(ParamSnapshot, AModelOfAnotherShapeIsRefused) {
  ActorCritic a(small(4)), wider(small(5));
  const ParamSnapshot s = snapshot_of(a, 1);
  EXPECT_THROW(copy_params_in(s, *wider), std::invalid_argument);
}

}  // namespace
}  // namespace sinew
