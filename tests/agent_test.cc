// An agent of several models, run the way a user runs it: two policies that each drive part of
// a body and learn together, a curiosity model trained beside a policy, and the config errors of
// agent.models.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "test_process.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::run_process;

ProcessResult sinew_cmd(std::vector<std::string> args, double timeout_s = 120) {
  args.insert(args.begin(), SINEW_BINARY);
  return run_process(args, timeout_s);
}

fs::path only_run(const fs::path& root, const std::string& experiment) {
  std::vector<fs::path> runs;
  for (const auto& e : fs::directory_iterator(root / experiment)) runs.push_back(e.path());
  EXPECT_EQ(runs.size(), 1u);
  return runs.empty() ? fs::path() : runs.front();
}

// Every value of each metric in a run's metrics.csv (step,wall_time_s,name,value), in order.
std::map<std::string, std::vector<double>> read_metrics(const fs::path& run) {
  std::map<std::string, std::vector<double>> values;
  std::istringstream in(testing::read_file(run / "metrics.csv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto c2 = line.find(',', line.find(',') + 1);
    auto c3 = line.find(',', c2 + 1);
    if (c2 == std::string::npos || c3 == std::string::npos) continue;
    values[line.substr(c2 + 1, c3 - c2 - 1)].push_back(std::stod(line.substr(c3 + 1)));
  }
  return values;
}

// The newest checkpoint folder of a run.
fs::path last_checkpoint(const fs::path& run) {
  fs::path newest;
  for (const auto& e : fs::directory_iterator(run / "checkpoints")) {
    if (e.path().filename().string().rfind("step_", 0) != 0) continue;
    if (newest.empty() || std::stol(e.path().filename().string().substr(5)) >
                              std::stol(newest.filename().string().substr(5))) {
      newest = e.path();
    }
  }
  return newest;
}

// The shoulder policy sees its own joint and the elbow's angle and drives the shoulder motor; the
// elbow policy the mirror. Each learns on its own slice of the same blocks, with its own
// optimizer and version, and together they hold the double pendulum up (fixed seed; both are
// near 500 of 500 by 100k steps, the budget is 150k).
TEST(CliTraining, TwoPoliciesLearnToHoldTheDoublePendulumTogether) {
  fs::path root = testing::fresh_test_dir("sinew_agent_");
  ProcessResult train =
      sinew_cmd({"train", "experiment=double_pendulum_two_policies", "trainer.seed=1",
                 "trainer.total_steps=150000", "run.dir=" + root.string()},
                /*timeout_s=*/900);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  fs::path run = only_run(root, "double_pendulum_two_policies");
  auto metrics = read_metrics(run);
  ASSERT_FALSE(metrics["rollout/return"].empty());
  EXPECT_GE(metrics["rollout/return"].back(), 400.0);
  for (const char* name : {"train/shoulder/loss/policy", "train/elbow/loss/policy",
                           "train/shoulder/version", "train/elbow/version", "train/policy_lag"}) {
    EXPECT_FALSE(metrics[name].empty()) << name;
  }
  EXPECT_TRUE(metrics["train/loss/policy"].empty()) << "a model's metrics carry its name";

  fs::path checkpoint = last_checkpoint(run);
  for (const char* model : {"shoulder", "elbow"}) {
    EXPECT_TRUE(fs::is_directory(checkpoint / "agent" / model / "models")) << model;
  }
  EXPECT_FALSE(fs::exists(checkpoint / "models")) << "each model's files are in its folder";

  // eval runs each policy on its part of the body; export is one network, refused
  ProcessResult eval = sinew_cmd({"eval", run.string(), "--episodes", "5", "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_GE(nlohmann::json::parse(eval.out)["return_mean"].get<double>(), 400.0) << eval.out;
  ProcessResult exported =
      sinew_cmd({"export", run.string(), "--out", (root / "policy.pt").string()});
  EXPECT_EQ(exported.exit_code, 2) << exported.err;
  EXPECT_NE(exported.err.find("agent.models"), std::string::npos) << exported.err;

  ProcessResult resume =
      sinew_cmd({"resume", run.string(), "trainer.total_steps=160000"}, /*timeout_s=*/600);
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_NE(resume.out.find("step_16"), std::string::npos) << resume.out;
  auto resumed = read_metrics(run);
  EXPECT_GE(resumed["rollout/return"].back(), 400.0) << "both policies came back as they were";

  ProcessResult refused = sinew_cmd({"resume", run.string(), "agent.models.elbow.trainer=mpo"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("agent.models.elbow.trainer"), std::string::npos) << refused.err;
}

// A forward-dynamics model learns the pendulum from the policy's blocks: its prediction error
// falls by far, its error is the policy's bonus, and the policy still learns to swing up.
TEST(CliTraining, CuriosityModelLearnsThePendulumBesideThePolicy) {
  fs::path root = testing::fresh_test_dir("sinew_agent_");
  ProcessResult train = sinew_cmd({"train", "experiment=pendulum_curiosity", "trainer.seed=1",
                                   "trainer.total_steps=250000", "run.dir=" + root.string()},
                                  /*timeout_s=*/900);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  fs::path run = only_run(root, "pendulum_curiosity");
  auto metrics = read_metrics(run);
  const auto& error = metrics["train/dynamics/prediction_error"];
  ASSERT_GE(error.size(), 3u);
  EXPECT_LT(error.back(), 0.25 * error.front());
  EXPECT_FALSE(metrics["train/dynamics/bonus"].empty());
  EXPECT_FALSE(metrics["train/policy/loss/policy"].empty());
  ASSERT_FALSE(metrics["rollout/return"].empty());
  EXPECT_GE(metrics["rollout/return"].back(), -400.0) << "the pendulum is swung up and held";
  fs::path checkpoint = last_checkpoint(run);
  EXPECT_TRUE(fs::is_regular_file(checkpoint / "agent/dynamics/models/forward_dynamics.pt"));
}

// Mistakes in agent.models exit 2 with one line naming the key.
TEST(Cli, AgentModelMistakesNameTheKey) {
  const std::string dir = "run.dir=" + testing::fresh_test_dir("sinew_agent_").string();
  struct Case {
    std::string override_text, key, says;
  };
  const std::vector<Case> cases = {
      {"agent.models.shoulder.obs=[qpos/knee]", "agent.models.shoulder.obs", "qpos/elbow"},
      {"agent.models.elbow.actions=[shoulder_motor]", "agent.models.elbow.actions", "shoulder"},
      {"agent.models.elbow.trainer=sac", "agent.models.elbow.trainer", "forward_dynamics"},
      {"agent.models.elbow.trainer=mpo", "agent.models.elbow.trainer", "algo.name=ppo"},
      {"+agent.models.elbow.colour=red", "agent.models.elbow.colour", "unknown key"},
      {"+agent.models.elbow.algo.lr=-1", "agent.models.elbow.algo.lr", "[0, 1]"},
      {"init.from=/nowhere", "agent.models.<name>.init.from", "several models"},
  };
  for (const auto& c : cases) {
    ProcessResult r =
        sinew_cmd({"train", "experiment=double_pendulum_two_policies", c.override_text, dir});
    EXPECT_EQ(r.exit_code, 2) << c.override_text << ": " << r.err;
    EXPECT_NE(r.err.find(c.key), std::string::npos) << c.override_text << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.override_text << ": " << r.err;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
  }
  // an action no policy writes: the elbow's model predicts instead of acting
  ProcessResult unwritten = sinew_cmd({"train", "experiment=double_pendulum_two_policies",
                                       "agent.models.elbow.trainer=forward_dynamics", dir});
  EXPECT_EQ(unwritten.exit_code, 2) << unwritten.err;
  EXPECT_NE(unwritten.err.find("elbow_motor"), std::string::npos) << unwritten.err;
}

// One model (agent=policy, the default) keeps the layout of a plain run: no model names in
// metrics or checkpoint folders.
TEST(Cli, OnePolicyAgentKeepsThePlainLayout) {
  fs::path root = testing::fresh_test_dir("sinew_agent_");
  ProcessResult train = sinew_cmd({"train", "experiment=pendulum_ppo", "agent=policy",
                                   "trainer.total_steps=4096", "run.dir=" + root.string()});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  fs::path run = only_run(root, "pendulum_ppo");
  auto metrics = read_metrics(run);
  EXPECT_FALSE(metrics["train/loss/policy"].empty());
  EXPECT_TRUE(metrics["train/policy/loss/policy"].empty());
  fs::path checkpoint = last_checkpoint(run);
  EXPECT_TRUE(fs::is_directory(checkpoint / "models"));
  EXPECT_FALSE(fs::exists(checkpoint / "agent"));
}

}  // namespace
}  // namespace sinew
