#include "sinew/core/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "sinew/core/closest_names.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

// A small config directory written for each test.
class ConfigComposerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("sinew_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "env");
    fs::create_directories(dir_ / "algo");
    fs::create_directories(dir_ / "experiment");
    write("sinew.yaml",
          "defaults:\n  env: cart\n  algo: ppo\n"
          "trainer:\n  total_steps: 1000\n  seed: 1\n"
          "model:\n  hidden: [64, 64]\n  activation: tanh\n");
    write("env/cart.yaml", "description: a cart\nname: cart\nmax_episode_steps: 100\n");
    write("env/pole.yaml", "name: pole\nmax_episode_steps: 200\nlength_m: 1.5\n");
    write("algo/ppo.yaml", "name: ppo\nlr: 3.0e-4\nnormalize_advantages: true\n");
    write("experiment/long_pole.yaml",
          "description: long\ndefaults:\n  env: pole\ntrainer:\n  total_steps: 5e5\n");
    write("experiment/typo.yaml", "trainer:\n  totl_steps: 5\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  Config compose(const std::vector<std::string>& overrides) {
    return ConfigComposer(dir_).compose(overrides);
  }
  // The message of the ConfigError/UserError thrown by compose().
  std::string error_of(const std::vector<std::string>& overrides) {
    try {
      compose(overrides);
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(ConfigComposerTest, MergesDefaultGroupsUnderTheirKeys) {
  Config c = compose({});
  EXPECT_EQ(c.get_string("env.name"), "cart");
  EXPECT_EQ(c.get_int("env.max_episode_steps"), 100);
  EXPECT_DOUBLE_EQ(c.get_double("algo.lr"), 3e-4);
  EXPECT_EQ(c.get_string("experiment"), "cart_ppo");  // no experiment: named after what ran
  EXPECT_FALSE(c.has("defaults"));
  EXPECT_FALSE(c.has("env.description"));
}

TEST_F(ConfigComposerTest, ExperimentChoosesGroupsAndSetsKeys) {
  Config c = compose({"experiment=long_pole"});
  EXPECT_EQ(c.get_string("env.name"), "pole");
  EXPECT_EQ(c.get_int("trainer.total_steps"), 500000);
  EXPECT_EQ(c.get_string("experiment"), "long_pole");
}

TEST_F(ConfigComposerTest, ExperimentMapTaggedReplaceReplacesInsteadOfMerging) {
  write("env/terms.yaml",
        "name: terms\nreward:\n  speed: {weight: 1.0}\n  effort: {weight: -0.1}\n");
  write("experiment/merge.yaml",
        "defaults:\n  env: terms\nenv:\n  reward:\n    speed: {weight: 2.0}\n");
  write("experiment/replace.yaml",
        "defaults:\n  env: terms\nenv:\n  reward: !replace\n    track: {weight: 0.5}\n");
  Config merged = compose({"experiment=merge"});
  EXPECT_DOUBLE_EQ(merged.get_double("env.reward.speed.weight"), 2.0);
  EXPECT_TRUE(merged.has("env.reward.effort.weight"));
  Config replaced = compose({"experiment=replace"});
  EXPECT_DOUBLE_EQ(replaced.get_double("env.reward.track.weight"), 0.5);
  EXPECT_FALSE(replaced.has("env.reward.speed"));
  EXPECT_FALSE(replaced.has("env.reward.effort"));
  // the tag does not reach the resolved config
  EXPECT_EQ(replaced.to_yaml().find("!replace"), std::string::npos);
}

TEST_F(ConfigComposerTest, CommandLineGroupChoiceWinsOverExperiment) {
  Config c = compose({"experiment=long_pole", "env=cart"});
  EXPECT_EQ(c.get_string("env.name"), "cart");
}

TEST_F(ConfigComposerTest, KeyOverridesAcceptScientificIntegers) {
  Config c = compose({"trainer.total_steps=2e5", "algo.lr=1e-3", "model.hidden=[32,16]",
                      "algo.normalize_advantages=false"});
  EXPECT_EQ(c.get_int("trainer.total_steps"), 200000);
  EXPECT_DOUBLE_EQ(c.get_double("algo.lr"), 1e-3);
  EXPECT_EQ(c.get_int_list("model.hidden", 1, 100), (std::vector<int64_t>{32, 16}));
  EXPECT_FALSE(c.get_bool("algo.normalize_advantages"));
}

TEST_F(ConfigComposerTest, UnknownKeyNamesTheKeyAndTheClosestValidOne) {
  std::string message = error_of({"trainer.totl_steps=5"});
  EXPECT_NE(message.find("'trainer.totl_steps'"), std::string::npos) << message;
  EXPECT_NE(message.find("'trainer.total_steps'"), std::string::npos) << message;
}

TEST_F(ConfigComposerTest, KeyInTheWrongSectionSuggestsWhereItLives) {
  std::string message = error_of({"trainer.lr=0.1"});
  EXPECT_NE(message.find("'algo.lr'"), std::string::npos) << message;
}

TEST_F(ConfigComposerTest, WrongTypeIsRejectedWithTheExpectedType) {
  std::string message = error_of({"trainer.total_steps=lots"});
  EXPECT_NE(message.find("integer"), std::string::npos) << message;
  EXPECT_NE(message.find("trainer.total_steps"), std::string::npos) << message;
  EXPECT_NE(error_of({"trainer.total_steps=2.5"}).find("integer"), std::string::npos);
  EXPECT_NE(error_of({"algo.lr=fast"}).find("number"), std::string::npos);
  EXPECT_NE(error_of({"algo.normalize_advantages=maybe"}).find("boolean"), std::string::npos);
  EXPECT_NE(error_of({"model.hidden=64"}).find("list"), std::string::npos);
}

TEST_F(ConfigComposerTest, SectionCannotBeSetToAValue) {
  EXPECT_NE(error_of({"trainer=5"}).find("section"), std::string::npos);
}

TEST_F(ConfigComposerTest, UnknownGroupOptionListsTheAvailableOnes) {
  std::string message = error_of({"env=polee"});
  EXPECT_NE(message.find("'polee'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'pole'"), std::string::npos) << message;
  EXPECT_NE(error_of({"experiment=nope"}).find("long_pole"), std::string::npos);
}

TEST_F(ConfigComposerTest, PlusAddsNewKeysAndRefusesExistingOnes) {
  Config c = compose({"+trainer.note=hello", "+extra.depth.value=3"});
  EXPECT_EQ(c.get_string("trainer.note"), "hello");
  EXPECT_EQ(c.get_int("extra.depth.value"), 3);
  EXPECT_NE(error_of({"+trainer.seed=3"}).find("already exists"), std::string::npos);
}

TEST_F(ConfigComposerTest, ExperimentWithUnknownKeyNamesTheFile) {
  std::string message = error_of({"experiment=typo"});
  EXPECT_NE(message.find("typo.yaml"), std::string::npos) << message;
  EXPECT_NE(message.find("trainer.total_steps"), std::string::npos) << message;
}

TEST_F(ConfigComposerTest, MalformedOverrideIsAUserError) {
  EXPECT_NE(error_of({"trainer.seed"}).find("key=value"), std::string::npos);
  EXPECT_NE(error_of({"=3"}).find("key=value"), std::string::npos);
}

TEST_F(ConfigComposerTest, GroupOptionsAreNamesNotPaths) {
  fs::path outside = dir_.parent_path() / "sinew_config_test_outside.yaml";
  std::ofstream(outside) << "name: outside\n";
  for (const std::string& option : std::vector<std::string>{
           "../sinew_config_test_outside", "/etc/passwd", "a/b", std::string(300, 'x')}) {
    std::string message = error_of({"env=" + option});
    EXPECT_NE(message.find("not a path"), std::string::npos) << option << ": " << message;
    EXPECT_LT(message.size(), 400u);
  }
  fs::remove(outside);
}

TEST_F(ConfigComposerTest, UserFoldersOnTheSearchPathAddOptions) {
  fs::path mine = dir_.string() + "_mine";
  fs::remove_all(mine);
  fs::create_directories(mine / "env");
  std::ofstream(mine / "env" / "my_body.yaml") << "name: cart\nmax_episode_steps: 77\n";
  ConfigComposer composer(dir_, {mine});
  Config c = composer.compose({"env=my_body"});
  EXPECT_EQ(c.get_int("env.max_episode_steps"), 77);
  auto options = composer.options("env");
  EXPECT_NE(std::find(options.begin(), options.end(), "my_body"), options.end());
  EXPECT_NE(std::find(options.begin(), options.end(), "cart"), options.end());
  EXPECT_THROW(ConfigComposer(dir_, {dir_ / "missing"}), UserError);
  fs::remove_all(mine);
}

TEST_F(ConfigComposerTest, TheDefaultExperimentDoesNotLeakIntoAChosenEnv) {
  write("sinew.yaml",
        "defaults:\n  experiment: long_pole\n  env: cart\n  algo: ppo\n"
        "trainer:\n  total_steps: 1000\n  seed: 1\n");
  Config plain = compose({});
  EXPECT_EQ(plain.get_string("experiment"), "long_pole");
  EXPECT_EQ(plain.get_int("trainer.total_steps"), 500000);
  // choosing an env (or an algorithm) drops the default experiment
  Config chosen = compose({"env=cart"});
  EXPECT_EQ(chosen.get_string("experiment"), "cart_ppo");
  EXPECT_EQ(chosen.get_int("trainer.total_steps"), 1000);
  EXPECT_EQ(compose({"experiment=none"}).get_string("experiment"), "cart_ppo");
  EXPECT_EQ(compose({"env=cart", "experiment=long_pole"}).get_string("env.name"), "cart");
}

TEST_F(ConfigComposerTest, OriginsSayWhereEachValueCameFrom) {
  std::map<std::string, std::string> origins;
  ConfigComposer(dir_).compose({"experiment=long_pole", "trainer.seed=7"}, &origins);
  EXPECT_EQ(origins["model.activation"].rfind("base (", 0), 0u) << origins["model.activation"];
  EXPECT_EQ(origins["env.length_m"].rfind("env=pole (", 0), 0u) << origins["env.length_m"];
  EXPECT_NE(origins["trainer.total_steps"].find("experiment 'long_pole'"), std::string::npos)
      << origins["trainer.total_steps"];
  EXPECT_EQ(origins["trainer.seed"], "command line");
  EXPECT_EQ(origins["algo.lr"].rfind("algo=ppo (", 0), 0u) << origins["algo.lr"];
}

TEST_F(ConfigComposerTest, MalformedValuesAndKeysNameTheKeyInOneLine) {
  std::string yaml = error_of({"+extra.list=[1, 2"});
  EXPECT_NE(yaml.find("for 'extra.list' is not valid YAML"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find('\n'), std::string::npos) << yaml;
  std::string deep = error_of({"+extra.deep=" + std::string(10000, '[') + std::string(10000, ']')});
  EXPECT_NE(deep.find("'extra.deep'"), std::string::npos) << deep.substr(0, 300);
  EXPECT_NE(deep.find("nests deeper"), std::string::npos) << deep.substr(0, 300);
  EXPECT_LT(deep.size(), 400u);
  std::string nested = error_of({"+extra.deep=" + std::string(40, '[') + std::string(40, ']')});
  EXPECT_NE(nested.find("nests deeper"), std::string::npos) << nested;
  std::string dots;
  for (int i = 0; i < 10000; ++i) dots += "a.";
  EXPECT_NE(error_of({"+" + dots + "b=1"}).find("malformed key"), std::string::npos);
  EXPECT_NE(error_of({"+[x=1"}).find("malformed key"), std::string::npos);
  std::string huge = error_of({"trainer.seed=" + std::string(100000, '9')});
  EXPECT_NE(huge.find("100000 characters"), std::string::npos) << huge.substr(0, 300);
  EXPECT_LT(huge.size(), 400u);
}

TEST(Config, SecretsAreRedactedInEveryPersistedCopy) {
  Config c(YAML::Load("serve:\n  token: s3cret\n  host: 127.0.0.1\ntrainer:\n  seed: 1\n"));
  Config shown = c.with_secrets_redacted();
  EXPECT_EQ(shown.get_string("serve.token"), Config::kRedacted);
  EXPECT_EQ(shown.to_yaml().find("s3cret"), std::string::npos);
  EXPECT_EQ(c.get_string("serve.token"), "s3cret");  // the original is untouched
  Config none(YAML::Load("serve:\n  token: ''\n"));
  EXPECT_EQ(none.with_secrets_redacted().get_string("serve.token"), "");
}

TEST_F(ConfigComposerTest, BrokenYamlNamesTheFileAndLine) {
  write("env/broken.yaml", "name: broken\nmax_episode_steps: [1, 2\n");
  std::string message = error_of({"env=broken"});
  EXPECT_NE(message.find("broken.yaml:"), std::string::npos) << message;
}

TEST_F(ConfigComposerTest, ResolvedYamlRoundTripsWithTheSameHash) {
  Config c = compose({"experiment=long_pole"});
  Config back = Config::from_yaml(c.to_yaml(), "test");
  EXPECT_EQ(back.hash(), c.hash());
  EXPECT_EQ(back.get_int("trainer.total_steps"), 500000);
}

TEST(Config, TypedGettersCheckRangesAndChoices) {
  Config c = Config::from_yaml("a:\n  n: 5\n  s: tanh\n  x: 0.5\n", "inline");
  EXPECT_EQ(c.get_int("a.n", 0, 10), 5);
  EXPECT_THROW(c.get_int("a.n", 6, 10), ConfigError);
  EXPECT_THROW(c.get_double("a.x", 1.0, 2.0), ConfigError);
  EXPECT_THROW(c.get_choice("a.s", {"relu", "gelu"}), ConfigError);
  try {
    c.get_int("a.m");
    FAIL() << "missing key not reported";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "a.m");
    EXPECT_NE(std::string(e.what()).find("'a.n'"), std::string::npos) << e.what();
  }
}

TEST(Config, ShippedConfigsComposeForEveryExperiment) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  for (const auto& name : composer.options("experiment")) {
    Config c = composer.compose({"experiment=" + name});
    EXPECT_GT(c.get_int("trainer.total_steps"), 0) << name;
    EXPECT_EQ(c.get_string("experiment"), name);
  }
}

TEST(YamlScalar, ParsesIntegersFloatsAndBooleans) {
  EXPECT_EQ(parse_int("2e5"), 200000);
  EXPECT_EQ(parse_int("1.5e3"), 1500);
  EXPECT_EQ(parse_int("-12"), -12);
  EXPECT_FALSE(parse_int("2.5"));
  EXPECT_FALSE(parse_int("3.0"));
  EXPECT_FALSE(parse_int("1e-3"));
  EXPECT_FALSE(parse_int("abc"));
  EXPECT_DOUBLE_EQ(*parse_double("3e-4"), 3e-4);
  EXPECT_EQ(parse_bool("yes"), true);
  EXPECT_EQ(parse_bool("False"), false);
  EXPECT_EQ(classify_scalar("3"), ScalarKind::kInt);
  EXPECT_EQ(classify_scalar("3.0"), ScalarKind::kFloat);
  EXPECT_EQ(classify_scalar("tanh"), ScalarKind::kString);
  EXPECT_EQ(classify_scalar("~"), ScalarKind::kNull);
}

TEST(ClosestNames, RanksByEditDistance) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
  EXPECT_EQ(edit_distance("", "abc"), 3);
  auto near = closest_names("trainer.seeed", {"trainer.seed", "trainer.total_steps", "model.x"});
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near.front(), "trainer.seed");
  EXPECT_TRUE(closest_names("zzzzzz", {"trainer.seed"}).empty());
  EXPECT_EQ(quote_list({"a", "b", "c"}), "'a', 'b' or 'c'");
}

}  // namespace
}  // namespace sinew
