#include "sinew/runtime/episode_recorder.h"

#include <chrono>

#include "sinew/core/text_file.h"
#include "sinew/env/closing_env.h"
#include "sinew/nn/param_copy.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/runtime/episode_trace.h"
#include "sinew/runtime/evaluator.h"
#include "sinew/serve/run_views.h"

namespace sinew {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

EpisodeRecorder::EpisodeRecorder(const Config& config, const EnvMaker& envs, const Agent& agent,
                                 const RunCounters& counters, fs::path run_dir,
                                 double every_minutes, Logger& log)
    : config_(config),
      envs_(envs),
      agent_(agent),
      counters_(counters),
      run_dir_(std::move(run_dir)),
      every_minutes_(every_minutes),
      log_(log) {}

bool EpisodeRecorder::due(double clock_s) const {
  return every_minutes_ > 0 && clock_s - last_clock_s_ >= 60 * every_minutes_;
}

void EpisodeRecorder::record(double clock_s) {
  if (every_minutes_ <= 0) return;
  last_clock_s_ = clock_s;
  // the viewer's episode plays one policy; an agent of several models has none to record yet
  if (!agent_.spec().single()) return;
  if (!worker_.try_submit([this] { record_now(); })) {
    log_.debug("the previous evaluation episode is still recording; skipped");
  }
}

void EpisodeRecorder::record_now() {
  auto start = Clock::now();
  try {
    // the newest published parameters, as `sinew eval` would load them
    auto snapshot = agent_.params(0).latest();
    LoadedPolicy policy;
    policy.config = config_;
    policy.model = ActorCritic(agent_.policy_options(0));
    copy_params_in(*snapshot, *policy.model);
    policy.model->eval();
    policy.normalizer = snapshot->obs_normalizer;
    ClosingEnv env(envs_.make());
    const uint64_t seed = 777;
    PolicyActor actor(policy, envs_.spec(), seed, /*deterministic=*/true);
    nlohmann::json trace = record_trace(*env, &actor, seed);
    trace["step"] = counters_.env_steps.load();
    trace["policy_version"] = snapshot->version;
    trace["source"] = run_dir_.string();
    const fs::path file = episode_file(run_dir_);
    fs::create_directories(file.parent_path());
    write_file_atomically(file, trace.dump());
    std::lock_guard lock(mutex_);
    latest_ = std::move(trace);
  } catch (const std::exception& e) {
    log_.warn("could not record an evaluation episode for the viewer: {}", e.what());
  }
  log_.debug("recorded an evaluation episode in {:.2f} s",
             std::chrono::duration<double>(Clock::now() - start).count());
}

nlohmann::json EpisodeRecorder::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

}  // namespace sinew
