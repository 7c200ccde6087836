// LocalModelStore: push/show/list/pull/remove, verification of every read, refusals, and
// concurrent pushes from threads and processes.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

#include "sinew/core/errors.h"
#include "sinew/store/local_model_store.h"
#include "sinew/store/model_version.h"
#include "sinew/store/pull_staging.h"
#include "sinew/store/version_folder.h"
#include "sinew/store/version_staging.h"
#include "store_test_util.h"

namespace sinew {
namespace {

namespace fs = std::filesystem;
using testing::entries_under;
using testing::make_artifact;
using testing::read_bytes;
using testing::ScratchDir;
using testing::write_bytes;

// the version numbers in a listing
std::vector<int64_t> numbers(const std::vector<ModelVersion>& versions) {
  std::vector<int64_t> out;
  for (const auto& v : versions) out.push_back(v.version);
  return out;
}

// the message of the UserError `action` throws, or "(no UserError)"
template <typename F>
std::string user_error_of(F action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no UserError)";
}

struct StoreTest : ::testing::Test {
  ScratchDir scratch{"model_store"};
  fs::path root = scratch / "store";
  LocalModelStore store{root};
};

TEST_F(StoreTest, PushShowListPullAndRemoveRoundTrip) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  ModelVersion first = store.push(artifact, "walker", "best", {{"env", "walker2d"}});
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.files.size(), 3u);
  EXPECT_EQ(first.tags, std::vector<std::string>{"best"});
  EXPECT_EQ(first.created.size(), 20u);  // 2024-05-01T12:00:00Z

  // show by every kind of reference
  for (const char* text : {"walker", "walker:latest", "walker:1", "walker:best"}) {
    ModelVersion shown = store.show(ModelRef::parse(text));
    EXPECT_EQ(shown.version, 1) << text;
    EXPECT_EQ(shown.metadata["env"], "walker2d");
    EXPECT_EQ(shown.manifest_sha256, first.manifest_sha256);
    EXPECT_EQ(shown.tags, std::vector<std::string>{"best"});
  }

  // pull reproduces the artifact byte for byte
  const fs::path pulled = store.pull(ModelRef::parse("walker:best"), scratch / "out");
  EXPECT_EQ(entries_under(pulled), entries_under(artifact));
  for (const auto& f : first.files) {
    EXPECT_EQ(read_bytes(pulled / f.path), read_bytes(artifact / f.path)) << f.path;
  }

  // a second version takes the tag; latest follows
  make_artifact(artifact, "b");
  ModelVersion second = store.push(artifact, "walker", "best", {});
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(store.show(ModelRef::parse("walker:best")).version, 2);
  EXPECT_TRUE(store.show(ModelRef::parse("walker:1")).tags.empty());
  EXPECT_EQ(store.show(ModelRef::parse("walker")).version, 2);
  store.push(artifact / "models/policy.pt", "runner", std::nullopt, {});
  EXPECT_EQ(numbers(store.list(std::nullopt)), (std::vector<int64_t>{1, 1, 2}));
  EXPECT_EQ(store.list(std::nullopt)[0].name, "runner");
  EXPECT_EQ(numbers(store.list("walker")), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(store.list("nobody").empty());

  // local_path is the verified folder of files
  const fs::path local = store.local_path(ModelRef::parse("walker:1"));
  EXPECT_EQ(read_bytes(local / "manifest.json"), read_bytes(pulled / "manifest.json"));

  // removing by tag removes that version and the tag
  store.remove(ModelRef::parse("walker:best"));
  EXPECT_EQ(numbers(store.list("walker")), (std::vector<int64_t>{1}));
  EXPECT_THROW(store.show(ModelRef::parse("walker:best")), ModelNotFound);
  store.remove(ModelRef::parse("walker:1"));
  EXPECT_TRUE(store.list("walker").empty());
  EXPECT_THROW(store.show(ModelRef::parse("walker")), ModelNotFound);
  // no leftovers of the removals
  for (const auto& entry : entries_under(root / "walker")) {
    EXPECT_EQ(entry.find("removing"), std::string::npos) << entry;
    EXPECT_EQ(entry.find("staging"), std::string::npos) << entry;
  }
}

TEST_F(StoreTest, SingleFileIsStoredUnderItsName) {
  write_bytes(scratch / "policy.pt", "weights");
  ModelVersion v = store.push(scratch / "policy.pt", "walker", std::nullopt, nullptr);
  ASSERT_EQ(v.files.size(), 1u);
  EXPECT_EQ(v.files[0].path, "policy.pt");
  EXPECT_EQ(v.files[0].size, 7u);
  EXPECT_EQ(read_bytes(store.local_path(ModelRef::parse("walker")) / "policy.pt"), "weights");
}

TEST_F(StoreTest, VersionNumbersAreNeverReused) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  store.push(artifact, "walker", std::nullopt, {});
  store.push(artifact, "walker", std::nullopt, {});
  store.remove(ModelRef::parse("walker:2"));
  EXPECT_EQ(store.push(artifact, "walker", std::nullopt, {}).version, 3);
}

TEST_F(StoreTest, RemoveNeedsAnExplicitVersionOrTag) {
  store.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  EXPECT_THROW(store.remove(ModelRef::parse("walker")), UserError);
  EXPECT_THROW(store.remove(ModelRef::parse("walker:latest")), UserError);
  EXPECT_THROW(store.remove(ModelRef::parse("walker:7")), ModelNotFound);
  EXPECT_THROW(store.remove(ModelRef::parse("walker:nope")), ModelNotFound);
  EXPECT_EQ(store.list("walker").size(), 1u);
}

TEST_F(StoreTest, BadNamesAndTagsAreRefusedBeforeAnythingIsWritten) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  for (const char* bad : {"../x", "a/b", "..", "/abs", ""}) {
    EXPECT_THROW(store.push(artifact, bad, std::nullopt, {}), UserError) << bad;
  }
  for (const char* bad : {"../x", "a/b", "latest", "3"}) {
    EXPECT_THROW(store.push(artifact, "walker", bad, {}), UserError) << bad;
  }
  EXPECT_THROW(store.push(artifact, "walker", std::nullopt, nlohmann::json::array()), UserError);
  EXPECT_FALSE(fs::exists(root));
  EXPECT_FALSE(fs::exists(scratch / "x"));
}

TEST_F(StoreTest, LinksAndSpecialFilesAreRefused) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  fs::create_symlink("/etc/passwd", artifact / "passwd");
  std::string message = user_error_of([&] { store.push(artifact, "walker", std::nullopt, {}); });
  EXPECT_NE(message.find("passwd is a link"), std::string::npos) << message;
  fs::remove(artifact / "passwd");
  ASSERT_EQ(::mkfifo((artifact / "pipe").c_str(), 0600), 0);
  message = user_error_of([&] { store.push(artifact, "walker", std::nullopt, {}); });
  EXPECT_NE(message.find("pipe is not a regular file"), std::string::npos) << message;
  EXPECT_THROW(store.push(scratch / "missing", "walker", std::nullopt, {}), UserError);
  fs::create_directories(scratch / "empty");
  EXPECT_THROW(store.push(scratch / "empty", "walker", std::nullopt, {}), UserError);
  EXPECT_TRUE(store.list("walker").empty());
}

TEST_F(StoreTest, TamperedFileIsReportedOnPullShowAndLocalPath) {
  store.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  const fs::path files = root / "walker/v1/files";
  const std::string good = read_bytes(files / "models/policy.pt");
  std::string bad = good;
  bad[10] = 'X';  // same size, other bytes
  write_bytes(files / "models/policy.pt", bad);
  const ModelRef ref = ModelRef::parse("walker:1");
  std::string message = user_error_of([&] { store.pull(ref, scratch / "out"); });
  EXPECT_NE(message.find("model walker:1: models/policy.pt fails its SHA-256"), std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(scratch / "out"));  // nothing half-pulled
  // no hidden staging of the pull beside it either
  std::vector<std::string> top;
  for (const auto& e : fs::directory_iterator(scratch.path())) {
    top.push_back(e.path().filename().string());
  }
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, (std::vector<std::string>{"ckpt", "store"}));
  EXPECT_THROW(store.show(ref), UserError);
  EXPECT_THROW(store.local_path(ref), UserError);

  // truncated
  write_bytes(files / "models/policy.pt", good.substr(0, 100));
  message = user_error_of([&] { store.show(ref); });
  EXPECT_NE(message.find("has 100 bytes"), std::string::npos) << message;

  // an unlisted file
  write_bytes(files / "models/policy.pt", good);
  EXPECT_NO_THROW(store.show(ref));
  write_bytes(files / "extra.py", "import os");
  message = user_error_of([&] { store.local_path(ref); });
  EXPECT_NE(message.find("extra.py is not listed"), std::string::npos) << message;
  fs::remove(files / "extra.py");

  // a link in place of a listed file
  fs::rename(files / "manifest.json", scratch / "moved.json");
  fs::create_symlink(scratch / "moved.json", files / "manifest.json");
  message = user_error_of([&] { store.pull(ref, scratch / "out"); });
  EXPECT_NE(message.find("manifest.json is a link"), std::string::npos) << message;
}

TEST_F(StoreTest, EditedDescriptionIsReportedAndListedAsAProblem) {
  store.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {{"score", 1}});
  std::string text = read_bytes(root / "walker/v1/version.json");
  text.replace(text.find("\"score\": 1"), 10, "\"score\": 9");
  write_bytes(root / "walker/v1/version.json", text);
  std::string message = user_error_of([&] { store.show(ModelRef::parse("walker")); });
  EXPECT_NE(message.find("version.json does not match version.sha256"), std::string::npos)
      << message;
  auto listed = store.list("walker");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_NE(listed[0].problem.find("does not match"), std::string::npos);
}

TEST_F(StoreTest, PullRefusesANonEmptyDestination) {
  store.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  write_bytes(scratch / "full/keep.txt", "mine");
  EXPECT_THROW(store.pull(ModelRef::parse("walker"), scratch / "full"), UserError);
  EXPECT_EQ(read_bytes(scratch / "full/keep.txt"), "mine");
  fs::create_directories(scratch / "empty");
  EXPECT_NO_THROW(store.pull(ModelRef::parse("walker"), scratch / "empty/"));
  EXPECT_TRUE(fs::is_regular_file(scratch / "empty/models/policy.pt"));
}

TEST_F(StoreTest, CommitOfAStagingChecksTheDeclaredFiles) {
  const std::vector<ModelFile> declared{
      {"a.bin", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}};  // "abc"
  {
    auto staging = store.stage("walker");
    write_bytes(staging->file("a.bin"), "abd");
    const std::string message = user_error_of([&] { store.commit(*staging, {}, {}, &declared); });
    EXPECT_NE(message.find("a.bin does not match its declared SHA-256"), std::string::npos)
        << message;
  }
  {
    auto staging = store.stage("walker");
    write_bytes(staging->file("a.bin"), "ab");
    EXPECT_THROW(store.commit(*staging, {}, {}, &declared), UserError);
  }
  {
    auto staging = store.stage("walker");
    write_bytes(staging->file("a.bin"), "abc");
    write_bytes(staging->file("b.bin"), "extra");
    EXPECT_THROW(store.commit(*staging, {}, {}, &declared), UserError);
  }
  // no version and no staging left behind
  EXPECT_TRUE(store.list("walker").empty());
  EXPECT_EQ(entries_under(root / "walker"), std::vector<std::string>{});
  auto staging = store.stage("walker");
  write_bytes(staging->file("a.bin"), "abc");
  EXPECT_EQ(store.commit(*staging, "ok", {}, &declared).version, 1);
}

TEST_F(StoreTest, ConcurrentPushesFromThreadsGetDistinctVersions) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  constexpr int kThreads = 8;
  std::vector<int64_t> got(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      got[i] = store.push(artifact, "walker", "last", {{"thread", i}}).version;
    });
  }
  for (auto& t : threads) t.join();
  std::sort(got.begin(), got.end());
  std::vector<int64_t> expected(kThreads);
  for (int i = 0; i < kThreads; ++i) expected[i] = i + 1;
  EXPECT_EQ(got, expected);
  EXPECT_EQ(numbers(store.list("walker")), expected);
  for (const auto& v : store.list("walker")) EXPECT_TRUE(v.problem.empty()) << v.problem;
  EXPECT_NO_THROW(store.show(ModelRef::parse("walker:last")));
}

TEST_F(StoreTest, ConcurrentPushesFromProcessesGetDistinctVersions) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  constexpr int kProcesses = 4;
  constexpr int kPushesEach = 3;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // the child: its own store object on the same folder; no gtest here
      int failures = 0;
      try {
        LocalModelStore mine(root);
        for (int i = 0; i < kPushesEach; ++i) {
          mine.push(artifact, "walker", std::nullopt, {{"process", p}});
        }
      } catch (...) {
        failures = 1;
      }
      ::_exit(failures);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::vector<int64_t> expected(kProcesses * kPushesEach);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<int64_t>(i) + 1;
  EXPECT_EQ(numbers(store.list("walker")), expected);
  EXPECT_NO_THROW(store.show(ModelRef::parse("walker:12")));
}

// A push, a removal and a pull whose process died leave hidden folders; the next operation on
// that name (or that destination) removes them, and leaves those of live processes alone.
TEST_F(StoreTest, WhatKilledTransfersLeftIsRemovedAtTheNextOperation) {
  store.push(make_artifact(scratch / "ckpt"), "walker", "best", {});
  const fs::path dest = scratch / "pulled";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // dies in the middle: _exit runs no destructor, as SIGKILL would
    auto staging = store.stage("walker");
    write_bytes(staging->file("big.bin"), std::string(1 << 16, 'x'));
    auto* pull = new PullStaging(dest);
    write_bytes(pull->file("half.bin"), "half");
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  char host[64] = {};
  ::gethostname(host, sizeof(host) - 1);
  const std::string dead = fmt::format("{}-{}-0123456789abcdef", host, child);
  fs::create_directories(root / "walker" / (".removing-1-" + dead) / "files");
  write_bytes(root / "walker" / "tags" / (".best-" + dead), "7\n");
  auto live = store.stage("walker");  // this process's own: kept
  auto hidden = [&](const fs::path& folder) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(folder)) {
      const std::string n = e.path().filename().string();
      if (n[0] == '.' && n != ".claims") out.push_back(n);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  // stage() above already cleaned: only the live staging is left
  std::vector<std::string> left = hidden(root / "walker");
  ASSERT_EQ(left.size(), 1u) << ::testing::PrintToString(left);
  EXPECT_EQ(fs::path(left[0]), live->folder().filename());
  EXPECT_TRUE(hidden(root / "walker" / "tags").empty());
  EXPECT_EQ(hidden(scratch.path()).size(), 1u);  // the dead pull's sibling, until the next pull
  store.pull(ModelRef::parse("walker:best"), dest);
  EXPECT_TRUE(hidden(scratch.path()).empty()) << ::testing::PrintToString(hidden(scratch.path()));
  EXPECT_TRUE(fs::is_regular_file(dest / "manifest.json") || !fs::is_empty(dest));
  EXPECT_EQ(numbers(store.list("walker")), std::vector<int64_t>{1});
  EXPECT_EQ(store.show(ModelRef::parse("walker:best")).version, 1);
}

TEST(ModelFiles, ANegativeSizeIsRefusedAndShownAsGiven) {
  const nlohmann::json files = nlohmann::json::parse(
      R"([{"path": "a.bin", "size": -1, "sha256": ")" + std::string(64, 'a') + R"("}])");
  const std::string message = user_error_of([&] { files_from_json(files, "upload"); });
  EXPECT_NE(message.find("a.bin has size -1"), std::string::npos) << message;
  EXPECT_EQ(message.find("18446744073709551615"), std::string::npos) << message;
}

TEST_F(StoreTest, UnknownModelsVersionsAndTagsAreNotFound) {
  EXPECT_THROW(store.show(ModelRef::parse("walker")), ModelNotFound);
  store.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  EXPECT_THROW(store.show(ModelRef::parse("walker:2")), ModelNotFound);
  EXPECT_THROW(store.pull(ModelRef::parse("walker:best"), scratch / "out"), ModelNotFound);
  EXPECT_FALSE(fs::exists(scratch / "out"));
}

}  // namespace
}  // namespace sinew
