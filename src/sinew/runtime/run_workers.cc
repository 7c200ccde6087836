#include "sinew/runtime/run_workers.h"

#include <chrono>
#include <cstdlib>

#include "sinew/runtime/local_actor_link.h"

namespace sinew {
using Clock = std::chrono::steady_clock;

RunWorkers::RunWorkers(const RunOptions& opt, std::unique_ptr<Transport> transport,
                       std::vector<LearnerModel> models, RunningNormalizer normalizer,
                       ActorContext actor_context, RunCounters& counters, MetricsBus& metrics)
    : control_(opt.actors), transport_(std::move(transport)) {
  if (opt.synchronous) gate_ = std::make_unique<SyncGate>(opt.lead_steps);
  learner_ = std::make_unique<Learner>(std::move(models), std::move(normalizer),
                                       LearnerContext{&transport_->blocks_in(), &metrics, &control_,
                                                      opt.learner_threads, gate_.get()});
  actor_context.blocks = &transport_->blocks_out();
  for (int i = 0; i < opt.actors; ++i) {
    actors_.push_back(std::make_unique<Actor>(
        i, opt.envs_per_actor, opt.rollout_length, opt.seed, actor_context,
        std::make_unique<LocalActorLink>(i, control_, counters, opt.total_steps, gate_.get())));
  }
}

RunWorkers::~RunWorkers() {
  stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void RunWorkers::start() {
  // The first exception a worker throws ends the run. A failed learner stops everything at once;
  // after a failed actor the supervisor first saves what is consistent (the learner and the
  // other actors, parked) and then reports the error.
  auto guard = [this](int worker, auto body) {
    return [this, worker, body] {
      try {
        body();
      } catch (...) {
        std::lock_guard lock(error_mutex_);
        if (!error_) {
          error_ = std::current_exception();
          failed_worker_ = worker;
        }
        if (worker == control_.learner_index()) control_.stop();
      }
    };
  };
  threads_.emplace_back(guard(control_.learner_index(), [this] {
    learner_->run();
    control_.beat(control_.learner_index(), Activity::kFinished);
  }));
  for (auto& actor : actors_) {
    threads_.emplace_back(guard(actor->id(), [this, a = actor.get()] {
      a->run();
      control_.beat(a->id(), Activity::kFinished);
    }));
  }
}

bool RunWorkers::pause(double timeout_s, const std::function<bool()>& give_up) {
  control_.request_pause();
  // wait in slices so that a stop sent meanwhile takes effect at once
  auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
  while (Clock::now() < deadline) {
    if (control_.wait_until_parked(std::chrono::milliseconds(100))) return true;
    if (control_.stopping() || (give_up && give_up())) return false;
  }
  return false;
}

std::optional<std::vector<bool>> RunWorkers::park_what_responds() {
  control_.request_pause(/*learner_only=*/true);
  if (!control_.wait_until_learner_parked(std::chrono::seconds(10))) return std::nullopt;
  control_.wait_until_parked(std::chrono::seconds(2));
  return control_.parked_actors();
}

void RunWorkers::release() { control_.release(); }

void RunWorkers::stop() {
  control_.stop();
  transport_->close();
}

void RunWorkers::join(Logger& log) {
  stop();
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    bool all_done = true;
    for (const auto& w : control_.workers()) all_done &= w.activity == Activity::kFinished;
    if (all_done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (const auto& w : control_.workers()) {
    if (w.activity != Activity::kFinished) {
      log.error("{} did not finish ({}); exiting without joining it", w.name,
                activity_name(w.activity));
      std::_Exit(1);
    }
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

std::exception_ptr RunWorkers::error() const {
  std::lock_guard lock(error_mutex_);
  return error_;
}

bool RunWorkers::learner_failed() const {
  std::lock_guard lock(error_mutex_);
  return error_ && failed_worker_ == control_.learner_index();
}

int RunWorkers::failed_worker() const {
  std::lock_guard lock(error_mutex_);
  return failed_worker_;
}

}  // namespace sinew
