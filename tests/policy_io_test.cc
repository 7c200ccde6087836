// Policies as artifacts: `sinew export` read by Python's torch (the real client), a tonic-style
// state_dict written by Python imported by sinew, and `init.from` on the command line.
#include <gtest/gtest.h>
#include <httplib.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "run_fixtures.h"
#include "sinew/algo/algorithm_registry.h"
#include "sinew/core/checkpoint.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/nn/torch_save_reader.h"
#include "sinew/runtime/evaluator.h"
#include "sinew/runtime/policy_export.h"
#include "sinew/runtime/policy_init.h"
#include "sinew/sim/env_factory.h"
#include "test_process.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

const fs::path kScripts = fs::path(SINEW_SOURCE_DIR) / "tests" / "python";

Config compose(const std::vector<std::string>& overrides) {
  return ConfigComposer(fs::path(SINEW_SOURCE_DIR) / "configs").compose(overrides);
}

testing::ProcessResult python(std::vector<std::string> args) {
  args.insert(args.begin(), SINEW_PYTHON);
  return testing::run_process(args, 120);
}

testing::ProcessResult sinew(std::vector<std::string> args, const fs::path& cwd) {
  args.insert(args.begin(), SINEW_BINARY);
  return testing::run_process(args, 300, cwd.string());
}

// `rows` observations spread well beyond the statistics, so clipping and bounds matter.
std::vector<std::vector<float>> random_observations(int rows, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<std::vector<float>> out(rows, std::vector<float>(dim));
  for (auto& row : out) {
    for (float& v : row) v = normal(rng);
  }
  return out;
}

void write_csv(const fs::path& path, const std::vector<std::vector<float>>& rows) {
  std::ofstream out(path);
  out.precision(9);
  for (const auto& row : rows) {
    for (std::size_t j = 0; j < row.size(); ++j) out << (j ? "," : "") << row[j];
    out << "\n";
  }
}

std::vector<std::vector<double>> read_csv(const fs::path& path) {
  std::vector<std::vector<double>> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    for (std::string v; std::getline(fields, v, ',');) row.push_back(std::stod(v));
    rows.push_back(row);
  }
  return rows;
}

// Actions sinew's own actor (eval's deterministic path) takes for `obs`.
std::vector<std::vector<float>> sinew_actions(LoadedPolicy& policy,
                                              const std::vector<std::vector<float>>& obs) {
  EnvFactory envs(policy.config);
  PolicyActor actor(policy, envs.spec(), 1, /*deterministic=*/true);
  std::vector<std::vector<float>> out;
  for (const auto& row : obs) {
    std::vector<float> action(envs.spec().action_dim);
    actor.act(row, action);
    out.push_back(action);
  }
  return out;
}

void expect_same_actions(const std::vector<std::vector<float>>& ours,
                         const std::vector<std::vector<double>>& theirs) {
  ASSERT_EQ(ours.size(), theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    ASSERT_EQ(ours[i].size(), theirs[i].size()) << "row " << i;
    for (std::size_t j = 0; j < ours[i].size(); ++j) {
      EXPECT_NEAR(ours[i][j], theirs[i][j], 1e-5) << "row " << i << " action " << j;
    }
  }
}

// `sinew train` arguments for a small pendulum PPO run (1024 steps, two updates): `args` and
// the sizes.
// `args` starts with the verb.
std::vector<std::string> small_run(std::vector<std::string> args) {
  args.insert(args.begin() + 1, "experiment=pendulum_ppo");
  for (const char* o :
       {"runtime.envs_per_actor=4", "runtime.rollout_length=32", "trainer.total_steps=1024",
        "algo.batch_steps=512", "logging.episode_every_minutes=0"}) {
    args.push_back(o);
  }
  return args;
}

class PolicyExportTest : public ::testing::TestWithParam<std::vector<std::string>> {};

// A checkpoint of a fresh agent whose outputs reach its bounds, with non-trivial statistics,
// exported; Python's torch.jit.load must act as sinew does.
TEST_P(PolicyExportTest, PythonTorchActsAsSinewDoes) {
  const fs::path dir = testing::fresh_test_dir("sinew_export_");
  Config config = compose(GetParam());
  EnvFactory envs(config);
  torch::manual_seed(7);
  auto algorithm = make_algorithm(config, envs.spec(), 1);
  {
    torch::NoGradGuard no_grad;
    for (auto& [name, t] : algorithm->named_tensors()) {
      if (name.rfind("policy.", 0) == 0) t.mul_(8.0);  // actions beyond the bounds, too
    }
  }
  RunningNormalizer normalizer(envs.spec().obs_dim);
  auto stats = random_observations(64, envs.spec().obs_dim, 3);
  std::vector<float> flat;
  for (const auto& row : stats) {
    for (float v : row) flat.push_back(0.5f * v + 1.0f);
  }
  normalizer.update(flat, 64);
  CheckpointWriter writer(dir / "checkpoints", 1000);
  save_agent(&writer, *algorithm, normalizer, config);
  fs::path checkpoint = writer.commit({{"config_hash", config.hash()}});

  ExportSource source = read_export_source(checkpoint, read_manifest(checkpoint, true));
  LoadedPolicy& policy = source.policy;
  nlohmann::json sidecar = export_torchscript(source, dir / "policy.pt", dir / "policy.json");
  EXPECT_EQ(sidecar["env"]["obs_dim"], envs.spec().obs_dim);
  EXPECT_EQ(sidecar["source"]["step"], 1000);
  EXPECT_EQ(sidecar["files"]["policy.pt"]["sha256"], sha256_file(dir / "policy.pt"));

  auto obs = random_observations(200, envs.spec().obs_dim, 11);
  write_csv(dir / "obs.csv", obs);
  auto r = python({(kScripts / "policy_actions.py").string(), (dir / "policy.pt").string(),
                   (dir / "obs.csv").string(), (dir / "actions.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_actions(sinew_actions(policy, obs), read_csv(dir / "actions.csv"));

  // the exported file starts a run: every tensor and the statistics come back exactly
  InitOptions init;
  init.from = (dir / "policy.pt").string();
  InitSource back = read_init_source(init);
  EXPECT_EQ(back.kind, "exported policy");
  torch::manual_seed(99);
  auto fresh = make_algorithm(config, envs.spec(), 2);
  RunningNormalizer loaded(envs.spec().obs_dim);
  apply_init(back, init, *fresh, &loaded);
  for (auto& [name, t] : algorithm->named_tensors()) {
    EXPECT_TRUE(torch::equal(t, fresh->named_tensors().at(name))) << name;
  }
  EXPECT_EQ(loaded.mean(), normalizer.mean());
  EXPECT_EQ(loaded.variance(), normalizer.variance());
  EXPECT_EQ(loaded.count(), normalizer.count());
}

INSTANTIATE_TEST_SUITE_P(Heads, PolicyExportTest,
                         ::testing::Values(std::vector<std::string>{"experiment=pendulum_ppo"},
                                           std::vector<std::string>{
                                               "experiment=pendulum_discrete_ppo"},
                                           std::vector<std::string>{"experiment=pendulum_mpo"},
                                           std::vector<std::string>{"experiment=pendulum_mpo",
                                                                    "algo.action_mapping=clip"}));

// A state_dict in DEP-RL / tonic's layout, written by Python; init=tonic maps it onto MPO and
// sinew then acts as the Python model does.
TEST(PolicyImport, TonicStateDictFromPythonActsIdentically) {
  const fs::path dir = testing::fresh_test_dir("sinew_import_");
  auto obs = random_observations(100, 3, 5);
  write_csv(dir / "obs.csv", obs);
  auto r = python({(kScripts / "tonic_state_dict.py").string(), (dir / "tonic.pt").string(),
                   (dir / "obs.csv").string(), (dir / "actions.csv").string(), "3", "1", "32", "-1",
                   "1", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  Config config = compose({"experiment=pendulum_mpo", "init=tonic", "model.hidden=[32, 32]",
                           "model.activation=relu", "init.unverified=true",
                           "init.from=" + (dir / "tonic.pt").string()});
  EnvFactory envs(config);
  InitOptions init = InitOptions::from_config(config);
  InitSource source = read_init_source(init);
  EXPECT_EQ(source.kind, "state_dict");
  auto algorithm = make_algorithm(config, envs.spec(), 1);
  RunningNormalizer normalizer(envs.spec().obs_dim);
  std::vector<std::string> report = apply_init(source, init, *algorithm, &normalizer);
  std::string text;
  for (const auto& line : report) text += line + "\n";
  EXPECT_NE(text.find("target_actor.*"), std::string::npos) << text;  // reported as unused

  LoadedPolicy policy;
  policy.config = config;
  policy.model = algorithm->policy();
  policy.normalizer = normalizer;
  expect_same_actions(sinew_actions(policy, obs), read_csv(dir / "actions.csv"));
}

TEST(PolicyImport, ShapeMismatchNamesTheTensorAndBothShapes) {
  const fs::path dir = testing::fresh_test_dir("sinew_import_");
  write_csv(dir / "obs.csv", random_observations(2, 5, 1));
  // a tonic model for 5 observations; the pendulum has 3
  auto r = python({(kScripts / "tonic_state_dict.py").string(), (dir / "tonic.pt").string(),
                   (dir / "obs.csv").string(), (dir / "actions.csv").string(), "5", "1", "32", "-1",
                   "1", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Config config = compose({"experiment=pendulum_mpo", "init=tonic", "model.hidden=[32, 32]",
                           "init.unverified=true", "init.from=" + (dir / "tonic.pt").string()});
  EnvFactory envs(config);
  InitOptions init = InitOptions::from_config(config);
  auto algorithm = make_algorithm(config, envs.spec(), 1);
  RunningNormalizer normalizer(3);
  try {
    apply_init(read_init_source(init), init, *algorithm, &normalizer);
    FAIL() << "a 5-observation model loaded into a 3-observation one";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("policy.0.weight has shape [32, 5] there, the model "
                                         "here needs [32, 3]"),
              std::string::npos)
        << e.what();
  }
}

TEST(PolicyImport, NotATorchFileIsAClearError) {
  const fs::path dir = testing::fresh_test_dir("sinew_import_");
  write_file(dir / "notes.pt", "these are not tensors\n");
  InitOptions init;
  init.from = (dir / "notes.pt").string();
  init.unverified = true;
  try {
    read_init_source(init);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("neither a TorchScript policy"), std::string::npos)
        << e.what();
  }
  init.from = (dir / "missing.pt").string();
  EXPECT_THROW(read_init_source(init), UserError);
}

// Truncated and corrupted torch.save files are errors, never crashes or garbage tensors.
TEST(PolicyImport, DamagedTorchSaveFilesAreErrors) {
  NamedTensors tensors = {{"a.weight", torch::randn({4, 3})}, {"a.bias", torch::randn({4})}};
  const std::string good = state_dict_bytes(tensors);
  NamedTensors back = read_torch_save(good, "good.pt");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(torch::equal(back.at("a.weight"), tensors.at("a.weight")));
  std::mt19937 rng(1);
  int refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bad = good;
    if (trial % 2 == 0) {
      bad.resize(std::uniform_int_distribution<std::size_t>(0, good.size() - 1)(rng));
    } else {
      for (int k = 0; k < 4; ++k) {
        bad[std::uniform_int_distribution<std::size_t>(0, bad.size() - 1)(rng)] ^=
            static_cast<char>(1 + rng() % 255);
      }
    }
    try {
      NamedTensors t = read_torch_save(bad, "bad.pt");
      for (const auto& [name, tensor] : t) EXPECT_TRUE(tensor.defined()) << name;
    } catch (const UserError&) {
      ++refused;
    }
  }
  EXPECT_GT(refused, 100);  // the archive's CRC-32 checks catch most flips
}

// The whole path as a user takes it: train, export, read in Python, start a new run from the
// export, and a mismatched model refused with exit 2 and no run folder.
TEST(PolicyCli, ExportThenTrainFromTheExport) {
  const fs::path dir = testing::fresh_test_dir("sinew_export_cli_");
  auto r = sinew(small_run({"train", "run.dir=first"}), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path run = fs::directory_iterator(dir / "first" / "pendulum_ppo")->path();

  r = sinew({"export", run.string(), "--out", "walker.pt", "--state-dict", "walker_sd.pt"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("walker.pt"), std::string::npos) << r.out;
  nlohmann::json sidecar = nlohmann::json::parse(read_text_file(dir / "walker.json"));
  EXPECT_EQ(sidecar["env"]["name"], "pendulum");
  EXPECT_EQ(sidecar["algorithm"], "ppo");
  EXPECT_EQ(sidecar["source"]["step"], 1024);

  write_csv(dir / "obs.csv", random_observations(10, 3, 2));
  auto py = python({(kScripts / "policy_actions.py").string(), (dir / "walker.pt").string(),
                    (dir / "obs.csv").string(), (dir / "actions.csv").string()});
  ASSERT_EQ(py.exit_code, 0) << py.err;
  EXPECT_EQ(read_csv(dir / "actions.csv").size(), 10u);
  py = python({"-c",
               "import sys, torch; d = torch.load(sys.argv[1]); "
               "assert d['policy.0.weight'].shape == (64, 3), d.keys(); "
               "assert d['obs_normalizer.mean'].dtype == torch.float64",
               (dir / "walker_sd.pt").string()});
  EXPECT_EQ(py.exit_code, 0) << py.err;

  for (const std::string& from :
       std::vector<std::string>{"walker.pt", "walker_sd.pt", run.string()}) {
    r = sinew(small_run({"train", "run.dir=second", "init.from=" + from}), dir);
    ASSERT_EQ(r.exit_code, 0) << from << ": " << r.err;
    EXPECT_NE(r.err.find("init: loaded 13 tensors"), std::string::npos) << r.err;
  }
  fs::path child = fs::directory_iterator(dir / "second" / "pendulum_ppo")->path();
  auto checkpoints = list_checkpoints(child / "checkpoints");
  ASSERT_FALSE(checkpoints.empty());
  nlohmann::json manifest = read_manifest(checkpoints.back(), true);
  ASSERT_TRUE(manifest.contains("parent")) << manifest.dump();

  // fine-tuning with the first layer kept as loaded
  r = sinew(
      small_run({"train", "run.dir=frozen", "init.from=walker.pt", "init.freeze=[policy.0.]"}),
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("init.freeze: 2 tensors kept fixed"), std::string::npos) << r.err;
  InitOptions parent, tuned;
  parent.from = (dir / "walker.pt").string();
  tuned.from = fs::directory_iterator(dir / "frozen" / "pendulum_ppo")->path().string();
  NamedTensors before = read_init_source(parent).tensors, after = read_init_source(tuned).tensors;
  EXPECT_TRUE(torch::equal(before.at("policy.0.weight"), after.at("policy.0.weight")));
  EXPECT_TRUE(torch::equal(before.at("policy.0.bias"), after.at("policy.0.bias")));
  EXPECT_FALSE(torch::equal(before.at("policy.2.weight"), after.at("policy.2.weight")));
  r = sinew(small_run({"train", "run.dir=frozen", "init.freeze=[polcy.0.]"}), dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("init.freeze: 'polcy.0.' matches no tensor"), std::string::npos) << r.err;

  r = sinew(small_run({"train", "run.dir=third", "model.hidden=[32, 32]", "init.from=walker.pt"}),
            dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("policy.0.bias has shape [64] there, the model here needs [32]"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "third" / "pendulum_ppo") &&
               !fs::is_empty(dir / "third" / "pendulum_ppo"));
}

// Every file handed to init.from or `models push` is checked against the checksum that travels
// with it: one flipped byte of an export is refused by both; a file without a sidecar needs the
// user's explicit flag.
TEST(PolicyCli, AlteredOrUncheckedFilesAreRefused) {
  const fs::path dir = testing::fresh_test_dir("sinew_verify_cli_");
  auto r = sinew(small_run({"train", "run.dir=first"}), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path run = fs::directory_iterator(dir / "first" / "pendulum_ppo")->path();
  r = sinew({"export", run.string(), "--out", "walker.pt", "--state-dict", "walker_sd.pt"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::is_regular_file(dir / "walker_sd.json"));
  const nlohmann::json side = nlohmann::json::parse(read_text_file(dir / "walker_sd.json"));
  EXPECT_EQ(side["files"]["walker_sd.pt"]["sha256"], sha256_file(dir / "walker_sd.pt"));

  std::string bytes = read_text_file(dir / "walker.pt");
  bytes[bytes.size() / 2] ^= 0x40;  // inside the stored tensors
  write_file(dir / "walker.pt", bytes);
  r = sinew(small_run({"train", "run.dir=second", "init.from=walker.pt"}), dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("walker.pt: altered since it was exported"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "second" / "pendulum_ppo") &&
               !fs::is_empty(dir / "second" / "pendulum_ppo"));
  r = sinew({"models", "push", "walker.pt", "walker"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("walker.pt: altered since it was exported"), std::string::npos) << r.err;
  r = sinew({"models", "list", "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 0u) << r.out;

  // a sidecar that lists another file is no checksum of this one
  fs::copy_file(dir / "walker.json", dir / "other.json");
  fs::copy_file(dir / "walker_sd.pt", dir / "other.pt");
  r = sinew({"models", "push", "other.pt", "other"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("records no checksum of other.pt"), std::string::npos) << r.err;

  // no sidecar: refused unless the user says so
  fs::remove(dir / "walker_sd.json");
  r = sinew(small_run({"train", "run.dir=second", "init.from=walker_sd.pt"}), dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("pass init.unverified=true"), std::string::npos) << r.err;
  r = sinew({"models", "push", "walker_sd.pt", "walker"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("pass --unverified"), std::string::npos) << r.err;
  r = sinew({"models", "push", "walker_sd.pt", "walker", "--unverified"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = sinew({"models", "show", "walker:1"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("unverified"), std::string::npos) << r.out;
}

// The model store from the command line: push a run and an exported policy, list, show, pull,
// start runs from store: references, remove.
TEST(PolicyCli, ModelStoreRoundTripAndInitFromStore) {
  const fs::path dir = testing::fresh_test_dir("sinew_models_cli_");
  auto r = sinew(small_run({"train", "run.dir=first"}), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path run = fs::directory_iterator(dir / "first" / "pendulum_ppo")->path();

  r = sinew({"models", "push", run.string(), "walker:best"}, dir);  // default store: ./models
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("walker:1"), std::string::npos) << r.out;
  ASSERT_EQ(sinew({"export", run.string(), "--out", "walker.pt"}, dir).exit_code, 0);
  r = sinew({"models", "push", "walker.pt", "walker"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("walker:2"), std::string::npos) << r.out;

  r = sinew({"models", "list", "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 2u) << r.out;
  r = sinew({"models", "show", "walker:best"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json shown = nlohmann::json::parse(r.out);
  EXPECT_EQ(shown["metadata"]["env"], "pendulum") << r.out;
  EXPECT_EQ(shown["metadata"]["kind"], "checkpoint");
  EXPECT_EQ(shown["metadata"]["step"], 1024);
  EXPECT_TRUE(shown["metadata"]["metrics"].contains("rollout/return")) << r.out;

  {  // the dashboard lists the store beside the runs
    Background dashboard({"dashboard", (dir / "first").string(), "--port", "0", "--store",
                          (dir / "models").string()},
                         dir);
    std::string url;
    for (int i = 0; i < 200 && url.empty(); ++i) {
      std::string err = dashboard.err();
      if (auto at = err.find(" at http://"); at != std::string::npos) {
        url = err.substr(at + 4, err.find('/', at + 12) - at - 4);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(url.empty()) << dashboard.err();
    httplib::Client client(url);
    auto reply = client.Get("/api/models");
    ASSERT_TRUE(reply) << url;
    ASSERT_EQ(reply->status, 200);
    nlohmann::json view = nlohmann::json::parse(reply->body);
    ASSERT_EQ(view["versions"].size(), 2u) << reply->body;
    EXPECT_EQ(view["versions"][0]["ref"], "walker:1");
    EXPECT_EQ(view["versions"][0]["tags"][0], "best");
    EXPECT_EQ(view["versions"][1]["kind"], "exported policy");
  }

  r = sinew({"models", "pull", "walker:2", "pulled"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "pulled" / "walker.pt"));
  EXPECT_TRUE(fs::is_regular_file(dir / "pulled" / "walker.json"));

  for (const std::string& ref : std::vector<std::string>{"store:walker:best", "store:walker:2"}) {
    r = sinew(small_run({"train", "run.dir=second", "init.from=" + ref}), dir);
    ASSERT_EQ(r.exit_code, 0) << ref << ": " << r.err;
    EXPECT_NE(r.err.find("init: loaded 13 tensors"), std::string::npos) << r.err;
  }
  r = sinew(small_run({"train", "run.dir=third", "init.from=store:runner"}), dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;

  // eval and export read a stored checkpoint directly
  r = sinew({"eval", "store:walker:best", "--episodes", "2", "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["episodes"], 2);
  r = sinew({"eval", "store:walker:2"}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a checkpoint"), std::string::npos) << r.err;

  r = sinew({"models", "rm", "walker:best"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = sinew({"models", "show", "walker:1"}, dir);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = sinew({"models", "push", run.string(), "../escape"}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir / "escape"));
}

// The platform path: `sinew models serve` on one machine, pushes and init.from=store: from
// another (here: other processes), with a token.
TEST(PolicyCli, RemoteStoreOverHttpWithToken) {
  const fs::path dir = testing::fresh_test_dir("sinew_models_http_");
  setenv("XDG_CACHE_HOME", (dir / "cache").c_str(), 1);
  auto r = sinew(small_run({"train", "run.dir=first"}), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path run = fs::directory_iterator(dir / "first" / "pendulum_ppo")->path();

  Background server(
      {"models", "serve", "--store", (dir / "served").string(), "--port", "0", "--token", "s3cret"},
      dir);
  std::string url;
  for (int i = 0; i < 200 && url.empty(); ++i) {
    std::string err = server.err();
    if (auto at = err.find(" at http://"); at != std::string::npos) {
      url = err.substr(at + 4, err.find(' ', at + 4) - at - 4);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(url.empty()) << server.err();

  r = sinew({"models", "push", run.string(), "walker", "--store", url}, dir);
  EXPECT_EQ(r.exit_code, 2) << "pushed without the token: " << r.out;
  r = sinew({"models", "push", run.string(), "walker", "--store", url, "--token", "s3cret"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("walker:1"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::is_directory(dir / "served" / "walker" / "v1"));
  r = sinew({"models", "list", "--store", url, "--token", "s3cret", "--json"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 1u) << r.out;

  setenv("SINEW_STORE_TOKEN", "s3cret", 1);
  r = sinew(small_run({"train", "run.dir=second", "init.from=store:walker", "models.store=" + url}),
            dir);
  unsetenv("SINEW_STORE_TOKEN");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("init: loaded 13 tensors"), std::string::npos) << r.err;

  server.signal(SIGINT);
  EXPECT_EQ(server.wait(), 0) << server.err();
}

}  // namespace
}  // namespace sinew
