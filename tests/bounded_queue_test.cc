#include "sinew/transport/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace sinew {
namespace {

using std::chrono::milliseconds;

TEST(BoundedQueue, KeepsFifoOrder) {
  BoundedQueue<int> q(/*capacity=*/4);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(q.push(i));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(*q.pop(), i);
}

TEST(BoundedQueue, PushTimesOutWhenFullAndPopWhenEmpty) {
  BoundedQueue<int> q(/*capacity=*/1);
  int a = 1, b = 2;
  ASSERT_TRUE(q.push(a));
  EXPECT_FALSE(q.push(b, milliseconds(20)));
  EXPECT_EQ(b, 2);  // a failed push leaves the item alone
  EXPECT_EQ(*q.pop(milliseconds(20)), 1);
  EXPECT_FALSE(q.pop(milliseconds(20)).has_value());
}

TEST(BoundedQueue, CloseWakesBlockedProducersAndConsumers) {
  BoundedQueue<int> full(/*capacity=*/1), empty(/*capacity=*/1);
  int x = 0;
  full.push(x);
  std::atomic<int> woke{0};
  std::thread producer([&] {
    int y = 1;
    if (!full.push(y)) woke++;
  });
  std::thread consumer([&] {
    if (!empty.pop().has_value()) woke++;
  });
  std::this_thread::sleep_for(milliseconds(50));
  full.close();
  empty.close();
  producer.join();
  consumer.join();
  EXPECT_EQ(woke.load(), 2);
}

TEST(BoundedQueue, DrainsRemainingItemsAfterClose) {
  BoundedQueue<int> q(/*capacity=*/3);
  for (int i = 0; i < 3; ++i) q.push(i);
  q.close();
  int more = 9;
  EXPECT_FALSE(q.push(more));
  EXPECT_EQ(*q.pop(), 0);
  EXPECT_EQ(*q.pop(), 1);
  EXPECT_EQ(*q.pop(), 2);
  EXPECT_FALSE(q.pop().has_value());
}

TEST(BoundedQueue, ManyProducersAndConsumersLoseAndDuplicateNothing) {
  constexpr int kProducers = 6, kConsumers = 4, kPerProducer = 20000;
  BoundedQueue<int> q(/*capacity=*/8);
  std::vector<std::atomic<int>> seen(kProducers * kPerProducer);
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        int item = p * kPerProducer + i;
        ASSERT_TRUE(q.push(item));
      }
    });
  }
  std::atomic<int> consumed{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&] {
      while (auto item = q.pop()) {
        seen[*item]++;
        consumed++;
      }
    });
  }
  for (auto& t : threads) t.join();
  // producers are done: close, consumers drain and exit
  q.close();
  for (auto& t : consumers) t.join();
  EXPECT_EQ(consumed.load(), kProducers * kPerProducer);
  for (auto& s : seen) ASSERT_EQ(s.load(), 1);
}

TEST(BoundedQueue, ShutdownWhileManyThreadsAreBlocked) {
  for (int round = 0; round < 20; ++round) {
    BoundedQueue<int> q(/*capacity=*/2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        int v = 0;
        while (q.push(v)) {
        }
      });
      threads.emplace_back([&] {
        while (q.pop(milliseconds(1)).has_value() || !q.closed()) {
        }
      });
    }
    std::this_thread::sleep_for(milliseconds(5));
    q.close();
    for (auto& t : threads) t.join();
  }
}

}  // namespace
}  // namespace sinew
