// The learner drives the models of an agent: each takes its slice of the blocks young enough
// for it, a policy's updates make its published versions, a model that does not act may add to
// the rewards the policies learn from, and a block too old for all is dropped.
#include "sinew/runtime/learner.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

#include "sinew/transport/local_block_queue.h"
#include "sinew/transport/local_param_store.h"

namespace sinew {
namespace {

// Counts what it is given; reports a parameter change every `update_every` blocks.
class CountingAlgorithm : public Algorithm {
 public:
  CountingAlgorithm(int64_t max_lag, int update_every, int obs_dim = 2, int action_dim = 1)
      : policy_(ActorCriticOptions{.obs_dim = obs_dim, .action_dim = action_dim, .hidden = {4}}),
        max_lag_(max_lag),
        update_every_(update_every) {}

  bool consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
               MetricsSink& metrics) override {
    versions.push_back(block.policy_version);
    steps += block.num_steps();
    normalizer_count = normalizer.count();
    normalizer_dim = normalizer.dim();
    blocks.push_back(block);
    metrics.record("train/consumed", 1);
    return static_cast<int>(versions.size()) % update_every_ == 0;
  }
  ActorCritic& policy() override { return policy_; }
  NamedTensors named_tensors() override { return module_tensors(*policy_); }
  int64_t max_policy_lag() const override { return max_lag_; }
  void save(CheckpointWriter*) const override {}
  void load(const std::filesystem::path&) override {}

  std::vector<int64_t> versions;  // policy_version of each block taken
  std::vector<TrajectoryBlock> blocks;
  int64_t steps = 0;
  double normalizer_count = 0;
  int normalizer_dim = 0;

 private:
  ActorCritic policy_;
  int64_t max_lag_;
  int update_every_;
};

// A model that does not act: adds `bonus` to every reward before the policies learn.
class BonusTrainer : public Trainer {
 public:
  explicit BonusTrainer(float bonus) : bonus_(bonus) {}
  void add_rewards(const TrajectoryBlock& block, const RunningNormalizer&, std::span<float> rewards,
                   MetricsSink&) override {
    seen_obs_dim = block.obs_dim;
    for (auto& r : rewards) r += bonus_;
  }
  bool consume(TrajectoryBlock block, const RunningNormalizer&, MetricsSink&) override {
    rewards = block.rewards;
    ++consumed;
    return true;  // changes, but it does not act: no version
  }
  int64_t max_policy_lag() const override { return 1000; }
  NamedTensors named_tensors() override { return {}; }
  void save(CheckpointWriter*) const override {}
  void load(const std::filesystem::path&) override {}

  int seen_obs_dim = 0;
  int consumed = 0;
  std::vector<float> rewards;

 private:
  float bonus_;
};

TrajectoryBlock block_from_version(int64_t version) {
  TrajectoryBlock b(/*steps=*/2, /*envs=*/1, /*obs_size=*/2, /*action_size=*/1);
  b.policy_version = version;
  return b;
}

// Runs a learner over `blocks` (on this thread) and returns it after the queue drained.
struct Harness {
  LocalBlockQueue queue{/*capacity=*/64};
  LocalParamStore snapshots, second_snapshots;
  MetricsBus metrics;
  RunControl control{/*num_actors=*/0};

  void run(Learner* learner, std::vector<TrajectoryBlock> blocks) {
    for (auto& b : blocks) ASSERT_TRUE(queue.send(b, std::chrono::milliseconds(100)));
    queue.close();
    learner->run();
  }
  LearnerContext context() { return {&queue, &metrics, &control, /*threads=*/1}; }
  // the one policy of a run without agent.models
  LearnerModel whole(Algorithm* policy) {
    return {"", policy, policy, &snapshots, {{}, {}, 0}, /*whole=*/true};
  }
  // a model beside it that sees everything but does not act
  static LearnerModel beside(Trainer* trainer) {
    return {"model", trainer, nullptr, nullptr, {{}, {}, -1}, /*whole=*/true};
  }
};

TEST(Learner, GivesEveryBlockToEveryModelAndPublishesThePolicysUpdates) {
  CountingAlgorithm policy(/*max_lag=*/100, /*update_every=*/2);
  CountingAlgorithm model(/*max_lag=*/100, /*update_every=*/1);
  Harness h;
  Learner learner({h.whole(&policy), Harness::beside(&model)}, RunningNormalizer(2), h.context());
  h.run(&learner, {block_from_version(0), block_from_version(0), block_from_version(0),
                   block_from_version(0)});
  EXPECT_EQ(policy.versions.size(), 4u);
  EXPECT_EQ(model.versions.size(), 4u);
  EXPECT_EQ(model.steps, 8);
  EXPECT_EQ(policy.normalizer_count, 8);  // statistics include the block before it is consumed
  // the policy changed twice (every 2nd block); the other model's updates make no version
  EXPECT_EQ(learner.version(), 2);
  ASSERT_NE(h.snapshots.latest(), nullptr);
  EXPECT_EQ(h.snapshots.latest()->version, 2);
  EXPECT_EQ(learner.dropped_blocks(), 0);
}

TEST(Learner, DropsABlockOnlyForTheModelsItIsTooOldFor) {
  CountingAlgorithm on_policy(/*max_lag=*/0, /*update_every=*/1);
  CountingAlgorithm replay(/*max_lag=*/1000, /*update_every=*/1000);
  Harness h;
  Learner learner({h.whole(&on_policy), Harness::beside(&replay)}, RunningNormalizer(2),
                  h.context());
  // version 0 is taken by both and makes version 1; the next block from version 0 is one
  // version old: too old for the on-policy learner, fine for the replaying one
  h.run(&learner, {block_from_version(0), block_from_version(0), block_from_version(1)});
  EXPECT_EQ(on_policy.versions, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(replay.versions, (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(learner.dropped_blocks(), 0);  // some model took every block
}

TEST(Learner, CountsABlockTooOldForEveryModelAsDropped) {
  CountingAlgorithm only(/*max_lag=*/0, /*update_every=*/1);
  Harness h;
  Learner learner({h.whole(&only)}, RunningNormalizer(2), h.context());
  h.run(&learner, {block_from_version(0), block_from_version(0), block_from_version(1)});
  EXPECT_EQ(only.versions, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(learner.dropped_blocks(), 1);
  EXPECT_EQ(learner.version(), 2);
  EXPECT_EQ(only.normalizer_count, 4);  // the dropped block's observations are not counted
}

// What an actor measured travels in its block (wherever the actor ran) and is recorded by the
// learner, also from a block no trainer takes.
TEST(Learner, RecordsWhatTheActorMeasuredAlsoFromADroppedBlock) {
  CountingAlgorithm only(/*max_lag=*/0, /*update_every=*/1);
  Harness h;
  Learner learner({h.whole(&only)}, RunningNormalizer(2), h.context());
  std::vector<TrajectoryBlock> blocks = {block_from_version(0), block_from_version(0)};
  blocks[0].metrics = {{"rollout/return", 10.0}, {"env/upright_fraction", 0.5}};
  blocks[1].metrics = {{"rollout/return", 20.0}};  // one version old: dropped
  h.run(&learner, std::move(blocks));
  EXPECT_EQ(learner.dropped_blocks(), 1);
  h.metrics.flush(/*step=*/4, /*wall_time_s=*/1);
  ASSERT_TRUE(h.metrics.latest("rollout/return").has_value());
  EXPECT_DOUBLE_EQ(*h.metrics.latest("rollout/return"), 15.0);
  EXPECT_DOUBLE_EQ(h.metrics.latest("env/upright_fraction").value_or(-1), 0.5);
}

// Values the env holds at a fixed normalization (an image's pixels) are not learned from the
// blocks, and stay held when statistics are loaded (a resume, init.from).
TEST(Learner, KeepsHeldObservationValuesOutOfTheStatistics) {
  CountingAlgorithm only(/*max_lag=*/0, /*update_every=*/1);
  Harness h;
  RunningNormalizer normalizer(2);
  normalizer.hold(/*first=*/1, /*count=*/1, /*center=*/127.5, /*scale=*/127.5);
  Learner learner({h.whole(&only)}, normalizer, h.context());
  std::vector<TrajectoryBlock> blocks = {block_from_version(0), block_from_version(1)};
  for (auto& b : blocks) b.obs = {4.0f, 255.0f, 6.0f, 0.0f};
  h.run(&learner, std::move(blocks));
  EXPECT_DOUBLE_EQ(learner.normalizer().mean()[0], 5.0);
  EXPECT_DOUBLE_EQ(learner.normalizer().mean()[1], 127.5);
  learner.set_normalizer(RunningNormalizer(2));  // loaded statistics know nothing of it
  EXPECT_TRUE(learner.normalizer().held(1));
  EXPECT_FALSE(learner.normalizer().held(0));
  EXPECT_DOUBLE_EQ(learner.normalizer().mean()[1], 127.5);
}

TEST(Learner, RefusesNoModelsAndAFirstModelThatDoesNotAct) {
  Harness h;
  EXPECT_THROW(Learner({}, RunningNormalizer(2), h.context()), std::invalid_argument);
  BonusTrainer bonus(1);
  EXPECT_THROW(Learner({Harness::beside(&bonus)}, RunningNormalizer(2), h.context()),
               std::invalid_argument);
}

// Two policies on one body: obs (a, b, c), actions (x, y). The first reads a, c and wrote x;
// the second reads b and wrote y.
TEST(Learner, GivesEachPolicyItsSliceAndVersionsItsUpdatesApart) {
  CountingAlgorithm first(/*max_lag=*/0, /*update_every=*/1, /*obs_dim=*/2, /*action_dim=*/1);
  CountingAlgorithm second(/*max_lag=*/0, /*update_every=*/2, /*obs_dim=*/1, /*action_dim=*/1);
  BonusTrainer bonus(0.5f);
  Harness h;
  std::vector<LearnerModel> models = {
      {"first", &first, &first, &h.snapshots, {{0, 2}, {0}, 0}, false},
      {"second", &second, &second, &h.second_snapshots, {{1}, {1}, 1}, false},
      {"curious", &bonus, nullptr, nullptr, {{}, {}, -1}, true}};
  Learner learner(std::move(models), RunningNormalizer(3), h.context());
  auto block = [](int64_t v0, int64_t v1) {
    TrajectoryBlock b(/*steps=*/1, /*envs=*/2, /*obs_size=*/3, /*action_size=*/2, /*policies=*/2);
    b.obs = {1, 2, 3, 4, 5, 6};
    b.actions = {10, 20, 30, 40};
    b.log_probs = {-1, -2, -3, -4};  // (row, policy)
    b.rewards = {1, 1};
    b.policy_version = v0;
    b.policy_versions = {v0, v1};
    return b;
  };
  h.run(&learner, {block(0, 0), block(1, 0), block(2, 1)});
  ASSERT_EQ(first.blocks.size(), 3u);
  ASSERT_EQ(second.blocks.size(), 3u);
  const TrajectoryBlock& a = first.blocks[0];
  EXPECT_EQ(a.obs_dim, 2);
  EXPECT_EQ(a.obs, (std::vector<float>{1, 3, 4, 6}));
  EXPECT_EQ(a.actions, (std::vector<float>{10, 30}));
  EXPECT_EQ(a.log_probs, (std::vector<float>{-1, -3}));
  const TrajectoryBlock& b = second.blocks[0];
  EXPECT_EQ(b.obs, (std::vector<float>{2, 5}));
  EXPECT_EQ(b.actions, (std::vector<float>{20, 40}));
  EXPECT_EQ(b.log_probs, (std::vector<float>{-2, -4}));
  EXPECT_EQ(first.normalizer_dim, 2);
  EXPECT_EQ(second.normalizer_dim, 1);
  // the bonus reaches every trainer's rewards, its own included
  EXPECT_EQ(a.rewards, (std::vector<float>{1.5f, 1.5f}));
  EXPECT_EQ(b.rewards, (std::vector<float>{1.5f, 1.5f}));
  EXPECT_EQ(bonus.rewards, (std::vector<float>{1.5f, 1.5f}));
  EXPECT_EQ(bonus.seen_obs_dim, 3);
  // each policy's own versions: the first updated on every block, the second on every 2nd
  EXPECT_EQ(second.versions, (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(learner.version(0), 3);
  EXPECT_EQ(learner.version(1), 1);
  EXPECT_EQ(h.snapshots.latest()->version, 3);
  EXPECT_EQ(h.second_snapshots.latest()->version, 1);
  EXPECT_EQ(h.second_snapshots.latest()->obs_normalizer.dim(), 1);
  // each model's metrics under its name
  h.metrics.flush(1, 0);
  EXPECT_TRUE(h.metrics.latest("train/first/consumed").has_value());
  EXPECT_TRUE(h.metrics.latest("train/second/consumed").has_value());
  EXPECT_FALSE(h.metrics.latest("train/consumed").has_value());
  // and the versions survive a save and load
  Learner again({{"first", &first, &first, &h.snapshots, {{0, 2}, {0}, 0}, false},
                 {"second", &second, &second, &h.second_snapshots, {{1}, {1}, 1}, false}},
                RunningNormalizer(3), h.context());
  again.load_state(learner.save_state(), "test");
  EXPECT_EQ(again.version(0), 3);
  EXPECT_EQ(again.version(1), 1);
}

}  // namespace
}  // namespace sinew
