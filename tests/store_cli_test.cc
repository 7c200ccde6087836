// `sinew models` run the way a user runs it, against a store folder: a push killed by SIGKILL at
// each rename it makes (strace's fault injection) leaves a store that lists, verifies, pulls and
// takes the next push, with the tag on the old version or the new one, never between; `models
// gc` cleans what a killed push left; a removal whose rename fails changes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_process.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::run_process;

ProcessResult sinew_cmd(std::vector<std::string> args) {
  args.insert(args.begin(), SINEW_BINARY);
  return run_process(args, 120);
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// the store's versions of `name`: number -> listing entry
std::map<int64_t, nlohmann::json> listed(const fs::path& store, const std::string& name) {
  const ProcessResult r = sinew_cmd({"models", "list", "--store", store.string(), "--json", name});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<int64_t, nlohmann::json> out;
  if (r.exit_code != 0) return out;
  for (const auto& v : nlohmann::json::parse(r.out)) out[v.at("version").get<int64_t>()] = v;
  return out;
}

// hidden entries under the name's folder other than the claims folder, and owner files in it
std::vector<std::string> hidden_leftovers(const fs::path& name_dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(name_dir)) {
    const std::string n = e.path().filename().string();
    if (n[0] == '.' && n != ".claims") out.push_back(fs::relative(e.path(), name_dir).string());
  }
  return out;
}

constexpr const char* kStrace = "/usr/bin/strace";  // installed by scripts/install-deps.sh

// whether this machine lets strace trace a child (a container may forbid ptrace)
bool strace_can_trace() {
  return run_process({kStrace, "-qq", "-o", "/dev/null", "/bin/true"}, 30).exit_code == 0;
}

// `sinew models push ... walker:best` killed by SIGKILL at its `n`th rename
ProcessResult push_killed_at_rename(int n, const fs::path& store, const fs::path& file) {
  return run_process(
      {kStrace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2", "-e",
       "inject=rename,renameat,renameat2:signal=SIGKILL:when=" + std::to_string(n), SINEW_BINARY,
       "models", "push", "--store", store.string(), "--unverified", file.string(), "walker:best"},
      120);
}

TEST(StoreCli, APushKilledAtEachRenameLeavesAStoreThatListsVerifiesAndPushes) {
  ASSERT_TRUE(fs::exists(kStrace)) << "make deps installs strace";
  if (!strace_can_trace()) GTEST_SKIP() << "strace cannot trace here (ptrace forbidden)";
  const fs::path dir = testing::fresh_test_dir("sinew_store_cli_");
  const fs::path first = dir / "first.bin", second = dir / "second.bin", third = dir / "third.bin";
  write_text(first, std::string(4096, '1'));
  write_text(second, std::string(4096, '2'));
  write_text(third, std::string(4096, '3'));
  int killed_at = 0;
  for (int n = 1; n <= 12; ++n) {
    SCOPED_TRACE("SIGKILL at rename " + std::to_string(n));
    const fs::path store = dir / ("store" + std::to_string(n));
    auto push = [&](const fs::path& file) {
      return sinew_cmd({"models", "push", "--store", store.string(), "--unverified", file.string(),
                        "walker:best"});
    };
    ASSERT_EQ(push(first).exit_code, 0);
    const ProcessResult killed = push_killed_at_rename(n, store, second);
    if (killed.exit_code == 0) break;  // the push makes fewer than n renames
    ASSERT_EQ(killed.exit_code, 128 + 9) << killed.err;
    killed_at = n;
    // the store lists without a damaged version; the tag is on the newest version shown
    auto versions = listed(store, "walker");
    ASSERT_TRUE(versions.count(1));
    for (const auto& [number, v] : versions) EXPECT_FALSE(v.contains("problem")) << v.dump();
    const bool published = versions.count(2) == 1;
    EXPECT_EQ(versions.size(), published ? 2u : 1u);
    EXPECT_EQ(versions.rbegin()->second.at("tags"), nlohmann::json::array({"best"}));
    // the next push gets the next number: none burned
    ASSERT_EQ(push(third).exit_code, 0);
    versions = listed(store, "walker");
    const int64_t next = published ? 3 : 2;
    ASSERT_EQ(versions.rbegin()->first, next);
    EXPECT_EQ(versions.rbegin()->second.at("tags"), nlohmann::json::array({"best"}));
    const ProcessResult pulled =
        sinew_cmd({"models", "pull", "--store", store.string(), "walker:best",
                   (dir / ("pulled" + std::to_string(n))).string()});
    ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
    EXPECT_EQ(testing::read_file(dir / ("pulled" + std::to_string(n)) / "third.bin"),
              std::string(4096, '3'));
    // nothing hidden is left behind, and gc finds nothing more
    EXPECT_TRUE(hidden_leftovers(store / "walker").empty())
        << ::testing::PrintToString(hidden_leftovers(store / "walker"));
    const ProcessResult gc = sinew_cmd({"models", "gc", "--store", store.string()});
    EXPECT_EQ(gc.exit_code, 0) << gc.err;
    EXPECT_NE(gc.out.find("nothing to clean"), std::string::npos) << gc.out;
  }
  // a push renames its tag intent, its staging folder and its tag file: all three were cut
  EXPECT_GE(killed_at, 3);
}

// `models rm` whose first rename (the commit point) fails as it would without permission on the
// folder changes nothing: the version and its tag stay. (Tests run as root, which a chmod does
// not stop, so strace makes the rename fail with EACCES.)
TEST(StoreCli, AFailedRemovalLeavesTheVersionAndItsTag) {
  ASSERT_TRUE(fs::exists(kStrace)) << "make deps installs strace";
  if (!strace_can_trace()) GTEST_SKIP() << "strace cannot trace here (ptrace forbidden)";
  const fs::path dir = testing::fresh_test_dir("sinew_store_cli_");
  const fs::path store = dir / "models", file = dir / "policy.bin";
  write_text(file, std::string(4096, 'p'));
  ASSERT_EQ(sinew_cmd({"models", "push", "--store", store.string(), "--unverified", file.string(),
                       "walker:best"})
                .exit_code,
            0);
  const ProcessResult denied =
      run_process({kStrace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
                   "-e", "inject=rename,renameat,renameat2:error=EACCES:when=1", SINEW_BINARY,
                   "models", "rm", "--store", store.string(), "walker:best"},
                  120);
  EXPECT_EQ(denied.exit_code, 1) << denied.err;
  EXPECT_NE(denied.err.find("Permission denied"), std::string::npos) << denied.err;
  const auto versions = listed(store, "walker");
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions.at(1).at("tags"), nlohmann::json::array({"best"}));
  EXPECT_FALSE(versions.at(1).contains("problem"));
  EXPECT_TRUE(hidden_leftovers(store / "walker").empty())
      << ::testing::PrintToString(hidden_leftovers(store / "walker"));
  // and without the fault it goes
  EXPECT_EQ(sinew_cmd({"models", "rm", "--store", store.string(), "walker:best"}).exit_code, 0);
  EXPECT_TRUE(listed(store, "walker").empty());
}

TEST(StoreCli, GcReportsWhatAKilledPushLeftAndRefusesAUrl) {
  ASSERT_TRUE(fs::exists(kStrace)) << "make deps installs strace";
  if (!strace_can_trace()) GTEST_SKIP() << "strace cannot trace here (ptrace forbidden)";
  const fs::path dir = testing::fresh_test_dir("sinew_store_cli_");
  const fs::path store = dir / "models", file = dir / "policy.bin";
  write_text(file, std::string(1 << 20, 'x'));
  // killed at its second rename: the staging folder is about to become v1
  const ProcessResult killed = push_killed_at_rename(2, store, file);
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.err;
  ASSERT_FALSE(hidden_leftovers(store / "walker").empty());
  const ProcessResult gc = sinew_cmd({"models", "gc", "--store", store.string()});
  ASSERT_EQ(gc.exit_code, 0) << gc.err;
  EXPECT_NE(gc.out.find("gave back walker:1"), std::string::npos) << gc.out;
  EXPECT_NE(gc.out.find(".staging-"), std::string::npos) << gc.out;
  EXPECT_TRUE(hidden_leftovers(store / "walker").empty())
      << ::testing::PrintToString(hidden_leftovers(store / "walker"));
  EXPECT_NE(sinew_cmd({"models", "gc", "--store", store.string()}).out.find("nothing to clean"),
            std::string::npos);
  const ProcessResult url = sinew_cmd({"models", "gc", "--store", "http://127.0.0.1:9"});
  EXPECT_EQ(url.exit_code, 2);
  EXPECT_NE(url.err.find("gc needs a folder"), std::string::npos) << url.err;
}

}  // namespace
}  // namespace sinew
