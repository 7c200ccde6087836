// Commands from the control API (pause, resume, checkpoint, stop), handed from the server's
// threads to the control thread, which carries them out between its other work and answers
// each. A stop is not queued: it is taken at once, so it never waits behind a pause or a
// checkpoint the control thread is busy with (those waits end on it).
//
// Threads: submit() and request_stop() from any thread; handle() on the control thread.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace sinew {

class RunCommands {
 public:
  using Reply = std::pair<int, nlohmann::json>;  // HTTP status and body

  // Queues `name` for the control thread and waits up to 5 minutes for its reply (503 after
  // that). Not for "stop": see request_stop().
  Reply submit(const std::string& name);

  // Takes a stop at once; true the first time, false when a stop was already requested.
  bool request_stop() { return !stop_requested_.exchange(true); }
  bool stop_requested() const { return stop_requested_.load(); }

  // Carries out the queued commands in order with `run`; an exception becomes a 500 reply.
  void handle(const std::function<Reply(const std::string&)>& run);

 private:
  struct Command {
    std::string name;
    std::promise<Reply> reply;
  };
  std::atomic<bool> stop_requested_{false};
  std::mutex mutex_;
  std::deque<std::shared_ptr<Command>> pending_;  // GUARDED_BY(mutex_)
};

}  // namespace sinew
