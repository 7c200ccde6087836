// The control thread's periodic work as a list of registered tasks, each with the test that says
// it is due: the throughput figure, progress lines, evaluation episodes, checkpoints by steps and
// by time. The control loop itself only watches signals, commands, the watchdog and the end.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace sinew {

class PeriodicTasks {
 public:
  struct Task {
    std::string name;           // for logs, e.g. "checkpoint"
    std::function<bool()> due;  // true when the task should run now
    std::function<void()> run;  // does it and records when it ran
  };

  // Adds `task` after the ones already added; throws std::invalid_argument when it lacks a
  // function.
  void add(Task task);

  // Runs every task that is due, in the order they were added. Exceptions propagate.
  void run_due();

  std::vector<std::string> names() const;

 private:
  std::vector<Task> tasks_;
};

}  // namespace sinew
