#include "sinew/core/metrics_bus.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "scratch_path.h"
#include "sinew/core/progress_line.h"

namespace sinew {
namespace {

TEST(MetricsBus, FlushWritesTheMeanOfEachIntervalOnce) {
  auto path = testing::scratch_path("sinew_metrics_test", ".csv");
  std::filesystem::remove(path);
  {
    MetricsBus bus;
    bus.open_csv(path);
    bus.record("rollout/return", 1.0);
    bus.record("rollout/return", 3.0);
    bus.record("train/policy_lag", 0.5);
    EXPECT_EQ(bus.flush(100, 1.0), 2u);
    EXPECT_DOUBLE_EQ(*bus.latest("rollout/return"), 2.0);
    EXPECT_EQ(bus.flush(200, 2.0), 0u);  // nothing new: no rows
    bus.record("rollout/return", 5.0);
    bus.flush(300, 3.0);
    EXPECT_DOUBLE_EQ(*bus.latest("rollout/return"), 5.0);
    EXPECT_FALSE(bus.latest("missing"));
  }
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "step,wall_time_s,name,value");
  EXPECT_EQ(lines[1], "100,1.000,rollout/return,2");
  EXPECT_EQ(lines[2], "100,1.000,train/policy_lag,0.5");
  EXPECT_EQ(lines[3], "300,3.000,rollout/return,5");
  std::filesystem::remove(path);
}

TEST(MetricsBus, NeverWritesAStepAndNameTwice) {
  auto path = testing::scratch_path("sinew_metrics_dup_test", ".csv");
  std::filesystem::remove(path);
  {
    MetricsBus bus;
    bus.open_csv(path);
    bus.record("a", 1.0);
    EXPECT_EQ(bus.flush(100, 1.0), 1u);
    bus.record("a", 3.0);  // no steps in between (paused): carried over
    bus.record("b", 5.0);  // new at this step: written
    EXPECT_EQ(bus.flush(100, 2.0), 1u);
    EXPECT_DOUBLE_EQ(*bus.latest("a"), 3.0);  // the console still sees it
    bus.record("a", 5.0);
    EXPECT_EQ(bus.flush(200, 3.0), 1u);  // mean of the carried 3 and the new 5
  }
  std::ifstream in(path);
  std::string line, text;
  while (std::getline(in, line)) text += line + "\n";
  EXPECT_EQ(text, "step,wall_time_s,name,value\n100,1.000,a,1\n100,2.000,b,5\n200,3.000,a,4\n");
  std::filesystem::remove(path);
}

TEST(MetricsBus, ManyThreadsRecordWithoutLosingValues) {
  MetricsBus bus;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&bus] {
      for (int i = 0; i < 10000; ++i) bus.record("x", 1.0);
    });
  }
  for (auto& t : threads) t.join();
  bus.flush(0, 0);
  EXPECT_DOUBLE_EQ(*bus.latest("x"), 1.0);
}

TEST(ProgressLine, ShowsStepsRateReturnAndEta) {
  Progress p;
  p.step = 120000;
  p.total_steps = 300000;
  p.steps_per_second = 20000;
  p.mean_return = -312.44;
  p.elapsed_s = 6;
  std::string line = format_progress(p);
  EXPECT_NE(line.find("step 120.0k/300.0k (40%)"), std::string::npos) << line;
  EXPECT_NE(line.find("20.0k steps/s"), std::string::npos) << line;
  EXPECT_NE(line.find("return -312.4"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 00:09"), std::string::npos) << line;
  EXPECT_EQ(human_duration(3723), "1:02:03");
  EXPECT_EQ(human_duration(-1), "--:--");
}

}  // namespace
}  // namespace sinew
