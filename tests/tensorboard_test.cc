#include <gtest/gtest.h>

#include <filesystem>

#include "scratch_path.h"
#include "sinew/core/crc32c.h"
#include "sinew/core/tensorboard_writer.h"
#include "tfevents_reader.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

TEST(Crc32c, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32c("", 0), 0u);
}

TEST(TensorBoardWriter, WritesScalarsTextHparamsAndSessionStarts) {
  fs::path dir = testing::scratch_path("sinew_tb_test", "");
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path file;
  {
    TensorBoardWriter writer(dir);
    file = writer.path();
    writer.add_text("config", "```yaml\na: 1\n```", 0);
    writer.add_hparams(
        {{"algo.lr", 3e-4}, {"algo.normalize_advantages", true}, {"env.name", std::string("gait")}},
        {"rollout/return"});
    writer.add_scalars(100, {{"rollout/return", -12.5}, {"train/policy_lag", 0.75}});
    writer.add_scalars(200, {{"rollout/return", -3.0}});
    writer.add_session_start(150);
  }
  EXPECT_EQ(file.filename().string().rfind("events.out.tfevents.", 0), 0u);
  auto events = testing::read_events(file);
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].file_version, "brain.Event:2");
  EXPECT_GT(events[0].wall_time, 1.7e9);  // a real Unix time
  // config as text
  ASSERT_EQ(events[1].values.size(), 1u);
  EXPECT_EQ(events[1].values[0].tag, "config");
  EXPECT_EQ(events[1].values[0].plugin_name, "text");
  ASSERT_EQ(events[1].values[0].strings.size(), 1u);
  EXPECT_NE(events[1].values[0].strings[0].find("a: 1"), std::string::npos);
  // hyperparameters
  EXPECT_EQ(events[2].values[0].tag, "_hparams_/experiment");
  EXPECT_EQ(events[2].values[0].plugin_name, "hparams");
  EXPECT_EQ(events[3].values[0].tag, "_hparams_/session_start_info");
  // scalars with their steps
  EXPECT_EQ(events[4].step, 100);
  ASSERT_EQ(events[4].values.size(), 2u);
  EXPECT_EQ(events[4].values[0].tag, "rollout/return");
  EXPECT_TRUE(events[4].values[0].has_simple_value);
  EXPECT_FLOAT_EQ(events[4].values[0].simple_value, -12.5f);
  EXPECT_FLOAT_EQ(events[4].values[1].simple_value, 0.75f);
  EXPECT_EQ(events[5].step, 200);
  // session restart
  EXPECT_EQ(events[6].step, 150);
  EXPECT_EQ(events[6].session_status, 1);
  fs::remove_all(dir);
}

TEST(TensorBoardWriter, ReaderRejectsACorruptRecord) {
  fs::path dir = testing::scratch_path("sinew_tb_corrupt", "");
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path file;
  {
    TensorBoardWriter writer(dir);
    file = writer.path();
    writer.add_scalars(1, {{"x", 1.0}});
  }
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-6, std::ios::end);
    f.put('\x7f');
  }
  EXPECT_THROW(testing::read_events(file), std::runtime_error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sinew
