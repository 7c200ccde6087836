// A world that is not a simulation, for tests: the observation counts steps, the reward is the
// action; it keeps no state of its own to save (Env::saves_state() is false).
#pragma once

#include <atomic>
#include <memory>
#include <utility>

#include "sinew/env/env.h"
#include "sinew/env/env_maker.h"

namespace sinew::testing {

// What happened to the worlds it is given to, readable from any thread while they run.
struct WorldEvents {
  std::atomic<int> pauses{0}, resumes{0};
  std::atomic<int> steps_while_paused{0};  // must stay 0: a paused world is not stepped
};

class CounterEnv final : public Env {
 public:
  // `closes` (optional) counts the close() calls of every env it is given to, `events` their
  // pauses and resumes
  explicit CounterEnv(std::shared_ptr<int> closes = nullptr,
                      std::shared_ptr<WorldEvents> events = nullptr)
      : closes_(std::move(closes)), events_(std::move(events)) {
    spec_.name = "counter";
    spec_.obs_dim = 1;
    spec_.action_dim = 1;
    spec_.action_low = {-1};
    spec_.action_high = {1};
    spec_.control_dt_s = 0.1;
    spec_.max_episode_steps = 5;
  }
  const EnvSpec& spec() const override { return spec_; }
  void reset(uint64_t seed, std::span<float> obs) override {
    steps_ = 0;
    obs[0] = 0;
  }
  StepResult step(std::span<const float> action, std::span<float> obs) override {
    if (paused_ && events_) ++events_->steps_while_paused;
    obs[0] = static_cast<float>(++steps_);
    StepResult r;
    r.reward = action[0];
    r.truncated = steps_ >= spec_.max_episode_steps;
    return r;
  }
  void pause() override {
    paused_ = true;
    if (events_) ++events_->pauses;
  }
  void resume() override {
    paused_ = false;
    if (events_) ++events_->resumes;
  }
  void close() override {
    if (closes_) ++*closes_;
  }

 private:
  EnvSpec spec_;
  int steps_ = 0;
  bool paused_ = false;
  std::shared_ptr<int> closes_;
  std::shared_ptr<WorldEvents> events_;
};

class CounterMaker final : public EnvMaker {
 public:
  const EnvSpec& spec() const override { return spec_; }
  std::unique_ptr<Env> make() const override {
    return std::make_unique<CounterEnv>(closes, events);
  }

  std::shared_ptr<int> closes = std::make_shared<int>(0);  // of every env it made
  std::shared_ptr<WorldEvents> events = std::make_shared<WorldEvents>();

 private:
  EnvSpec spec_ = CounterEnv().spec();
};

}  // namespace sinew::testing
