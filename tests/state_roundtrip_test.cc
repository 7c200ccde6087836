// Saved state continues exactly: envs mid-episode, action noise, trajectory blocks, metrics.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scratch_path.h"
#include "sinew/core/binary_io.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/nn/action_sampler.h"
#include "sinew/runtime/training_run.h"
#include "sinew/sim/env_factory.h"
#include "sinew/transport/trajectory_block.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

std::vector<float> continue_episode(Env& env, int steps) {
  std::vector<float> trace, obs(env.spec().obs_dim);
  for (int t = 0; t < steps; ++t) {
    float a = std::cos(0.3f * t);
    StepResult r = env.step(std::span<const float>(&a, 1), obs);
    trace.insert(trace.end(), obs.begin(), obs.end());
    trace.push_back(r.reward);
    trace.push_back(r.truncated);
    if (r.done()) env.reset(1000 + t, obs);
  }
  std::map<std::string, double> metrics;
  env.episode_metrics(&metrics);
  trace.push_back(static_cast<float>(metrics["upright_fraction"]));
  return trace;
}

TEST(EnvState, RestoredEnvContinuesBitwiseIdentically) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  EnvFactory factory(composer.compose({"env=pendulum"}));
  auto a = factory.make(), b = factory.make();
  std::vector<float> obs(3);
  a->reset(7, obs);
  continue_episode(*a, 137);  // mid-episode, into the second half
  b->reset(99, obs);          // b holds a different episode before loading
  b->load_state(a->save_state(), "test");
  EXPECT_EQ(continue_episode(*a, 300), continue_episode(*b, 300));
}

TEST(EnvState, DamagedStateIsAUserError) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  EnvFactory factory(composer.compose({"env=pendulum"}));
  auto env = factory.make();
  std::vector<float> obs(3);
  env->reset(1, obs);
  std::string state = env->save_state();
  EXPECT_THROW(env->load_state(state.substr(0, state.size() / 2), "half"), UserError);
  EXPECT_THROW(env->load_state(state + "x", "extra"), UserError);
}

TEST(ActionSamplerState, RestoredSamplerDrawsTheSameActions) {
  ActionSampler a(2, 0, 5), b(2, 0, 6);
  std::vector<float> head = {0.1f, 0.2f, 0.3f, 0.4f}, log_std = {0.0f, -1.0f};
  std::vector<float> x(4), y(4), lx(2), ly(2);
  a.sample(head.data(), log_std.data(), 1, false, x.data(), lx.data());  // odd count: cached normal
  b.load_state(a.save_state(), "test");
  for (int i = 0; i < 10; ++i) {
    a.sample(head.data(), log_std.data(), 2, false, x.data(), lx.data());
    b.sample(head.data(), log_std.data(), 2, false, y.data(), ly.data());
    EXPECT_EQ(x, y);
  }
}

TEST(TrajectoryBlockIo, RoundTripsAndRejectsDamage) {
  TrajectoryBlock block(3, 2, 4, 1);
  for (std::size_t i = 0; i < block.obs.size(); ++i) block.obs[i] = 0.5f * i;
  block.truncated[5] = 1;
  block.final_index = {5};
  block.final_obs = {1, 2, 3, 4};
  block.policy_version = 17;
  for (std::size_t i = 0; i < block.step_time_ns.size(); ++i) {
    block.step_time_ns[i] = 1'765'000'000'000'000'000 + 1000 * static_cast<int64_t>(i);
  }
  BinaryWriter out;
  write_block(&out, block);
  BinaryReader in(out.bytes(), "test");
  TrajectoryBlock back = read_block(&in);
  EXPECT_EQ(back.obs, block.obs);
  EXPECT_EQ(back.step_time_ns, block.step_time_ns);
  EXPECT_EQ(back.final_obs, block.final_obs);
  EXPECT_EQ(back.truncated, block.truncated);
  EXPECT_EQ(back.policy_version, 17);
  EXPECT_TRUE(in.at_end());
  BinaryReader cut(out.bytes().substr(0, 40), "cut");
  EXPECT_THROW(read_block(&cut), UserError);
  // a block written before blocks carried step times: the same bytes without the last vector
  const std::size_t times_bytes = sizeof(uint64_t) + block.step_time_ns.size() * sizeof(int64_t);
  BinaryReader old(out.bytes().substr(0, out.bytes().size() - times_bytes), "old");
  TrajectoryBlock old_block = read_block(&old, /*with_step_times=*/false);
  EXPECT_TRUE(old.at_end());
  EXPECT_EQ(old_block.obs, block.obs);
  EXPECT_EQ(old_block.step_time_ns, std::vector<int64_t>(block.step_time_ns.size(), 0));
}

TEST(MetricsCsv, TruncationKeepsRowsUpToTheCheckpointStep) {
  fs::path path = testing::scratch_path("sinew_truncate_test", ".csv");
  std::ofstream(path) << "step,wall_time_s,name,value\n10,1,a,1\n20,2,a,2\n20,2,b,3\n30,3,a,4\n"
                         "40,4,rollout/ret";
  EXPECT_EQ(truncate_metrics_csv(path, 20), 2u);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "step,wall_time_s,name,value\n10,1,a,1\n20,2,a,2\n20,2,b,3\n");
  fs::remove(path);
}

TEST(Resume, OnlySafeKeysMayChange) {
  EXPECT_TRUE(resume_may_change("trainer.total_steps"));
  EXPECT_TRUE(resume_may_change("algo.lr"));
  EXPECT_TRUE(resume_may_change("checkpoint.every_steps"));
  EXPECT_FALSE(resume_may_change("model.hidden"));
  EXPECT_FALSE(resume_may_change("env.max_episode_steps"));
  EXPECT_FALSE(resume_may_change("runtime.actors"));
  EXPECT_FALSE(resume_may_change("trainer.seed"));
}

}  // namespace
}  // namespace sinew
