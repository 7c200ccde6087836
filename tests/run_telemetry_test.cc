#include "sinew/runtime/run_telemetry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "scratch_path.h"
#include "shipped_config.h"
#include "sinew/core/text_file.h"
#include "tfevents_reader.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

// The TensorBoard file in `dir` (one per open()), the newest if several.
fs::path event_file(const fs::path& dir) {
  fs::path newest;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("events.out.tfevents.", 0) == 0 && entry.path() > newest) newest = entry.path();
  }
  return newest;
}

Progress at_step(int64_t step, double elapsed_s) {
  Progress p;
  p.step = step;
  p.total_steps = 1000;
  p.steps_per_second = 50;
  p.elapsed_s = elapsed_s;
  return p;
}

TEST(RunTelemetry, ReportsGoToTheCsvTensorBoardAndTheBus) {
  const fs::path dir = testing::scratch_path("sinew_telemetry", "");
  fs::remove_all(dir);
  fs::create_directories(dir);
  Logger log(LogLevel::kError);
  const Config config = shipped_config({});
  const RunDir run_dir = RunDir::create(dir, "telemetry", config);
  {
    RunTelemetry telemetry(log);
    telemetry.open(run_dir, config, /*resumed_step=*/-1);
    telemetry.bus().record("rollout/return", -4.0);
    telemetry.report(at_step(100, 2.0), /*episodes=*/3, /*paused=*/false);
    ASSERT_TRUE(telemetry.bus().latest("rollout/episodes").has_value());
    EXPECT_EQ(*telemetry.bus().latest("rollout/episodes"), 3.0);
    EXPECT_EQ(*telemetry.bus().latest("time/elapsed_s"), 2.0);
    telemetry.close();
    // after close the bus still writes its CSV, but TensorBoard no longer gets rows
    telemetry.bus().record("rollout/return", -1.0);
    telemetry.report(at_step(200, 4.0), 5, false);
  }
  const std::string csv = read_text_file(run_dir.metrics_file());
  EXPECT_NE(csv.find("100,2.000,rollout/return,-4\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("200,4.000,rollout/return,-1\n"), std::string::npos) << csv;
  auto events = testing::read_events(event_file(run_dir.path()));
  // version, config text, two hparams events, then the one report's scalars
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[1].values[0].tag, "config");
  EXPECT_NE(events[1].values[0].strings[0].find("total_steps"), std::string::npos);
  EXPECT_EQ(events[4].step, 100);
  bool has_return = false;
  for (const auto& v : events[4].values) has_return |= v.tag == "rollout/return";
  EXPECT_TRUE(has_return);
  fs::remove_all(dir);
}

TEST(RunTelemetry, AResumedSessionKeepsTheHistoryAndMarksTheRestart) {
  const fs::path dir = testing::scratch_path("sinew_telemetry_resume", "");
  fs::remove_all(dir);
  fs::create_directories(dir);
  Logger log(LogLevel::kError);
  const Config config = shipped_config({});
  const RunDir run_dir = RunDir::create(dir, "telemetry", config);
  {
    RunTelemetry first(log);
    first.open(run_dir, config, -1);
    first.bus().record("rollout/return", -7.0);
    first.report(at_step(100, 2.0), 1, false);
  }
  RunTelemetry second(log);
  second.open(run_dir, config, /*resumed_step=*/100);
  ASSERT_FALSE(second.bus().history().empty());
  EXPECT_EQ(second.bus().history().front().step, 100);
  // (one process within one second writes both sessions to the same file, appending)
  int restarts = 0;
  for (const auto& event : testing::read_events(event_file(run_dir.path()))) {
    if (event.session_status < 0) continue;
    ++restarts;
    EXPECT_EQ(event.step, 100);
    EXPECT_EQ(event.session_status, 1);
  }
  EXPECT_EQ(restarts, 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sinew
