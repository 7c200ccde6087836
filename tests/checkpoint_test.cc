#include "sinew/core/checkpoint.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "sinew/algo/agent/agent.h"
#include "sinew/algo/ppo/ppo_algorithm.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           (std::string("sinew_checkpoint_test_") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_checkpoint(int64_t step) {
    CheckpointWriter w(dir_, step);
    std::ofstream(w.file("models/a.bin"), std::ios::binary) << std::string(1000, 'a');
    std::ofstream(w.file("data/b.txt")) << "hello";
    return w.commit({{"counters", {{"env_steps", step}}}});
  }
  // The message of the UserError read_manifest throws, or "" if it verifies.
  std::string verify_error(const fs::path& checkpoint) {
    try {
      read_manifest(checkpoint, /*verify=*/true);
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }

  // Rewrites manifest.json with `edit` applied and a matching manifest.sha256: what a careless
  // user who knows about the checksum could do.
  template <typename Edit>
  void rewrite_manifest(const fs::path& c, Edit edit) {
    auto manifest = nlohmann::json::parse(read_text_file(c / "manifest.json"));
    edit(manifest);
    const std::string text = manifest.dump(2) + "\n";
    write_file(c / "manifest.json", text);
    write_file(c / "manifest.sha256", sha256_hex(text) + "  manifest.json\n");
  }

  fs::path dir_;
};

TEST_F(CheckpointTest, CommittedCheckpointVerifiesAndListsItsFiles) {
  fs::path c = write_checkpoint(100);
  EXPECT_EQ(c.filename(), "step_100");
  EXPECT_EQ(verify_error(c), "");
  auto manifest = read_manifest(c, true);
  EXPECT_EQ(manifest["step"], 100);
  EXPECT_EQ(manifest["format_version"], kCheckpointFormatVersion);
  ASSERT_EQ(manifest["files"].size(), 2u);
  EXPECT_EQ(manifest["files"][0]["path"], "models/a.bin");
  EXPECT_EQ(manifest["files"][0]["size"], 1000);
  // nothing left over from staging
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().rfind(".tmp", 0), std::string::npos);
  }
}

TEST_F(CheckpointTest, FlippedByteIsDetectedByChecksum) {
  fs::path c = write_checkpoint(1);
  std::fstream f(c / "models/a.bin", std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(500);
  f.put('b');
  f.close();
  EXPECT_NE(verify_error(c).find("SHA-256"), std::string::npos) << verify_error(c);
}

TEST_F(CheckpointTest, TruncatedAndMissingFilesAreDetected) {
  fs::path c = write_checkpoint(1);
  fs::resize_file(c / "models/a.bin", 10);
  EXPECT_NE(verify_error(c).find("wrong size"), std::string::npos);
  fs::remove(c / "data/b.txt");
  std::ofstream(c / "models/a.bin", std::ios::binary) << std::string(1000, 'a');
  EXPECT_NE(verify_error(c).find("missing file data/b.txt"), std::string::npos);
  fs::remove(c / "manifest.json");
  EXPECT_NE(verify_error(c).find("not a checkpoint"), std::string::npos);
}

TEST_F(CheckpointTest, AnEditedManifestIsDetected) {
  fs::path c = write_checkpoint(7);
  EXPECT_TRUE(fs::is_regular_file(c / "manifest.sha256"));
  std::string text = read_text_file(c / "manifest.json");
  text.replace(text.find("\"env_steps\": 7"), 14, "\"env_steps\": 9");
  write_file(c / "manifest.json", text);
  EXPECT_NE(verify_error(c).find("does not match manifest.sha256"), std::string::npos)
      << verify_error(c);
  // no checksum at all (a format-1 checkpoint, or one whose checksum was deleted)
  fs::remove(c / "manifest.sha256");
  EXPECT_NE(verify_error(c).find("no manifest.sha256"), std::string::npos) << verify_error(c);
}

TEST_F(CheckpointTest, ListedPathsMustStayInsideTheFolder) {
  for (const std::string bad :
       {"../../../../etc/passwd", "/etc/passwd", "models/../../x", "./a", ""}) {
    fs::path c = write_checkpoint(3);
    rewrite_manifest(c, [&](nlohmann::json& m) { m["files"][0]["path"] = bad; });
    EXPECT_NE(verify_error(c).find("leaves the checkpoint folder"), std::string::npos)
        << bad << ": " << verify_error(c);
  }
}

TEST_F(CheckpointTest, AFileLeftOutOfTheListIsNotTrusted) {
  fs::path c = write_checkpoint(4);
  rewrite_manifest(c, [](nlohmann::json& m) { m["files"].erase(0); });  // models/a.bin
  EXPECT_NE(verify_error(c).find("models/a.bin is not listed"), std::string::npos)
      << verify_error(c);
}

TEST_F(CheckpointTest, LinksAreRefused) {
  fs::path c = write_checkpoint(5);
  fs::path outside = dir_ / "outside.txt";
  std::ofstream(outside) << "hello";
  fs::remove(c / "data/b.txt");
  fs::create_symlink(outside, c / "data/b.txt");
  EXPECT_NE(verify_error(c).find("is a link"), std::string::npos) << verify_error(c);
}

// A manifest that is a link is not followed, and a manifest that is not JSON is not quoted:
// errors never echo bytes of a file the user did not mean to show.
TEST_F(CheckpointTest, AManifestLinkIsNotFollowedAndBadJsonIsNotEchoed) {
  fs::path c = write_checkpoint(5);
  fs::path secret = dir_ / "secret.txt";
  std::ofstream(secret) << "SECRET-PASSWORD-1234";
  fs::remove(c / "manifest.json");
  fs::create_symlink(secret, c / "manifest.json");
  std::string error = verify_error(c);
  EXPECT_NE(error.find("a link"), std::string::npos) << error;
  EXPECT_EQ(error.find("SECRET"), std::string::npos) << error;
  fs::remove(c / "manifest.json");
  fs::copy_file(secret, c / "manifest.json");
  error = verify_error(c);
  EXPECT_NE(error.find("not JSON at byte"), std::string::npos) << error;
  EXPECT_EQ(error.find("SECRET"), std::string::npos) << error;
}

TEST_F(CheckpointTest, NewestVerifiedSkipsBrokenCheckpoints) {
  write_checkpoint(10);
  fs::path newer = write_checkpoint(20);
  fs::remove(newer / "manifest.sha256");
  std::vector<std::string> skipped;
  auto [path, manifest] = newest_verified_checkpoint(
      dir_, [&](const std::string& name, const std::string&) { skipped.push_back(name); });
  EXPECT_EQ(path.filename(), "step_10");
  EXPECT_EQ(manifest["step"], 10);
  EXPECT_EQ(skipped, std::vector<std::string>{"step_20"});
  fs::remove(path / "manifest.sha256");
  EXPECT_THROW(newest_verified_checkpoint(dir_, nullptr), UserError);
}

TEST_F(CheckpointTest, UncommittedWriterLeavesNothingBehind) {
  {
    CheckpointWriter w(dir_, 5);
    std::ofstream(w.file("models/a.bin")) << "partial";
  }
  EXPECT_TRUE(list_checkpoints(dir_).empty());
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(CheckpointTest, SameStepAgainReplacesTheFolderAtomically) {
  write_checkpoint(500);
  CheckpointWriter w(dir_, 500);
  std::ofstream(w.file("data/b.txt")) << "second";
  fs::path c = w.commit({{"counters", {{"env_steps", 500}}}});
  EXPECT_EQ(verify_error(c), "");
  EXPECT_FALSE(fs::exists(c / "models/a.bin"));  // the first one's files are gone
  std::ifstream in(c / "data/b.txt");
  std::string text;
  in >> text;
  EXPECT_EQ(text, "second");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    ++entries;
    EXPECT_EQ(e.path().filename(), "step_500");  // no staging folder left
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(CheckpointTest, PruneKeepsTheNewest) {
  for (int64_t step : {10, 200, 30, 4000}) write_checkpoint(step);
  prune_checkpoints(dir_, 2);
  auto left = list_checkpoints(dir_);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].filename(), "step_200");
  EXPECT_EQ(left[1].filename(), "step_4000");
}

// algo.lr_schedule=linear: the learning rate before each update falls with the steps consumed,
// and a checkpoint carries the schedule's progress.
TEST_F(CheckpointTest, PpoLinearLearningRateScheduleAnnealsAndResumes) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  Config config =
      composer.compose({"experiment=pendulum_ppo", "algo.lr_schedule=linear", "algo.batch_steps=64",
                        "trainer.total_steps=256", "algo.lr=0.001"});
  EnvFactory envs(config);
  PpoAlgorithm algorithm(actor_critic_options(config, envs.spec()), PpoOptions::from_config(config),
                         1);
  RunningNormalizer normalizer(3);
  MetricsBus metrics;
  auto block = [] { return TrajectoryBlock(/*steps=*/16, /*envs=*/4, 3, 1); };
  EXPECT_TRUE(algorithm.consume(block(), normalizer, metrics));
  EXPECT_NEAR(algorithm.trainer().options().lr, 0.001 * (1 - 64.0 / 256), 1e-12);
  EXPECT_TRUE(algorithm.consume(block(), normalizer, metrics));
  EXPECT_NEAR(algorithm.trainer().options().lr, 0.001 * (1 - 128.0 / 256), 1e-12);

  CheckpointWriter writer(dir_, 128);
  save_agent(&writer, algorithm, normalizer, config);
  fs::path c = writer.commit({});
  PpoAlgorithm resumed(actor_critic_options(config, envs.spec()), PpoOptions::from_config(config),
                       1);
  resumed.load(c);
  EXPECT_NEAR(resumed.trainer().options().lr, 0.001, 1e-12);  // until the next update
  EXPECT_TRUE(resumed.consume(block(), normalizer, metrics));
  EXPECT_NEAR(resumed.trainer().options().lr, 0.001 * (1 - 192.0 / 256), 1e-12);
}

// algo.normalize_returns: the return statistics and every env's running return go into the
// checkpoint, so a resumed run scales rewards exactly as the uninterrupted one would.
TEST_F(CheckpointTest, PpoReturnStatisticsResumeExactly) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  Config config = composer.compose(
      {"experiment=pendulum_ppo", "algo.normalize_returns=true", "algo.batch_steps=64"});
  EnvFactory envs(config);
  auto make = [&] {
    return PpoAlgorithm(actor_critic_options(config, envs.spec()), PpoOptions::from_config(config),
                        1);
  };
  PpoAlgorithm algorithm = make();
  RunningNormalizer normalizer(3);
  MetricsBus metrics;
  int64_t counter = 0;
  auto block = [&] {
    TrajectoryBlock b(/*steps=*/8, /*envs=*/4, 3, 1);
    for (auto& r : b.rewards) r = static_cast<float>(++counter % 7) - 2.0f;
    b.terminated[13] = 1;
    return b;
  };
  EXPECT_FALSE(algorithm.consume(block(), normalizer, metrics));  // half a batch
  ASSERT_NE(algorithm.return_normalizer(), nullptr);
  EXPECT_GT(algorithm.return_normalizer()->moments().count(), 0);

  CheckpointWriter writer(dir_, 32);
  save_agent(&writer, algorithm, normalizer, config);
  fs::path c = writer.commit({});
  EXPECT_TRUE(fs::is_regular_file(c / "trainers/ppo_returns.json"));
  PpoAlgorithm resumed = make();
  resumed.load(c);
  EXPECT_EQ(resumed.return_normalizer()->to_json(), algorithm.return_normalizer()->to_json());
  const TrajectoryBlock next = block();
  EXPECT_TRUE(algorithm.consume(next, normalizer, metrics));
  EXPECT_TRUE(resumed.consume(next, normalizer, metrics));
  EXPECT_EQ(resumed.return_normalizer()->to_json(), algorithm.return_normalizer()->to_json());
}

TEST_F(CheckpointTest, AgentRoundTripRestoresParametersAndOptimizerMomentsBitwise) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  Config config = composer.compose({"experiment=pendulum_ppo"});
  EnvFactory envs(config);
  torch::manual_seed(3);
  PpoAlgorithm algorithm(actor_critic_options(config, envs.spec()), PpoOptions::from_config(config),
                         1);
  PpoTrainer& trainer = algorithm.trainer();
  // one optimizer step so Adam has moments
  auto loss = trainer.model()->value(torch::randn({8, 3})).pow(2).mean() +
              trainer.model()->policy(torch::randn({8, 3})).pow(2).mean();
  loss.backward();
  trainer.optimizer().step();
  RunningNormalizer normalizer(3);
  std::vector<float> data = {1, 2, 3, 4, 5, 7};
  normalizer.update(data, 2);

  CheckpointWriter writer(dir_, 42);
  save_agent(&writer, algorithm, normalizer, config);
  fs::path c = writer.commit({});

  LoadedPolicy loaded = load_policy(c);
  auto a = trainer.model()->parameters();
  auto b = loaded.model->parameters();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << i;
  EXPECT_EQ(loaded.normalizer.mean(), normalizer.mean());
  EXPECT_EQ(loaded.config.hash(), config.hash());

  // optimizer moments
  PpoTrainer restored(loaded.model, PpoOptions::from_config(config), 1);
  torch::load(restored.optimizer(), (c / "trainers/ppo_optimizer.pt").string());
  auto& original_state = trainer.optimizer().state();
  auto& restored_state = restored.optimizer().state();
  ASSERT_EQ(original_state.size(), restored_state.size());
  int compared = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    // parameters without gradients (log_std here) have no Adam state
    auto original = original_state.find(c10::guts::to_string(a[i].unsafeGetTensorImpl()));
    if (original == original_state.end()) continue;
    auto restored_it = restored_state.find(c10::guts::to_string(b[i].unsafeGetTensorImpl()));
    ASSERT_NE(restored_it, restored_state.end()) << i;
    auto& x = static_cast<torch::optim::AdamParamState&>(*original->second);
    auto& y = static_cast<torch::optim::AdamParamState&>(*restored_it->second);
    ++compared;
    EXPECT_TRUE(torch::equal(x.exp_avg(), y.exp_avg())) << i;
    EXPECT_TRUE(torch::equal(x.exp_avg_sq(), y.exp_avg_sq())) << i;
    EXPECT_EQ(x.step(), y.step());
  }
  EXPECT_GE(compared, 4);
}

TEST_F(CheckpointTest, SubfolderStagesItsFilesInTheSameCheckpoint) {
  CheckpointWriter writer(dir_, 7);
  std::ofstream(writer.file("models/a.bin")) << "first";
  {
    CheckpointWriter folder = writer.subfolder("algorithms/1");
    std::ofstream(folder.file("models/a.bin")) << "second";
    EXPECT_THROW(folder.commit({}), std::logic_error);
  }
  fs::path c = writer.commit({});
  EXPECT_EQ(verify_error(c), "");  // the manifest lists and hashes the subfolder's file
  std::ifstream in(c / "algorithms/1/models/a.bin");
  std::string text;
  in >> text;
  EXPECT_EQ(text, "second");
}

TEST_F(CheckpointTest, EveryModelOfAnAgentRoundTripsFromItsOwnFolder) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  Config config = composer.compose({"experiment=double_pendulum_two_policies"});
  EnvFactory envs(config);
  Agent agent(config, envs.spec(), 1);
  ASSERT_EQ(agent.size(), 2u);
  {
    // parameters that tell the two apart
    torch::NoGradGuard no_grad;
    for (auto& p : agent.policy(1)->policy()->parameters()) p.add_(1.0);
  }
  CheckpointWriter writer(dir_, 9);
  agent.save(&writer);
  save_agent_files(&writer, RunningNormalizer(envs.spec().obs_dim), config);
  fs::path c = writer.commit({});
  for (const char* model : {"shoulder", "elbow"}) {
    EXPECT_TRUE(fs::is_regular_file(c / "agent" / model / PpoAlgorithm::kModelFile)) << model;
  }
  EXPECT_FALSE(fs::exists(c / PpoAlgorithm::kModelFile));

  Agent again(config, envs.spec(), 1);
  again.load(c);
  auto expect_equal = [](ActorCritic& a, ActorCritic& b) {
    auto pa = a->parameters(), pb = b->parameters();
    ASSERT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i])) << i;
  };
  for (std::size_t i = 0; i < 2; ++i)
    expect_equal(agent.policy(i)->policy(), again.policy(i)->policy());
  EXPECT_FALSE(torch::equal(agent.policy(0)->policy()->parameters()[0],
                            again.policy(1)->policy()->parameters()[0]));
}

}  // namespace
}  // namespace sinew
