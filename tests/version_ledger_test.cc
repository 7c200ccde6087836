// VersionLedger: version numbers and tags of one name, and what recover() does with the work
// of a publisher killed at each step (claim, intent, publishing rename, tag).
#include "sinew/store/version_ledger.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "store_test_util.h"

namespace sinew {
namespace {

namespace fs = std::filesystem;
using testing::read_bytes;
using testing::ScratchDir;

struct LedgerTest : ::testing::Test {
  ScratchDir scratch{"version_ledger"};
  fs::path name_dir = scratch / "walker";
  VersionLedger ledger{name_dir};

  // runs `steps` in a child process that then dies without settling anything
  void in_a_process_that_dies(const std::function<void(VersionLedger&)>& steps) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      VersionLedger mine(name_dir);
      steps(mine);
      ::_exit(0);  // no destructor runs, as under SIGKILL
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  // what a push does between its claim and its settle: the version folder appears
  void publish(int64_t number) {
    fs::create_directories(name_dir / ("v" + std::to_string(number)));
  }
  // a version published and settled by this process
  int64_t push(const std::optional<std::string>& tag) {
    const int64_t n = ledger.claim();
    if (tag) ledger.intend(n, *tag);
    publish(n);
    ledger.settle(n, tag);
    return n;
  }
  // hidden entries a settled ledger should not have: intents, temps, owners
  std::vector<std::string> leftovers() const {
    std::vector<std::string> out;
    std::error_code ignored;
    for (fs::recursive_directory_iterator it(name_dir, ignored), end; it != end;
         it.increment(ignored)) {
      const std::string n = it->path().filename().string();
      if (n[0] == '.' && n != ".claims") out.push_back(fs::relative(it->path(), name_dir));
    }
    return out;
  }
};

TEST_F(LedgerTest, NumbersCountUpAndARemovedVersionsNumberIsNeverReused) {
  EXPECT_EQ(push("best"), 1);
  EXPECT_EQ(push(std::nullopt), 2);
  ledger.forget(2);
  fs::remove_all(name_dir / "v2");
  EXPECT_EQ(push(std::nullopt), 3);
  EXPECT_EQ(ledger.versions(), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(ledger.tag("best"), 1);
  EXPECT_TRUE(leftovers().empty()) << ::testing::PrintToString(leftovers());
}

TEST_F(LedgerTest, ATagMovesOnlyForwardOrOffARemovedVersion) {
  const int64_t first = ledger.claim();
  const int64_t second = ledger.claim();
  publish(first);
  publish(second);
  ledger.settle(second, "best");
  ledger.settle(first, "best");  // a slower concurrent push of an older number
  EXPECT_EQ(ledger.tag("best"), second);
  ledger.forget(second);
  fs::remove_all(name_dir / ("v" + std::to_string(second)));
  EXPECT_EQ(ledger.tag("best"), std::nullopt);
  const int64_t third = push(std::nullopt);
  ledger.settle(first, "best");  // moving it back onto a version that exists is allowed
  EXPECT_EQ(ledger.tag("best"), first);
  EXPECT_EQ(third, 3);
}

TEST_F(LedgerTest, APublisherKilledAfterItsClaimGivesTheNumberBack) {
  push("best");
  in_a_process_that_dies([](VersionLedger& mine) { EXPECT_EQ(mine.claim(), 2); });
  const auto done = ledger.recover();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0], "gave back walker:2 (its push was killed)");
  EXPECT_EQ(push(std::nullopt), 2) << "the number is not burned";
  EXPECT_TRUE(leftovers().empty()) << ::testing::PrintToString(leftovers());
}

TEST_F(LedgerTest, AnIntentOfAVersionNeverPublishedIsNotSeenAndIsDropped) {
  push("best");
  in_a_process_that_dies([](VersionLedger& mine) { mine.intend(mine.claim(), "best"); });
  EXPECT_EQ(ledger.tag("best"), 1);
  EXPECT_EQ(ledger.tags(), (std::vector<std::pair<std::string, int64_t>>{{"best", 1}}));
  EXPECT_EQ(ledger.claim(), 2) << "claim() recovers first: the dead claim is given back";
  EXPECT_TRUE(fs::exists(name_dir / ".claims" / "2"));
  EXPECT_FALSE(fs::exists(name_dir / "tags" / ".intent-2"));
}

TEST_F(LedgerTest, AVersionPublishedBeforeItsTagWasWrittenCarriesTheTagAtOnce) {
  push("best");
  in_a_process_that_dies([this](VersionLedger& mine) {
    const int64_t n = mine.claim();
    mine.intend(n, "best");
    publish(n);
  });
  // a reader sees version 2 and its tag together, before anything is recovered
  EXPECT_EQ(ledger.tag("best"), 2);
  EXPECT_EQ(ledger.tags(), (std::vector<std::pair<std::string, int64_t>>{{"best", 2}}));
  EXPECT_EQ(read_bytes(name_dir / "tags" / "best"), "1\n");
  const auto done = ledger.recover();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0], "settled walker:2 (tag best)");
  EXPECT_EQ(read_bytes(name_dir / "tags" / "best"), "2\n");
  EXPECT_TRUE(leftovers().empty()) << ::testing::PrintToString(leftovers());
  EXPECT_EQ(push(std::nullopt), 3);
  EXPECT_TRUE(ledger.recover().empty());
}

TEST_F(LedgerTest, ALivePublishersClaimIsLeftAlone) {
  const int64_t mine = ledger.claim();  // this process: alive
  ledger.intend(mine, "best");
  EXPECT_TRUE(ledger.recover().empty());
  EXPECT_EQ(ledger.claim(), mine + 1);
  EXPECT_TRUE(fs::exists(name_dir / "tags" / ".intent-1"));
  EXPECT_EQ(ledger.tag("best"), std::nullopt) << "not published yet";
}

TEST_F(LedgerTest, ClaimsOfAnOlderStoreAreTakenForGood) {
  // before owners were recorded every claim was an empty folder
  fs::create_directories(name_dir / ".claims" / "1");
  fs::create_directories(name_dir / ".claims" / "2");
  publish(1);
  EXPECT_TRUE(ledger.recover().empty());
  EXPECT_EQ(ledger.claim(), 3);
}

}  // namespace
}  // namespace sinew
