#include "sinew/runtime/periodic_tasks.h"

#include <stdexcept>

namespace sinew {

void PeriodicTasks::add(Task task) {
  if (!task.due || !task.run) {
    throw std::invalid_argument("periodic task '" + task.name + "' needs due and run");
  }
  tasks_.push_back(std::move(task));
}

void PeriodicTasks::run_due() {
  for (auto& task : tasks_) {
    if (task.due()) task.run();
  }
}

std::vector<std::string> PeriodicTasks::names() const {
  std::vector<std::string> out;
  for (const auto& task : tasks_) out.push_back(task.name);
  return out;
}

}  // namespace sinew
