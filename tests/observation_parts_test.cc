// An env's observation parts: typed (float32 or uint8 with a shape), checked against the
// spec, and normalized per part: pixels at a fixed scale, real values by running statistics.
#include "sinew/env/observation_parts.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace sinew {
namespace {

// a camera image of 3x2x2 pixels after 2 proprioceptive values and a force in newtons
EnvSpec camera_and_proprio() {
  EnvSpec spec;
  spec.name = "camera_test";
  spec.obs_dim = 15;
  ObsPart image{"image", 2, 12, ObsType::kUint8, {3, 2, 2}};
  ObsPart force{"force", 14, 1};
  force.center = 0;
  force.scale = 500;  // [N]
  spec.obs_parts = {{"proprio", 0, 2}, image, force};
  return spec;
}

std::string error_of(const EnvSpec& spec) {
  try {
    check_observation_parts(spec);
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

TEST(ObservationParts, PixelsAndDeclaredScalesAreHeldTheRestLearns) {
  const EnvSpec spec = camera_and_proprio();
  EXPECT_NO_THROW(check_observation_parts(spec));
  RunningNormalizer n = observation_normalizer(spec);
  ASSERT_EQ(n.dim(), 15);
  for (int j = 0; j < 2; ++j) EXPECT_FALSE(n.held(j)) << j;
  for (int j = 2; j < 15; ++j) EXPECT_TRUE(n.held(j)) << j;
  std::vector<float> obs(15, 255.0f), out(15);
  obs[0] = 3.0f;
  obs[14] = 250.0f;
  n.update(obs, 1);
  n.normalize(obs, out, 1);
  EXPECT_NEAR(out[2], 1.0f, 1e-6) << "a white pixel";
  EXPECT_NEAR(out[14], 0.5f, 1e-6) << "250 N at a scale of 500 N";
  EXPECT_DOUBLE_EQ(n.mean()[0], 3.0) << "proprioception learns its statistics";
}

TEST(ObservationParts, AFlatObservationIsOnePartWithRunningStatistics) {
  EnvSpec spec;
  spec.name = "flat";
  spec.obs_dim = 4;
  EXPECT_NO_THROW(check_observation_parts(spec));
  const RunningNormalizer n = observation_normalizer(spec);
  for (int j = 0; j < 4; ++j) EXPECT_FALSE(n.held(j));
}

TEST(ObservationParts, AGapAnOverlapOrAWrongShapeNamesThePart) {
  EnvSpec gap = camera_and_proprio();
  gap.obs_parts[1].offset = 3;
  EXPECT_NE(error_of(gap).find("'image'"), std::string::npos) << error_of(gap);
  EnvSpec shape = camera_and_proprio();
  shape.obs_parts[1].shape = {3, 3, 3};
  EXPECT_NE(error_of(shape).find("shape 3x3x3 but 12 values"), std::string::npos)
      << error_of(shape);
  EnvSpec short_of = camera_and_proprio();
  short_of.obs_dim = 16;
  EXPECT_NE(error_of(short_of).find("cover 15 of 16"), std::string::npos) << error_of(short_of);
}

}  // namespace
}  // namespace sinew
