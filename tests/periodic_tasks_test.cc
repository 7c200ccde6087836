// The control thread's periodic work: due tasks run in the order they were added, others not.
#include "sinew/runtime/periodic_tasks.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace sinew {
namespace {

TEST(PeriodicTasks, RunsTheDueTasksInTheOrderTheyWereAdded) {
  PeriodicTasks tasks;
  std::vector<std::string> ran;
  bool checkpoint_due = false;
  tasks.add({"progress", [] { return true; }, [&] { ran.push_back("progress"); }});
  tasks.add({"checkpoint", [&] { return checkpoint_due; }, [&] { ran.push_back("checkpoint"); }});
  tasks.add({"episode", [] { return true; }, [&] { ran.push_back("episode"); }});
  tasks.run_due();
  EXPECT_EQ(ran, (std::vector<std::string>{"progress", "episode"}));
  ran.clear();
  checkpoint_due = true;
  tasks.run_due();
  EXPECT_EQ(ran, (std::vector<std::string>{"progress", "checkpoint", "episode"}));
  EXPECT_EQ(tasks.names(), (std::vector<std::string>{"progress", "checkpoint", "episode"}));
}

TEST(PeriodicTasks, ATaskWithoutItsFunctionsIsRefused) {
  PeriodicTasks tasks;
  EXPECT_THROW(tasks.add({"nothing", nullptr, [] {}}), std::invalid_argument);
  EXPECT_THROW(tasks.add({"nothing", [] { return true; }, nullptr}), std::invalid_argument);
}

}  // namespace
}  // namespace sinew
