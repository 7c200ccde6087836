// Integration tests of what a hostile or careless user does to `sinew`: closing the terminal,
// editing checkpoints, leaking tokens, feeding damaged motion files and impossible sizes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "run_fixtures.h"
#include "sinew/core/checkpoint.h"
#include "test_process.h"

namespace sinew {
namespace {
using testing::ProcessResult;

// Every regular file under `dir` whose content contains `needle`.
std::vector<std::string> files_containing(const fs::path& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    if (testing::read_file(entry.path()).find(needle) != std::string::npos) {
      found.push_back(fs::relative(entry.path(), dir).string());
    }
  }
  return found;
}

// A short finished run of 30720 steps with a few checkpoints on the way (every 10240 steps, as
// the control loop sees them) and one at the end.
fs::path short_run(const fs::path& root, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"train", "trainer.total_steps=30720",
                                   "checkpoint.every_steps=10240", "checkpoint.keep_last=0",
                                   "run.dir=" + root.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  ProcessResult r = sinew_cmd(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const auto& e : fs::directory_iterator(root / "pendulum_ppo")) return e.path();
  return {};
}

TEST(Hardening, SighupStopsTheRunWithAFinalCheckpoint) {
  fs::path root = test_dir();
  Background train({"train", "trainer.total_steps=1e9", "checkpoint.every_steps=0",
                    "checkpoint.every_minutes=0", "run.dir=" + root.string()},
                   root);
  fs::path run = wait_for_run(root);
  ASSERT_FALSE(run.empty()) << train.err();
  wait_for_status(run, [](const auto& s) { return s.value("step", 0) > 0; });
  train.signal(SIGHUP);  // the terminal was closed
  EXPECT_EQ(train.wait(), 0) << train.err();
  EXPECT_NE(train.err().find("SIGHUP received"), std::string::npos) << train.err();
  EXPECT_FALSE(fs::exists(run / "control.json"));
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(read_manifest(all.back(), true)["reason"], "interrupted");
}

TEST(Hardening, TheTokenIsInNoFileOfTheRunAndMustBeGivenAgainToResume) {
  fs::path root = test_dir();
  fs::path run = short_run(root, {"serve.token=s3cret-token"});
  ASSERT_FALSE(run.empty());
  EXPECT_EQ(files_containing(run, "s3cret-token"), std::vector<std::string>{});
  EXPECT_FALSE(files_containing(run / "checkpoints", "<redacted>").empty());
  ProcessResult config = sinew_cmd({"config", "serve.token=s3cret-token"});
  EXPECT_EQ(config.out.find("s3cret-token"), std::string::npos);
  // resume: the token is not on disk, so it must be given again
  ProcessResult again = sinew_cmd({"resume", run.string(), "trainer.total_steps=40960"});
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("serve.token"), std::string::npos) << again.err;
  // given again through the environment (kept out of `ps`)
  setenv("SINEW_TOKEN", "s3cret-token", 1);
  ProcessResult given = sinew_cmd({"resume", run.string(), "trainer.total_steps=40960"});
  unsetenv("SINEW_TOKEN");
  EXPECT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(files_containing(run, "s3cret-token"), std::vector<std::string>{});
}

TEST(Hardening, EditedManifestsAreNotBelievedAndEvalFallsBack) {
  fs::path root = test_dir();
  fs::path run = short_run(root);
  ASSERT_FALSE(run.empty());
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_GE(all.size(), 2u);
  const int64_t previous = read_manifest(all[all.size() - 2], true)["step"];
  // inflate the newest checkpoint's counters
  std::string text = testing::read_file(all.back() / "manifest.json");
  const std::string from = "\"env_steps\": 30720";
  ASSERT_NE(text.find(from), std::string::npos) << text;
  text.replace(text.find(from), from.size(), "\"env_steps\": 999999");
  std::ofstream(all.back() / "manifest.json") << text;

  ProcessResult direct = sinew_cmd({"eval", all.back().string(), "--episodes", "1"});
  EXPECT_EQ(direct.exit_code, 2);
  EXPECT_NE(direct.err.find("manifest.sha256"), std::string::npos) << direct.err;
  // the run folder: the previous checkpoint is used, and the skipped one named
  ProcessResult fallback = sinew_cmd({"eval", run.string(), "--episodes", "1", "--json"});
  ASSERT_EQ(fallback.exit_code, 0) << fallback.err;
  EXPECT_NE(fallback.err.find("skipping step_30720"), std::string::npos) << fallback.err;
  EXPECT_EQ(nlohmann::json::parse(fallback.out)["step"], previous);
  // resume does the same
  ProcessResult resumed = sinew_cmd({"resume", run.string(), "trainer.total_steps=40960"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("skipping step_30720"), std::string::npos) << resumed.err;
}

TEST(Hardening, DamagedMotionFilesAreRefusedWithFileAndLine) {
  fs::path root = test_dir();
  fs::path motion = root / "nan.sto";
  std::ofstream(motion) << "nan\nversion=1\nnRows=2\nnColumns=2\ninDegrees=yes\nendheader\n"
                           "time\tknee_angle_r\n0\t10\n0.01\tnan\n";
  ProcessResult r = sinew_cmd({"play", "none", "env=gait", "env.reference=" + motion.string(),
                               "env.init_pose=motion", "--out", (root / "x.sto").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("nan.sto:9: value 'nan'"), std::string::npos) << r.err;
}

TEST(Hardening, ImpossibleSizesAreRefusedAndTheRunStopsAtWholeBlocks) {
  fs::path root = test_dir();
  ProcessResult huge = sinew_cmd({"train", "runtime.rollout_length=1048576",
                                  "trainer.total_steps=1024", "run.dir=" + root.string()});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_NE(huge.err.find("runtime.rollout_length"), std::string::npos) << huge.err;
  EXPECT_FALSE(fs::exists(root / "pendulum_ppo"));
  // 3000 steps in blocks of 16 x 64 = 1024, with 2 actors: ends at 3072, said at the start
  ProcessResult r = sinew_cmd(
      {"train", "trainer.total_steps=3000", "runtime.actors=2", "run.dir=" + root.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("ends at 3072 steps"), std::string::npos) << r.err;
  fs::path run;
  for (const auto& e : fs::directory_iterator(root / "pendulum_ppo")) run = e.path();
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(read_manifest(all.back(), true)["counters"]["env_steps"], 3072);
}

// A full disk: checkpoints fail with the system's reason in train.log, training goes on, no
// half-written checkpoint stays, and the exit code says the final one failed. Needs a small
// tmpfs (root with CAP_SYS_ADMIN); skipped where it cannot be mounted.
TEST(Hardening, AFullDiskIsReportedAndLeavesNoPartialCheckpoint) {
  fs::path root = test_dir();
  fs::path disk = root / "disk";
  fs::create_directories(disk);
  const std::string mount = "mount -t tmpfs -o size=1M tmpfs '" + disk.string() + "' 2>/dev/null";
  if (std::system(mount.c_str()) != 0) GTEST_SKIP() << "cannot mount a tmpfs here";
  ProcessResult r = sinew_cmd({"train", "experiment=gait_track_ppo", "trainer.total_steps=40960",
                               "checkpoint.every_steps=20480", "run.dir=" + disk.string()},
                              300);
  std::string log;
  for (const auto& e : fs::recursive_directory_iterator(disk)) {
    if (e.path().filename() == "train.log") log = testing::read_file(e.path());
    EXPECT_EQ(e.path().filename().string().rfind(".tmp_", 0), std::string::npos) << e.path();
  }
  std::system(("umount '" + disk.string() + "'").c_str());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(log.find("No space left on device"), std::string::npos) << log;
  EXPECT_NE(log.find("the final checkpoint failed"), std::string::npos) << log;
}

TEST(Hardening, UserMistakesExitWithCode2AndOneLine) {
  fs::path root = test_dir();
  std::ofstream(root / "outside.yaml") << "name: pendulum\n";
  const std::vector<std::vector<std::string>> cases = {
      {"config", "+extra=[1, 2"},
      {"config", "env=../../../../" + (root / "outside").string()},
      {"config", "env=" + std::string(300, 'x')},
      {"train", "run.dir=/proc/sinew_test", "trainer.total_steps=2048"},
      {"train", "env=mjcf", "env.model=" + root.string(), "run.dir=" + root.string()},
      {"train", "env=mjcf", "env.model=/dev/null", "run.dir=" + root.string()},
  };
  for (const auto& args : cases) {
    ProcessResult r = sinew_cmd(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << args.back() << ": " << r.err;
    EXPECT_EQ(r.err.find("yaml-cpp"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("filesystem error"), std::string::npos) << r.err;
  }
  // a multi-line MuJoCo XML error becomes one line naming the file
  std::ofstream(root / "bad.xml") << "<mujoco><worldbody><bad\n";
  ProcessResult xml = sinew_cmd({"train", "env=mjcf", "env.model=" + (root / "bad.xml").string(),
                                 "run.dir=" + root.string()});
  EXPECT_EQ(xml.exit_code, 2);
  EXPECT_EQ(xml.err.find('\n'), xml.err.size() - 1) << xml.err;
  EXPECT_NE(xml.err.find("bad.xml"), std::string::npos) << xml.err;
}

}  // namespace
}  // namespace sinew
