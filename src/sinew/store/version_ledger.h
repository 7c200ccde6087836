// The version numbers and tags of one model name in a LocalModelStore, <store>/<name>/:
//   .claims/<N>/                 number N is taken for good (an empty folder, as every claim
//                                was before owners were recorded)
//   .claims/<N>/.push-<owner>    ... is being published by process <owner> (unique_hidden_name)
//   tags/<tag>                   the version a tag points to ("3\n"), replaced atomically
//   tags/.intent-<N>             "<tag>\n": version N, once its folder v<N> appears, carries
//                                <tag> (written before the rename that publishes v<N>)
//
// Publishing is claim() -> intend() -> rename(staging, v<N>) -> settle(). The rename is the one
// commit point a reader sees: before it, nothing; after it, v<N> with its tag, because readers
// let a published intent newer than the tag file win (tags(), tag()). A tag only moves forward:
// to a number above the one it holds, or off a removed version.
//
// What a killed publisher leaves is finished or undone by recover(), which every push, stage,
// list and removal runs: a claim whose owner is gone and whose v<N> exists is settled (its
// intent becomes the tag); one whose v<N> never appeared is given back, so the next push gets
// that number (numbers are not burned), and its intent is dropped. Numbers below a taken one
// are never handed out again, so a removed version's number is never reused. Owners on other
// hosts are never judged (hidden_owner_gone), so their claims wait.
//
// Threads and processes: every method may run concurrently with any other, in this or other
// processes; mkdir() and rename() decide every race.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sinew {

class VersionLedger {
 public:
  // The ledger of the name whose folder is `name_dir` (nothing is created until claim()).
  explicit VersionLedger(std::filesystem::path name_dir);

  // Takes the next free number for this process (mkdir: exactly one claimant gets each), after
  // recover(). Throws std::runtime_error when the claims folder cannot be written.
  int64_t claim();
  // Records that version `number` (claimed by this process) is to carry `tag`. Throws
  // std::runtime_error on I/O errors.
  void intend(int64_t number, const std::string& tag);
  // After v<number> was published: moves `tag` (if any) to it, drops the intent and marks the
  // number taken for good. Throws std::runtime_error on I/O errors.
  void settle(int64_t number, const std::optional<std::string>& tag);
  // When v<number> could not be published: its intent goes and the number is given back.
  void give_back(int64_t number);
  // Before v<number> is removed: its tags and intent go, its number stays taken. Errors ignored.
  void forget(int64_t number);

  // The numbers of the version folders present (v<N>/), ascending.
  std::vector<int64_t> versions() const;
  // tag -> version, sorted by tag, as readers see them (published intents included).
  std::vector<std::pair<std::string, int64_t>> tags() const;
  // The version `tag` points to, if any.
  std::optional<int64_t> tag(const std::string& tag) const;

  // Settles or gives back what publishers whose process is gone left (see above); returns one
  // line per thing done ("settled walker:4 (tag best)", "gave back number 5"). Errors ignored
  // (a read-only store is only read).
  std::vector<std::string> recover();

 private:
  std::filesystem::path version_dir(int64_t number) const;
  std::filesystem::path claims_dir() const;
  std::filesystem::path tags_dir() const;
  // the owner entry (".push-...") in claim `number`'s folder, if it has one
  std::optional<std::filesystem::path> owner_of(int64_t number) const;
  // {number, tag} of every intent file
  std::vector<std::pair<int64_t, std::string>> intents() const;
  // replaces tags/<tag> with `number` unless it holds a higher published version
  void move_tag_forward(const std::string& tag, int64_t number);

  const std::filesystem::path name_dir_;
};

}  // namespace sinew
