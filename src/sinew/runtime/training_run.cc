#include "sinew/runtime/training_run.h"

#include <fmt/format.h>
#include <signal.h>
#include <torch/torch.h>

#include <chrono>
#include <exception>
#include <thread>

#include "sinew/core/metrics_bus.h"
#include "sinew/core/progress_line.h"
#include "sinew/core/run_dir.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/runtime/actor.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/runtime/learner.h"

namespace sinew {
namespace {

using Clock = std::chrono::steady_clock;

struct RunOptions {
  int64_t total_steps;
  uint64_t seed;
  int actors;
  int envs_per_actor;
  int rollout_length;
  int queue_capacity;
  int learner_threads;
  int64_t checkpoint_every_steps;
  int keep_last;
  double log_every_s;
  std::string runs_root;

  explicit RunOptions(const Config& c)
      : total_steps(c.get_int("trainer.total_steps", 1)),
        seed(static_cast<uint64_t>(c.get_int("trainer.seed", 0))),
        actors(static_cast<int>(c.get_int("runtime.actors", 1, 1024))),
        envs_per_actor(static_cast<int>(c.get_int("runtime.envs_per_actor", 1, 1 << 16))),
        rollout_length(static_cast<int>(c.get_int("runtime.rollout_length", 1, 1 << 20))),
        queue_capacity(static_cast<int>(c.get_int("runtime.queue_capacity", 1, 1 << 16))),
        learner_threads(static_cast<int>(c.get_int("runtime.learner_threads", 1, 1024))),
        checkpoint_every_steps(c.get_int("checkpoint.every_steps", 0)),
        keep_last(static_cast<int>(c.get_int("checkpoint.keep_last", 0, 1 << 20))),
        log_every_s(c.get_double("logging.every_seconds", 0.1, 3600)),
        runs_root(c.get_string("run.dir")) {}
};

// Rethrows the first exception a worker thread stored.
class FirstError {
 public:
  void capture() {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
  bool set() {
    std::lock_guard lock(mutex_);
    return error_ != nullptr;
  }
  void rethrow() {
    std::lock_guard lock(mutex_);
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace

TrainingSummary train(const Config& config, Logger& log) {
  // everything that can be wrong with the input fails here, before any thread starts
  const RunOptions opt(config);
  EnvFactory envs(config);
  const EnvSpec& spec = envs.spec();
  const ActorCriticOptions model_options = actor_critic_options(config, spec);
  const PpoOptions ppo = PpoOptions::from_config(config);
  const std::string experiment = config.get_string("experiment");

  torch::manual_seed(opt.seed);
  set_intra_op_threads(opt.learner_threads);
  if (!set_blas_threads(opt.learner_threads)) {
    log.debug("BLAS thread count not adjustable; leaving the BLAS library's default");
  }
  PpoTrainer trainer(ActorCritic(model_options), ppo, opt.seed);

  RunDir run = RunDir::create(opt.runs_root, experiment, config);
  log.open_file(run.log_file());
  MetricsBus metrics;
  metrics.open_csv(run.metrics_file());
  log.info("run {} | env {} (obs {}, {} {}) | {} actors x {} envs | {} steps", run.path().string(),
           spec.name, spec.obs_dim, spec.is_discrete() ? spec.num_actions : spec.action_dim,
           spec.is_discrete() ? "discrete actions" : "continuous actions", opt.actors,
           opt.envs_per_actor, human_count(static_cast<double>(opt.total_steps)));

  // shared state between the control thread, actors and learner
  std::atomic<bool> stop{false};
  std::atomic<int64_t> env_steps{0}, episodes{0};
  BoundedQueue<TrajectoryBlock> queue(static_cast<std::size_t>(opt.queue_capacity));
  SnapshotStore<ParamSnapshot> snapshots;
  Learner learner(&trainer, RunningNormalizer(spec.obs_dim), /*version=*/0,
                  LearnerContext{&queue, &snapshots, &metrics, &stop, opt.learner_threads});
  learner.publish();

  const auto run_start = Clock::now();
  auto save_checkpoint = [&](int64_t step) {
    auto start = Clock::now();
    CheckpointWriter writer(run.checkpoints(), step);
    save_agent(&writer, trainer, learner.normalizer(), config);
    nlohmann::json meta;
    meta["config_hash"] = config.hash();
    meta["wall_time_s"] = std::chrono::duration<double>(Clock::now() - run_start).count();
    meta["counters"] = {{"env_steps", step},
                        {"learner_version", learner.version()},
                        {"episodes", episodes.load()}};
    auto path = writer.commit(meta);
    prune_checkpoints(run.checkpoints(), opt.keep_last);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    metrics.record("checkpoint/seconds", seconds);
    log.info("checkpoint {} ({:.2f} s)", path.string(), seconds);
    return path;
  };

  // checkpoints during training are taken on the learner thread between updates
  int64_t next_checkpoint = opt.checkpoint_every_steps > 0 ? opt.checkpoint_every_steps : -1;
  auto after_update = [&](int64_t) {
    int64_t steps = env_steps.load();
    if (next_checkpoint > 0 && steps >= next_checkpoint && steps < opt.total_steps) {
      save_checkpoint(steps);
      while (next_checkpoint <= steps) next_checkpoint += opt.checkpoint_every_steps;
    }
  };

  SignalWaiter signals;  // before starting threads, so they inherit the blocked mask
  FirstError worker_error;
  std::vector<std::thread> threads;
  std::thread learner_thread([&] {
    try {
      learner.run(after_update);
    } catch (...) {
      worker_error.capture();
      stop.store(true);
    }
  });
  std::vector<std::unique_ptr<Actor>> actors;
  ActorContext actor_context{&envs, &snapshots, &queue, &metrics, &env_steps, &episodes, &stop,
                             model_options};
  for (int i = 0; i < opt.actors; ++i) {
    actors.push_back(std::make_unique<Actor>(i, opt.envs_per_actor, opt.rollout_length, opt.seed,
                                             actor_context));
  }
  for (auto& actor : actors) {
    threads.emplace_back([&, a = actor.get()] {
      try {
        a->run();
      } catch (...) {
        worker_error.capture();
        stop.store(true);
      }
    });
  }

  // control loop: signals, progress, metrics
  TrainingSummary summary;
  summary.run_dir = run.path();
  const auto start = Clock::now();
  auto last_flush = start;
  int64_t last_steps = 0;
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  while (!stop.load()) {
    int sig = signals.wait(0.1);
    if (sig != 0) {
      log.info("{} received: stopping and writing a final checkpoint", sig == SIGINT ? "SIGINT"
                                                                                    : "SIGTERM");
      summary.interrupted = true;
      break;
    }
    int64_t steps = env_steps.load();
    bool done = steps >= opt.total_steps;
    double since_flush = std::chrono::duration<double>(Clock::now() - last_flush).count();
    if (since_flush >= opt.log_every_s || done) {
      double rate = static_cast<double>(steps - last_steps) / std::max(since_flush, 1e-9);
      metrics.record("rollout/steps_per_second", rate);
      metrics.record("rollout/episodes", static_cast<double>(episodes.load()));
      metrics.record("time/elapsed_s", elapsed());
      metrics.flush(steps, elapsed());
      Progress p;
      p.step = steps;
      p.total_steps = opt.total_steps;
      p.steps_per_second = static_cast<double>(steps) / std::max(elapsed(), 1e-9);
      p.mean_return = metrics.latest("rollout/return");
      p.policy_lag = metrics.latest("train/policy_lag");
      p.elapsed_s = elapsed();
      log.status(format_progress(p));
      last_flush = Clock::now();
      last_steps = steps;
    }
    if (done) break;
  }

  // shutdown: stop everyone, wake blocked threads, join
  stop.store(true);
  queue.close();
  for (auto& t : threads) t.join();
  learner_thread.join();
  worker_error.rethrow();

  summary.env_steps = env_steps.load();
  summary.updates = learner.version();
  summary.wall_seconds = elapsed();
  {
    std::lock_guard lock(learner.state_mutex());
    summary.final_checkpoint = save_checkpoint(summary.env_steps);
  }
  metrics.flush(summary.env_steps, summary.wall_seconds);
  log.info("done: {} steps, {} updates in {} ({} steps/s), dropped {} stale blocks",
           human_count(static_cast<double>(summary.env_steps)), summary.updates,
           human_duration(summary.wall_seconds),
           human_count(static_cast<double>(summary.env_steps) / summary.wall_seconds),
           learner.dropped_blocks());
  log.info("final checkpoint: {}", summary.final_checkpoint.string());
  return summary;
}

}  // namespace sinew
