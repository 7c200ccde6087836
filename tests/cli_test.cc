// Integration tests: the `sinew` binary run the way a user runs it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_process.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::run_process;

ProcessResult sinew_cmd(std::vector<std::string> args, double timeout_s = 120,
                        std::optional<double> signal_after_s = std::nullopt) {
  args.insert(args.begin(), SINEW_BINARY);
  return run_process(args, timeout_s, "", signal_after_s);
}

// A fresh folder for one test's runs.
fs::path test_dir() { return testing::fresh_test_dir("sinew_cli_"); }

int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// The newest run folder under <root>/<experiment>/.
fs::path only_run(const fs::path& root, const std::string& experiment) {
  std::vector<fs::path> runs;
  for (const auto& e : fs::directory_iterator(root / experiment)) runs.push_back(e.path());
  EXPECT_EQ(runs.size(), 1u);
  return runs.empty() ? fs::path() : runs.front();
}

TEST(Cli, EveryVerbExplainsItself) {
  ProcessResult top = sinew_cmd({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* verb : {"train", "resume", "eval", "play", "config", "envs", "bench", "ctl"}) {
    EXPECT_NE(top.out.find(verb), std::string::npos) << verb;
    ProcessResult r = sinew_cmd({verb, "--help"});
    EXPECT_EQ(r.exit_code, 0) << verb;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << verb;
  }
  EXPECT_NE(sinew_cmd({"eval", "--help"}).out.find("--episodes"), std::string::npos);
}

TEST(Cli, UnknownVerbOrOptionIsBadInput) {
  EXPECT_EQ(sinew_cmd({"trian"}).exit_code, 2);
  EXPECT_EQ(sinew_cmd({"eval", "x", "--episodes", "zero"}).exit_code, 2);
  EXPECT_EQ(sinew_cmd({}).exit_code, 2);
}

TEST(Cli, ConfigTypoExitsTwoWithOneLineNamingTheKey) {
  ProcessResult r = sinew_cmd({"train", "trainer.totl_steps=100"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("'trainer.totl_steps'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'trainer.total_steps'"), std::string::npos) << r.err;
}

TEST(Cli, BadValuesExitTwoNamingTheKey) {
  struct Case {
    std::string override_text, key;
  };
  for (const Case& c :
       {Case{"runtime.actors=0", "runtime.actors"},
        Case{"trainer.total_steps=many", "trainer.total_steps"},
        Case{"model.activation=sigmoid", "model.activation"}, Case{"algo.gamma=1.5", "algo.gamma"},
        Case{"env=cartpole", "env"}, Case{"env.model=missing.xml", "missing.xml"},
        Case{"runtime.transport=redis", "runtime.transport"},
        Case{"runtime.pause_envs_after_s=-1", "runtime.pause_envs_after_s"}}) {
    ProcessResult r = sinew_cmd({"train", c.override_text, "run.dir=" + test_dir().string()});
    EXPECT_EQ(r.exit_code, 2) << c.override_text << ": " << r.err;
    EXPECT_NE(r.err.find(c.key), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
  }
}

TEST(Cli, ConfigPrintsTheResolvedTreeWithOverrides) {
  ProcessResult r = sinew_cmd({"config", "trainer.total_steps=2e5", "runtime.actors=2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("total_steps: 2e5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("actors: 2"), std::string::npos);
  EXPECT_NE(r.out.find("experiment: pendulum_ppo"), std::string::npos);
}

TEST(Cli, EnvsListsEnvironmentsAndExperiments) {
  ProcessResult r = sinew_cmd({"envs"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("pendulum "), std::string::npos);
  EXPECT_NE(r.out.find("pendulum_ppo"), std::string::npos);
}

TEST(Cli, BenchPrintsEnvAndRawRatesAsJson) {
  ProcessResult r = sinew_cmd({"bench", "env=pendulum", "--seconds", "0.2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["env_steps_per_second"].get<double>(), 0);
  EXPECT_GT(j["raw_steps_per_second"].get<double>(), 0);
  EXPECT_GT(j["ratio"].get<double>(), 0);
}

TEST(Cli, PlayRecordsAGaitEpisodeAsAnOpenSimMotionFile) {
  fs::path out = test_dir() / "walk.sto";
  ProcessResult r = sinew_cmd({"play", "none", "env=gait", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = testing::read_file(out);
  EXPECT_NE(text.find("inDegrees=yes\n"), std::string::npos);
  EXPECT_NE(text.find("endheader\ntime\tpelvis_tx\tpelvis_ty\tpelvis_tilt\thip_flexion_r"),
            std::string::npos);
  for (const char* column : {"knee_angle_l", "soleus_r.activation", "grf_r", "grf_l"}) {
    EXPECT_NE(text.find(column), std::string::npos) << column;
  }
  ProcessResult wrong = sinew_cmd({"play", "none", "env=gait", "--out", "walk.txt"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find(".sto"), std::string::npos);
  EXPECT_NE(wrong.err.find(".html"), std::string::npos);
}

// The gait viewer's data: the skeleton in the sagittal plane, per-frame points, contact forces
// that carry the body's weight, channels, and the gait section with the normative bands.
TEST(Cli, PlayWritesTheGaitViewerAndItsEpisodeData) {
  fs::path dir = test_dir();
  ProcessResult r = sinew_cmd({"play", "none", "env=gait", "--out", (dir / "walk.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto trace = nlohmann::json::parse(testing::read_file(dir / "walk.json"));
  EXPECT_EQ(trace["format"], "sinew-trace-1");
  EXPECT_EQ(trace["env"], "gait");
  const auto& skeleton = trace["skeleton"];
  EXPECT_GE(skeleton["segments"].size(), 8u);
  const std::size_t points = skeleton["points"].size();
  ASSERT_GT(trace["frames"].size(), 2u);
  EXPECT_EQ(trace["frames"][0].size(), 2 * points);
  EXPECT_EQ(trace["frames"].size(), trace["channels"]["values"].size());
  EXPECT_EQ(trace["frames"].size(), trace["contacts"].size());
  // the contact arrows carry what the env reports as the feet's vertical loads, every frame
  const auto& labels = trace["channels"]["labels"];
  const auto grf_r = std::find(labels.begin(), labels.end(), "grf_r") - labels.begin();
  const auto grf_l = std::find(labels.begin(), labels.end(), "grf_l") - labels.begin();
  double total_load = 0;
  for (std::size_t k = 0; k < trace["frames"].size(); ++k) {
    double vertical = 0;
    const auto& contacts = trace["contacts"][k];
    for (std::size_t c = 3; c < contacts.size(); c += 4) vertical += contacts[c].get<double>();
    const auto& row = trace["channels"]["values"][k];
    const double load = row[grf_r].get<double>() + row[grf_l].get<double>();
    EXPECT_NEAR(vertical, load, 0.02 * load + 1.0) << "frame " << k;
    total_load += load;
  }
  EXPECT_GT(total_load, 0);
  for (const char* joint : {"hip", "knee", "ankle"}) {
    EXPECT_EQ(trace["gait"]["normative"][joint]["mean"].size(), 101u) << joint;
    EXPECT_EQ(trace["gait"]["normative"][joint]["min"].size(), 101u) << joint;
  }

  ProcessResult html =
      sinew_cmd({"play", "none", "env=gait", "--out", (dir / "walk.html").string()});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  std::string page = testing::read_file(dir / "walk.html");
  EXPECT_NE(page.find("id=\"sinew-trace\""), std::string::npos);
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);  // nothing from the network
  EXPECT_EQ(page.find("href=\"http"), std::string::npos);
}

// A body chosen without an experiment gets its own defaults, not the default pendulum
// experiment's, and the run folder is named after what ran.
TEST(Cli, AChosenEnvGetsItsOwnDefaultsAndNamesTheRun) {
  fs::path root = test_dir();
  ProcessResult r =
      sinew_cmd({"train", "env=mjcf", "trainer.total_steps=2048", "run.dir=" + root.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::is_directory(root / "mjcf_ppo")) << r.err;
  EXPECT_FALSE(fs::exists(root / "pendulum_ppo"));
  ProcessResult origins = sinew_cmd({"config", "env=mjcf", "trainer.seed=4", "--origins"});
  ASSERT_EQ(origins.exit_code, 0) << origins.err;
  EXPECT_NE(origins.out.find("algo.gamma = 0.99    # algo=ppo ("), std::string::npos)
      << origins.out;
  EXPECT_NE(origins.out.find("trainer.seed = 4    # command line"), std::string::npos);
  EXPECT_NE(origins.out.find("experiment = mjcf_ppo"), std::string::npos);
}

TEST(Cli, GaitAndHumanoidBenchmarksReportTheirRatio) {
  for (const char* env : {"env=gait", "env=mjcf"}) {
    ProcessResult r = sinew_cmd({"bench", env, "--seconds", "0.2", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["ratio"].get<double>(), 0) << env;
    EXPECT_GT(j["realtime_factor"].get<double>(), 0) << env;
  }
}

TEST(Cli, BrokenMotionFileForMimicNamesFileAndLine) {
  fs::path bad = test_dir() / "bad.sto";
  std::ofstream(bad) << "bad\nendheader\ntime\tknee_angle_r\n0\t1\n0.1\n";
  ProcessResult r =
      sinew_cmd({"bench", "env=gait", "--seconds", "0.1", "+env.reward.mimic.measure=mimic",
                 "+env.reward.mimic.weight=-1", "+env.reward.mimic.file=" + bad.string(),
                 "+env.reward.mimic.activation_weight=0", "+env.reward.mimic.average_limit=0",
                 "+env.reward.mimic.peak_limit=0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.sto:5:"), std::string::npos) << r.err;
}

TEST(Cli, CtlIgnoresControlFilesOfRunsThatAreGone) {
  fs::path dir = test_dir();
  fs::create_directories(dir / "runs" / "x" / "killed");
  std::ofstream(dir / "runs" / "x" / "killed" / "control.json")
      << R"({"url": "http://127.0.0.1:1", "pid": 999999})";
  ProcessResult r = run_process({SINEW_BINARY, "ctl", "status"}, 60, dir.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no running training found"), std::string::npos) << r.err;
}

TEST(Cli, EvalOnSomethingThatIsNotACheckpointIsBadInput) {
  fs::path dir = test_dir();
  ProcessResult r = sinew_cmd({"eval", dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir.string()), std::string::npos) << r.err;
}

// The foundation's promise: PPO learns to swing up and balance the pendulum, and the run
// folder has what DESIGN.md says. Fixed seed, generous budget.
// Synchronous acting: with asynchronous acting the data each update sees depends on thread
// timing, and seed 1 ended at 0.35-0.63 upright in about 1 of 5 runs (measured 2026-12-01, the
// same before and after the transport seams); synchronous runs of it passed 6 of 6. The other
// learning tests keep the asynchronous default.
TEST(CliTraining, PpoLearnsToBalanceThePendulum) {
  fs::path root = test_dir();
  ProcessResult train =
      sinew_cmd({"train", "experiment=pendulum_ppo", "trainer.seed=1", "trainer.total_steps=4e5",
                 "runtime.synchronous=true", "run.dir=" + root.string()},
                /*timeout_s=*/900);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  fs::path run = only_run(root, "pendulum_ppo");
  EXPECT_TRUE(fs::is_regular_file(run / "config.yaml"));
  EXPECT_TRUE(fs::is_regular_file(run / "train.log"));
  std::string metrics = testing::read_file(run / "metrics.csv");
  EXPECT_EQ(metrics.rfind("step,wall_time_s,name,value\n", 0), 0u);
  for (const char* name : {"rollout/return", "rollout/length", "rollout/steps_per_second",
                           "train/policy_lag", "train/loss/policy", "train/loss/value"}) {
    EXPECT_NE(metrics.find(std::string(",") + name + ","), std::string::npos) << name;
  }

  ProcessResult eval = sinew_cmd({"eval", run.string(), "--episodes", "10", "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  auto j = nlohmann::json::parse(eval.out);
  EXPECT_EQ(j["episodes"], 10);
  for (const char* key : {"return_mean", "return_std", "length_mean", "upright_fraction"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_GE(j["upright_fraction"].get<double>(), 0.8) << eval.out;
  EXPECT_DOUBLE_EQ(j["length_mean"].get<double>(), 200.0);
}

TEST(CliTraining, CategoricalPpoLearnsTheDiscretePendulum) {
  fs::path root = test_dir();
  ProcessResult train =
      sinew_cmd({"train", "experiment=pendulum_discrete_ppo", "trainer.seed=2", "runtime.actors=2",
                 "runtime.envs_per_actor=8", "run.dir=" + root.string()},
                /*timeout_s=*/900);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  ProcessResult eval =
      sinew_cmd({"eval", only_run(root, "pendulum_discrete_ppo").string(), "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_GE(nlohmann::json::parse(eval.out)["upright_fraction"].get<double>(), 0.8) << eval.out;
}

// MPO (the off-policy learner of DEP-RL) learns the pendulum from replay. Fixed seed; it is
// upright by about 17k steps, the budget is 30k.
TEST(CliTraining, MpoLearnsToBalanceThePendulum) {
  fs::path root = test_dir();
  ProcessResult train = sinew_cmd({"train", "experiment=pendulum_mpo", "trainer.seed=1",
                                   "trainer.total_steps=30000", "run.dir=" + root.string()},
                                  /*timeout_s=*/900);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  fs::path run = only_run(root, "pendulum_mpo");
  std::string metrics = testing::read_file(run / "metrics.csv");
  for (const char* name : {"train/loss/critic", "train/temperature", "train/kl_mean",
                           "train/replay_size", "train/gradient_steps"}) {
    EXPECT_NE(metrics.find(std::string(",") + name + ","), std::string::npos) << name;
  }
  ProcessResult eval = sinew_cmd({"eval", run.string(), "--episodes", "10", "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_GE(nlohmann::json::parse(eval.out)["upright_fraction"].get<double>(), 0.8) << eval.out;
}

TEST(Cli, DepOnAnEnvWithoutMusclesIsBadInput) {
  ProcessResult r = sinew_cmd({"train", "experiment=pendulum_mpo", "algo.dep.enabled=true",
                               "run.dir=" + test_dir().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("algo.dep.enabled"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("muscle"), std::string::npos) << r.err;
  ProcessResult discrete = sinew_cmd(
      {"train", "experiment=pendulum_mpo", "env.action_bins=5", "run.dir=" + test_dir().string()});
  EXPECT_EQ(discrete.exit_code, 2) << discrete.err;
  EXPECT_NE(discrete.err.find("algo.name"), std::string::npos) << discrete.err;
}

TEST(CliTraining, CtrlCStopsTheRunWithAFinalVerifiedCheckpoint) {
  fs::path root = test_dir();
  ProcessResult r = sinew_cmd(
      {"train", "trainer.total_steps=1e9", "checkpoint.every_steps=0", "run.dir=" + root.string()},
      /*timeout_s=*/120, /*signal_after_s=*/4.0);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.err.find("SIGINT"), std::string::npos) << r.err;
  fs::path run = only_run(root, "pendulum_ppo");
  std::vector<fs::path> checkpoints;
  for (const auto& e : fs::directory_iterator(run / "checkpoints")) checkpoints.push_back(e.path());
  ASSERT_EQ(checkpoints.size(), 1u);
  ProcessResult eval =
      sinew_cmd({"eval", checkpoints.front().string(), "--episodes", "1", "--json"});
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_GT(nlohmann::json::parse(eval.out)["step"].get<int64_t>(), 0);
}

// `timeout -s INT` signals the command and then its whole process group: the copy that arrives
// a moment later is the same request, not a second Ctrl-C, and the final checkpoint is written.
TEST(CliTraining, RepeatedSignalFromTimeoutStillWritesTheFinalCheckpoint) {
  fs::path root = test_dir();
  ProcessResult r = run_process(
      {"/usr/bin/timeout", "-s", "INT", "4", SINEW_BINARY, "train", "trainer.total_steps=1e9",
       "checkpoint.every_steps=0", "run.dir=" + root.string()},
      /*timeout_s=*/120);
  EXPECT_NE(r.err.find("SIGINT"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("second signal"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(interrupted"), std::string::npos) << r.err;
  EXPECT_EQ(r.exit_code, 124) << r.err;  // timeout's own status for "the time ran out"
}

TEST(CliTraining, CorruptCheckpointIsReportedByEval) {
  fs::path root = test_dir();
  ProcessResult train =
      sinew_cmd({"train", "trainer.total_steps=5000", "run.dir=" + root.string()});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  fs::path run = only_run(root, "pendulum_ppo");
  fs::path checkpoint;
  for (const auto& e : fs::directory_iterator(run / "checkpoints")) checkpoint = e.path();
  {
    std::fstream f(checkpoint / "models/actor_critic.pt",
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    char c = 0;
    f.seekg(100);
    f.get(c);
    f.seekp(100);
    f.put(static_cast<char>(c ^ 0x40));
  }
  ProcessResult eval = sinew_cmd({"eval", checkpoint.string(), "--json"});
  EXPECT_EQ(eval.exit_code, 2);
  EXPECT_NE(eval.err.find("SHA-256"), std::string::npos) << eval.err;
}

}  // namespace
}  // namespace sinew
