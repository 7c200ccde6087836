#include "sinew/runtime/run_checkpointer.h"

#include <fmt/format.h>

#include <chrono>

#include "sinew/core/checkpoint.h"
#include "sinew/core/text_file.h"
#include "sinew/runtime/agent_factory.h"

namespace sinew {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kLearnerFile = "data/learner_state.bin";

std::string actor_file(std::size_t i) {
  return fmt::format("interaction/environment/actor_{}.bin", i);
}

int64_t folder_bytes(const fs::path& dir) {
  int64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += static_cast<int64_t>(e.file_size());
  }
  return total;
}

}  // namespace

RunCheckpointer::RunCheckpointer(const Config& config, const RunDir& run_dir, int keep_last,
                                 Agent& agent, RunWorkers& workers, RunCounters& counters,
                                 RunClock& clock, MetricsBus& metrics, Logger& log)
    : config_(config),
      run_dir_(run_dir),
      keep_last_(keep_last),
      agent_(agent),
      workers_(workers),
      counters_(counters),
      clock_(clock),
      metrics_(metrics),
      log_(log) {}

fs::path RunCheckpointer::save(const std::string& reason, const std::vector<bool>& actors_saved) {
  auto start = Clock::now();
  const int64_t step = counters_.env_steps.load();
  const double clock = clock_.now_s();
  // a clean cut in metrics.csv: everything up to this step is written before the checkpoint
  metrics_.flush(step, clock);

  Learner& learner = workers_.learner();
  CheckpointWriter writer(run_dir_.checkpoints(), step);
  agent_.save(&writer);
  save_agent_files(&writer, learner.normalizer(), config_);
  write_file(writer.file(kLearnerFile), learner.save_state());
  nlohmann::json saved = nlohmann::json::array();
  for (std::size_t i = 0; i < workers_.num_actors(); ++i) {
    saved.push_back(static_cast<bool>(actors_saved[i]));
    if (actors_saved[i]) write_file(writer.file(actor_file(i)), workers_.actor(i).save_state());
  }
  nlohmann::json meta;
  meta["config_hash"] = config_.hash();
  meta["wall_time_s"] = clock;
  meta["reason"] = reason;
  meta["actors_saved"] = saved;
  if (!parent_.is_null()) meta["parent"] = parent_;
  meta["counters"] = {{"env_steps", step},
                      {"episodes", counters_.episodes.load()},
                      {"learner_version", learner.version()},
                      {"dropped_blocks", learner.dropped_blocks()}};
  fs::path path = writer.commit(meta);
  prune_checkpoints(run_dir_.checkpoints(), keep_last_);

  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  int64_t bytes = folder_bytes(path);
  metrics_.record("checkpoint/seconds", seconds);
  metrics_.record("checkpoint/bytes", static_cast<double>(bytes));
  {
    std::lock_guard lock(mutex_);
    last_ = {path.string(), step};
  }
  log_.info("checkpoint {} ({}, {:.1f} kB, {:.3f} s)", path.string(), reason, bytes / 1e3, seconds);
  return path;
}

void RunCheckpointer::restore(const fs::path& checkpoint, const nlohmann::json& manifest) {
  auto start = Clock::now();
  Learner& learner = workers_.learner();
  agent_.load(checkpoint);
  learner.load_state(read_text_file(checkpoint / kLearnerFile),
                     (checkpoint / kLearnerFile).string());
  for (std::size_t i = 0; i < workers_.num_actors(); ++i) {
    fs::path file = checkpoint / actor_file(i);
    if (fs::is_regular_file(file)) {
      workers_.actor(i).load_state(read_text_file(file), file.string());
    } else {
      log_.warn("no saved state for actor {}: its envs start new episodes", i);
    }
  }
  const auto& counters = manifest.at("counters");
  const int64_t step = counters.at("env_steps").get<int64_t>();
  counters_.env_steps.store(step);
  counters_.steps_claimed.store(step);
  counters_.episodes.store(counters.at("episodes").get<int64_t>());
  clock_.set_base(manifest.value("wall_time_s", 0.0));
  if (manifest.contains("parent")) parent_ = manifest["parent"];
  learner.publish();
  {
    std::lock_guard lock(mutex_);
    last_ = {checkpoint.string(), step};
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  metrics_.record("checkpoint/restore_seconds", seconds);
  log_.info("restored {} (step {}, learner version {}) in {:.3f} s", checkpoint.string(), step,
            learner.version(), seconds);
}

RunCheckpointer::Last RunCheckpointer::last() const {
  std::lock_guard lock(mutex_);
  return last_;
}

}  // namespace sinew
