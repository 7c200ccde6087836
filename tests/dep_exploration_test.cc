#include "sinew/algo/dep_exploration.h"

#include <gtest/gtest.h>

#include <cmath>

#include "shipped_config.h"

namespace sinew {
namespace {

// Muscle signals that make DEP act: lengths and forces that oscillate per muscle.
void signals(int t, std::vector<double>* l, std::vector<double>* f) {
  for (std::size_t i = 0; i < l->size(); ++i) {
    (*l)[i] = 0.1 + 0.02 * std::sin(0.1 * t + static_cast<double>(i));
    (*f)[i] = 500 + 100 * std::cos(0.07 * t * static_cast<double>(i + 1));
  }
}

DepOptions gait_dep() {
  DepOptions o = DepOptions::from_config(shipped_config({"algo=mpo"}));
  o.kappa = 1000;
  o.tau = 40;
  o.bias_rate = 0.002;
  return o;
}

TEST(DepExploration, KeepsItsControllerAcrossEpisodes) {
  DepSwitchingOptions always = DepSwitchingOptions::from_config(
      shipped_config({"algo=mpo"}));  // before learning starts DEP always acts
  always.learning_starts = 1000000;
  DepExploration kept(4, gait_dep(), always, 3), fresh(4, gait_dep(), always, 3);
  std::vector<double> l(4), f(4);
  std::vector<float> a(4), b(4);
  kept.start_episode();
  for (int t = 0; t < 100; ++t) {
    signals(t, &l, &f);
    ASSERT_TRUE(kept.act(l, f, /*run_steps=*/t, a));
  }
  // a new episode: the controller carries on from its history, unlike a fresh one
  kept.start_episode();
  fresh.start_episode();
  signals(100, &l, &f);
  kept.act(l, f, 100, a);
  fresh.act(l, f, 100, b);
  EXPECT_NE(a, b);
  EXPECT_NE(kept.controller().bias(), fresh.controller().bias());
  for (float y : a) EXPECT_TRUE(y >= -1 && y <= 1);
}

TEST(DepExploration, LeavesThePolicyActionWhenTheSwitchingSaysPolicy) {
  DepSwitchingOptions learning = DepSwitchingOptions::from_config(shipped_config({"algo=mpo"}));
  learning.learning_starts = 0;
  learning.intervention_probability = 0;  // after learning starts: only the policy
  DepExploration dep(4, gait_dep(), learning, 5);
  std::vector<double> l(4), f(4);
  std::vector<float> action = {0.1f, 0.2f, 0.3f, 0.4f};
  dep.start_episode();
  for (int t = 0; t < 50; ++t) {
    signals(t, &l, &f);
    EXPECT_FALSE(dep.act(l, f, 10, action));
  }
  EXPECT_EQ(action, (std::vector<float>{0.1f, 0.2f, 0.3f, 0.4f}));
}

TEST(DepExploration, StateRoundTripActsTheSame) {
  DepSwitchingOptions o = DepSwitchingOptions::from_config(shipped_config({"algo=mpo"}));
  o.learning_starts = 0;
  o.intervention_probability = 0.05;
  DepExploration a(4, gait_dep(), o, 11), b(4, gait_dep(), o, 99);
  std::vector<double> l(4), f(4);
  std::vector<float> ya(4), yb(4);
  a.start_episode();
  for (int t = 0; t < 120; ++t) {
    signals(t, &l, &f);
    a.act(l, f, 10, ya);
    if (t == 60) a.start_episode();
  }
  std::vector<std::string> state;
  a.save_state(&state);
  ASSERT_EQ(state.size(), 2u);
  b.load_state(state[0], state[1], "test");
  for (int t = 120; t < 400; ++t) {
    signals(t, &l, &f);
    std::fill(ya.begin(), ya.end(), 0.25f);
    std::fill(yb.begin(), yb.end(), 0.25f);
    ASSERT_EQ(a.act(l, f, 10, ya), b.act(l, f, 10, yb)) << t;
    ASSERT_EQ(ya, yb) << t;
  }
}

}  // namespace
}  // namespace sinew
