// Envs are chosen by name from a registry, and an env needs no physics engine: a plain C++ world
// registered beside the MuJoCo ones is made, stepped and benchmarked through the same seams.
// The MuJoCo envs and gait measures are listed in their registries under their config names.
#include "sinew/env/env_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "counter_env.h"
#include "sinew/core/errors.h"
#include "sinew/env/closing_env.h"
#include "sinew/env/env_bench.h"
#include "sinew/sim/env_factory.h"
#include "sinew/sim/gait/measures/measure_registry.h"

namespace sinew {
namespace {
using testing::CounterMaker;

EnvRegistry counter_registry() {
  EnvRegistry r;
  r.add({"counter", "counts its steps", [](const Config&) -> std::unique_ptr<EnvMaker> {
           return std::make_unique<CounterMaker>();
         }});
  return r;
}

TEST(EnvRegistry, MakesAWorldWithoutAPhysicsEngineByName) {
  const EnvRegistry registry = counter_registry();
  const Config config = Config::from_yaml("env:\n  name: counter\n", "test");
  auto maker = registry.at(config).make(config);
  auto env = maker->make();
  std::vector<float> obs(1), action = {0.5f};
  env->reset(1, obs);
  StepResult r = env->step(action, obs);
  EXPECT_EQ(obs[0], 1.0f);
  EXPECT_FLOAT_EQ(r.reward, 0.5f);
  // the lifecycle hooks and the optional parts have defaults a world may keep
  env->pause();
  env->resume();
  env->close();
  EXPECT_EQ(env->trace_recorder(), nullptr);
  std::vector<double> sensor;
  EXPECT_FALSE(env->read_sensor("muscle.force", &sensor));
  EXPECT_EQ(env->spec().observation_shape(), std::vector<int>{1});
  // the benchmark runs it; without raw dynamics there is no ratio
  EnvBenchResult b = bench_env(*maker, 0.05, 1);
  EXPECT_GT(b.env_steps, 0);
  EXPECT_EQ(b.ratio, 0);
}

TEST(EnvRegistry, AnEnvMadeForAWhileIsClosedWhenItGoes) {
  CounterMaker maker;
  bench_env(maker, 0.02, 1);
  EXPECT_EQ(*maker.closes, 1) << "the benchmark's env";
  try {
    ClosingEnv env(maker.make());
    throw std::runtime_error("an error while it is in use");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(*maker.closes, 2) << "closed on the way out of an error";
}

TEST(EnvRegistry, AnUnknownNameIsAConfigErrorListingTheNames) {
  const EnvRegistry registry = counter_registry();
  const Config config = Config::from_yaml("env:\n  name: countr\n", "test");
  try {
    registry.at(config);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("counter"), std::string::npos) << e.what();
  }
}

TEST(EnvRegistry, RefusesATakenNameAndAnEntryWithoutMake) {
  EnvRegistry registry = counter_registry();
  EXPECT_THROW(
      registry.add({"counter", "again", [](const Config&) { return std::unique_ptr<EnvMaker>(); }}),
      std::logic_error);
  EXPECT_THROW(registry.add({"empty", "no make", nullptr}), std::logic_error);
}

TEST(EnvRegistry, ListsTheMujocoEnvsAndTheGaitMeasuresByTheirConfigNames) {
  EXPECT_EQ(env_registry().names(), (std::vector<std::string>{"pendulum", "gait", "mjcf"}));
  const auto measures = measure_registry().names();
  for (const char* name : {"velocity", "metabolic", "tracking", "mimic", "dof_limit"}) {
    EXPECT_NE(std::find(measures.begin(), measures.end(), name), measures.end()) << name;
  }
  EXPECT_EQ(measures.size(), 12u);
}

}  // namespace
}  // namespace sinew
