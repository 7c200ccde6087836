#include "sinew/runtime/sync_gate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace sinew {
namespace {

using std::chrono::milliseconds;

TEST(SyncGate, LetsNoBlockStartBeforeTheLearnerSaysWhatItNeeds) {
  SyncGate gate;
  EXPECT_FALSE(gate.acquire(100, milliseconds(1)));
  gate.taken(0, 250);  // the learner started: 250 steps until the next update
  EXPECT_TRUE(gate.acquire(100, milliseconds(1)));
  EXPECT_TRUE(gate.acquire(100, milliseconds(1)));
  EXPECT_TRUE(gate.acquire(100, milliseconds(1)));  // 200 < 250: a third block still helps
  EXPECT_FALSE(gate.acquire(100, milliseconds(1)));
  EXPECT_EQ(gate.in_flight(), 300);
  gate.taken(100, 150);
  gate.taken(100, 50);
  EXPECT_FALSE(gate.acquire(100, milliseconds(1)));  // the one in flight covers the 50
  gate.taken(100, 250);                              // the update ran
  EXPECT_EQ(gate.in_flight(), 0);
  EXPECT_TRUE(gate.acquire(100, milliseconds(1)));
}

// Several actors and a learner that updates every `batch` steps, with `lead` steps of lead: the
// largest policy lag of the blocks the learner took (and nobody hangs).
int64_t largest_lag(int64_t lead) {
  constexpr int64_t kBlock = 10, kBatch = 30, kUpdates = 200;
  SyncGate gate(lead);
  std::mutex mutex;  // the "queue" and the published version
  std::vector<int64_t> queue;
  int64_t published = 0;
  std::atomic<bool> stop{false};
  std::vector<std::thread> actors;
  for (int a = 0; a < 3; ++a) {
    actors.emplace_back([&] {
      while (!stop) {
        if (!gate.acquire(kBlock, milliseconds(5))) continue;
        std::lock_guard lock(mutex);
        queue.push_back(published);  // collected with the newest parameters
      }
    });
  }
  int64_t version = 0, pending = 0, largest = 0;
  gate.taken(0, kBatch);
  while (version < kUpdates) {
    int64_t block_version = -1;
    {
      std::lock_guard lock(mutex);
      if (!queue.empty()) {
        block_version = queue.front();
        queue.erase(queue.begin());
      }
    }
    if (block_version < 0) {
      std::this_thread::yield();
      continue;
    }
    largest = std::max(largest, version - block_version);
    pending += kBlock;
    if (pending >= kBatch) {
      pending = 0;
      ++version;
      std::lock_guard lock(mutex);
      published = version;
    }
    gate.taken(kBlock, kBatch - pending);
  }
  stop = true;
  for (auto& t : actors) t.join();
  return largest;
}

TEST(SyncGate, WithoutLeadActorsOnlyEverActWithTheLearnersNewestVersion) {
  EXPECT_EQ(largest_lag(0), 0);
}

TEST(SyncGate, ALeadLetsActorsStartThatManyStepsMore) {
  SyncGate gate(/*lead_steps=*/100);
  gate.taken(0, 250);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(gate.acquire(100, milliseconds(1))) << i;  // 300 < 350
  EXPECT_FALSE(gate.acquire(100, milliseconds(1)));
}

TEST(SyncGate, ALeadOfOneBatchKeepsDataAtMostOneVersionOld) { EXPECT_LE(largest_lag(30), 1); }

}  // namespace
}  // namespace sinew
