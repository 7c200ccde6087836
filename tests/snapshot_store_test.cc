#include "sinew/transport/snapshot_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace sinew {
namespace {

// A snapshot whose payload is derivable from its version, so a torn read is detectable.
struct Payload {
  long version = 0;
  std::vector<long> values;
  explicit Payload(long v) : version(v), values(64, v * 3) {}
};

TEST(SnapshotStore, ReturnsTheNewestPublishedSnapshot) {
  SnapshotStore<Payload> store;
  EXPECT_EQ(store.latest(), nullptr);
  store.publish(std::make_shared<Payload>(1));
  store.publish(std::make_shared<Payload>(2));
  EXPECT_EQ(store.latest()->version, 2);
}

TEST(SnapshotStore, ReaderKeepsItsSnapshotAfterNewerOnesArePublished) {
  SnapshotStore<Payload> store(std::make_shared<Payload>(1));
  auto held = store.latest();
  for (long v = 2; v < 100; ++v) store.publish(std::make_shared<Payload>(v));
  EXPECT_EQ(held->version, 1);
  EXPECT_EQ(held->values[10], 3);
}

TEST(SnapshotStore, ConcurrentReadersSeeWholeMonotonicSnapshots) {
  SnapshotStore<Payload> store(std::make_shared<Payload>(0));
  std::atomic<bool> done{false};
  std::atomic<long> reads{0};
  std::atomic<bool> bad{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 6; ++r) {
    readers.emplace_back([&] {
      long last = 0;
      while (!done.load()) {
        auto s = store.latest();
        if (s->version < last) bad = true;
        for (long x : s->values) {
          if (x != s->version * 3) bad = true;
        }
        last = s->version;
        reads++;
      }
    });
  }
  std::thread writer([&] {
    for (long v = 1; v <= 20000; ++v) store.publish(std::make_shared<Payload>(v));
    done = true;
  });
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_FALSE(bad.load());
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(store.latest()->version, 20000);
}

}  // namespace
}  // namespace sinew
