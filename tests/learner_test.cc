// The learner drives a list of algorithms: each takes the blocks young enough for it, the first
// one's updates make the published versions, and a block too old for all is dropped.
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
  CountingAlgorithm(int64_t max_lag, int update_every)
      : policy_(ActorCriticOptions{.obs_dim = 2, .action_dim = 1, .hidden = {4}}),
        max_lag_(max_lag),
        update_every_(update_every) {}

  bool consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
               MetricsBus& metrics) override {
    versions.push_back(block.policy_version);
    steps += block.num_steps();
    normalizer_count = normalizer.count();
    return static_cast<int>(versions.size()) % update_every_ == 0;
  }
  ActorCritic& policy() override { return policy_; }
  NamedTensors named_tensors() override { return module_tensors(*policy_); }
  int64_t max_policy_lag() const override { return max_lag_; }
  void save(CheckpointWriter*) const override {}
  void load(const std::filesystem::path&) override {}

  std::vector<int64_t> versions;  // policy_version of each block taken
  int64_t steps = 0;
  double normalizer_count = 0;

 private:
  ActorCritic policy_;
  int64_t max_lag_;
  int update_every_;
};

TrajectoryBlock block_from_version(int64_t version) {
  TrajectoryBlock b(/*steps=*/2, /*envs=*/1, /*obs_size=*/2, /*action_size=*/1);
  b.policy_version = version;
  return b;
}

// Runs a learner over `blocks` (on this thread) and returns it after the queue drained.
struct Harness {
  LocalBlockQueue queue{/*capacity=*/64};
  LocalParamStore snapshots;
  MetricsBus metrics;
  RunControl control{/*num_actors=*/0};

  void run(Learner* learner, std::vector<TrajectoryBlock> blocks) {
    for (auto& b : blocks) ASSERT_TRUE(queue.send(b, std::chrono::milliseconds(100)));
    queue.close();
    learner->run();
  }
  LearnerContext context() { return {&queue, &snapshots, &metrics, &control, /*threads=*/1}; }
};

TEST(Learner, GivesEveryBlockToEveryAlgorithmAndPublishesTheFirstOnesUpdates) {
  CountingAlgorithm policy(/*max_lag=*/100, /*update_every=*/2);
  CountingAlgorithm model(/*max_lag=*/100, /*update_every=*/1);
  Harness h;
  Learner learner({&policy, &model}, RunningNormalizer(2), h.context());
  h.run(&learner, {block_from_version(0), block_from_version(0), block_from_version(0),
                   block_from_version(0)});
  EXPECT_EQ(policy.versions.size(), 4u);
  EXPECT_EQ(model.versions.size(), 4u);
  EXPECT_EQ(model.steps, 8);
  EXPECT_EQ(policy.normalizer_count, 8);  // statistics include the block before it is consumed
  // the policy changed twice (every 2nd block); the second algorithm's updates make no version
  EXPECT_EQ(learner.version(), 2);
  ASSERT_NE(h.snapshots.latest(), nullptr);
  EXPECT_EQ(h.snapshots.latest()->version, 2);
  EXPECT_EQ(learner.dropped_blocks(), 0);
}

TEST(Learner, DropsABlockOnlyForTheAlgorithmsItIsTooOldFor) {
  CountingAlgorithm on_policy(/*max_lag=*/0, /*update_every=*/1);
  CountingAlgorithm replay(/*max_lag=*/1000, /*update_every=*/1000);
  Harness h;
  Learner learner({&on_policy, &replay}, RunningNormalizer(2), h.context());
  // version 0 is taken by both and makes version 1; the next block from version 0 is one
  // version old: too old for the on-policy learner, fine for the replaying one
  h.run(&learner, {block_from_version(0), block_from_version(0), block_from_version(1)});
  EXPECT_EQ(on_policy.versions, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(replay.versions, (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(learner.dropped_blocks(), 0);  // some algorithm took every block
}

TEST(Learner, CountsABlockTooOldForEveryAlgorithmAsDropped) {
  CountingAlgorithm only(/*max_lag=*/0, /*update_every=*/1);
  Harness h;
  Learner learner({&only}, RunningNormalizer(2), h.context());
  h.run(&learner, {block_from_version(0), block_from_version(0), block_from_version(1)});
  EXPECT_EQ(only.versions, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(learner.dropped_blocks(), 1);
  EXPECT_EQ(learner.version(), 2);
  EXPECT_EQ(only.normalizer_count, 4);  // the dropped block's observations are not counted
}

TEST(Learner, RefusesAnEmptyListOfAlgorithms) {
  Harness h;
  EXPECT_THROW(Learner({}, RunningNormalizer(2), h.context()), std::invalid_argument);
}

}  // namespace
}  // namespace sinew
