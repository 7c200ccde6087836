#include "sinew/store/version_ledger.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/core/yaml_scalar.h"
#include "sinew/store/model_ref.h"
#include "sinew/store/version_folder.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

constexpr const char* kClaimsFolder = ".claims";
constexpr const char* kTagsFolder = "tags";
constexpr const char* kOwnerStem = "push";
constexpr const char* kIntentPrefix = ".intent-";

// "12\n" -> 12; nullopt for anything that is not a number >= 1
std::optional<int64_t> number_in(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  auto value = parse_int(text);
  if (!value || *value < 1) return std::nullopt;
  return value;
}

// "v12" -> 12; nullopt for anything else
std::optional<int64_t> version_of_folder(const std::string& folder) {
  if (folder.size() < 2 || folder[0] != 'v' || folder[1] == '0') return std::nullopt;
  return parse_int(folder.substr(1));
}

// a small file's text, or nullopt when it is gone or unreadable
std::optional<std::string> text_of(const fs::path& path) {
  try {
    return read_text_file(path);
  } catch (const UserError&) {
    return std::nullopt;
  }
}

// `folder`/`final_name` holding `text`, written through a hidden temp and a rename
void write_replacing(const fs::path& folder, const std::string& final_name, const std::string& stem,
                     const std::string& text) {
  fs::create_directories(folder);
  const fs::path temp = folder / unique_hidden_name(stem);
  try {
    write_file(temp, text);
    fsync_path(temp);
    fs::rename(temp, folder / final_name);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
  fsync_path(folder);
}

}  // namespace

VersionLedger::VersionLedger(fs::path name_dir) : name_dir_(std::move(name_dir)) {}

fs::path VersionLedger::version_dir(int64_t number) const {
  return name_dir_ / fmt::format("v{}", number);
}
fs::path VersionLedger::claims_dir() const { return name_dir_ / kClaimsFolder; }
fs::path VersionLedger::tags_dir() const { return name_dir_ / kTagsFolder; }

std::vector<int64_t> VersionLedger::versions() const {
  std::vector<int64_t> out;
  std::error_code error;
  for (fs::directory_iterator it(name_dir_, error), end; !error && it != end; it.increment(error)) {
    if (!it->is_directory()) continue;
    if (auto v = version_of_folder(it->path().filename().string())) out.push_back(*v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<fs::path> VersionLedger::owner_of(int64_t number) const {
  const std::string prefix = fmt::format(".{}-", kOwnerStem);
  std::error_code error;
  for (fs::directory_iterator it(claims_dir() / std::to_string(number), error), end;
       !error && it != end; it.increment(error)) {
    if (it->path().filename().string().rfind(prefix, 0) == 0) return it->path();
  }
  return std::nullopt;
}

std::vector<std::pair<int64_t, std::string>> VersionLedger::intents() const {
  std::vector<std::pair<int64_t, std::string>> out;
  std::error_code error;
  for (fs::directory_iterator it(tags_dir(), error), end; !error && it != end;
       it.increment(error)) {
    const std::string filename = it->path().filename().string();
    if (filename.rfind(kIntentPrefix, 0) != 0) continue;
    const auto number = number_in(filename.substr(std::strlen(kIntentPrefix)));
    auto text = text_of(it->path());
    if (!number || !text) continue;  // a temp file, or settled meanwhile
    while (!text->empty() && text->back() == '\n') text->pop_back();
    try {
      check_model_tag(*text);
    } catch (const UserError&) {
      continue;  // not one we wrote
    }
    out.emplace_back(*number, *text);
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> VersionLedger::tags() const {
  std::map<std::string, int64_t> held;
  std::error_code error;
  for (fs::directory_iterator it(tags_dir(), error), end; !error && it != end;
       it.increment(error)) {
    const std::string tag = it->path().filename().string();
    if (tag.empty() || tag[0] == '.' || !it->is_regular_file()) continue;  // temps, intents
    const auto text = text_of(it->path());
    if (!text) continue;  // removed meanwhile
    if (auto v = number_in(*text)) held[tag] = *v;
  }
  for (const auto& [number, tag] : intents()) {
    if (!fs::is_directory(version_dir(number))) continue;  // not published (yet, or ever)
    auto found = held.find(tag);
    if (found == held.end() || found->second < number) held[tag] = number;
  }
  return {held.begin(), held.end()};
}

std::optional<int64_t> VersionLedger::tag(const std::string& tag) const {
  std::optional<int64_t> held;
  if (auto text = text_of(tags_dir() / tag)) held = number_in(*text);
  for (const auto& [number, intended] : intents()) {
    if (intended != tag || !fs::is_directory(version_dir(number))) continue;
    if (!held || *held < number) held = number;
  }
  return held;
}

void VersionLedger::move_tag_forward(const std::string& tag, int64_t number) {
  check_model_tag(tag);
  if (auto text = text_of(tags_dir() / tag)) {
    const auto held = number_in(*text);
    if (held && *held >= number && fs::is_directory(version_dir(*held))) return;
  }
  write_replacing(tags_dir(), tag, tag, fmt::format("{}\n", number));
}

int64_t VersionLedger::claim() {
  recover();
  const fs::path claims = claims_dir();
  fs::create_directories(claims);
  // above every claim and every version folder (a store copied without its claims)
  int64_t next = 1;
  for (const auto& entry : fs::directory_iterator(claims)) {
    if (auto v = number_in(entry.path().filename().string())) next = std::max(next, *v + 1);
  }
  for (int64_t v : versions()) next = std::max(next, v + 1);
  // mkdir is atomic: exactly one claimant gets each number
  for (;; ++next) {
    const fs::path claim = claims / std::to_string(next);
    if (::mkdir(claim.c_str(), 0755) == 0) {
      try {
        write_file(claim / unique_hidden_name(kOwnerStem), "");
      } catch (...) {
        ::rmdir(claim.c_str());
        throw;
      }
      return next;
    }
    if (errno != EEXIST) {
      throw std::runtime_error(fmt::format("cannot claim a version number in {}: {}",
                                           claims.string(), std::strerror(errno)));
    }
  }
}

void VersionLedger::intend(int64_t number, const std::string& tag) {
  check_model_tag(tag);
  write_replacing(tags_dir(), fmt::format("{}{}", kIntentPrefix, number), "intent", tag + "\n");
}

void VersionLedger::settle(int64_t number, const std::optional<std::string>& tag) {
  // the tag, then the intent, then the owner: a kill in between leaves work recover() finishes
  if (tag) move_tag_forward(*tag, number);
  std::error_code ignored;
  if (fs::remove(tags_dir() / fmt::format("{}{}", kIntentPrefix, number), ignored)) {
    fsync_path(tags_dir());
  }
  if (auto owner = owner_of(number)) fs::remove(*owner, ignored);
}

void VersionLedger::give_back(int64_t number) {
  std::error_code ignored;
  fs::remove(tags_dir() / fmt::format("{}{}", kIntentPrefix, number), ignored);
  if (auto owner = owner_of(number); owner && fs::remove(*owner, ignored)) {
    ::rmdir((claims_dir() / std::to_string(number)).c_str());
  }
}

void VersionLedger::forget(int64_t number) {
  std::error_code ignored;
  for (const auto& [tag, target] : tags()) {
    if (target != number) continue;
    const fs::path file = tags_dir() / tag;
    const auto text = text_of(file);
    if (text && number_in(*text) == number) fs::remove(file, ignored);
  }
  fs::remove(tags_dir() / fmt::format("{}{}", kIntentPrefix, number), ignored);
  if (auto owner = owner_of(number)) fs::remove(*owner, ignored);
}

std::vector<std::string> VersionLedger::recover() {
  std::vector<std::string> done;
  const std::string name = name_dir_.filename().string();
  auto intent_of = [&](int64_t number) -> std::optional<std::string> {
    for (const auto& [n, tag] : intents()) {
      if (n == number) return tag;
    }
    return std::nullopt;
  };
  auto drop_intent = [&](int64_t number) {
    std::error_code ignored;
    fs::remove(tags_dir() / fmt::format("{}{}", kIntentPrefix, number), ignored);
  };
  // claims whose publisher is gone
  std::error_code error;
  for (fs::directory_iterator it(claims_dir(), error), end; !error && it != end;
       it.increment(error)) {
    const auto number = number_in(it->path().filename().string());
    if (!number) continue;
    const auto owner = owner_of(*number);
    if (!owner || !hidden_owner_gone(owner->filename().string())) continue;
    std::error_code failed;
    if (fs::is_directory(version_dir(*number))) {
      // published, not settled: its intent becomes the tag
      const auto tag = intent_of(*number);
      try {
        if (tag) move_tag_forward(*tag, *number);
      } catch (const std::exception&) {
        continue;  // a read-only store: readers see the intent anyway
      }
      drop_intent(*number);
      if (fs::remove(*owner, failed)) {
        done.push_back(tag ? fmt::format("settled {}:{} (tag {})", name, *number, *tag)
                           : fmt::format("settled {}:{}", name, *number));
      }
    } else {
      // never published: the number goes back; only the one who removed the owner removes
      // the claim, so a claim taken again meanwhile is never touched
      drop_intent(*number);
      if (fs::remove(*owner, failed) && ::rmdir(it->path().c_str()) == 0) {
        done.push_back(fmt::format("gave back {}:{} (its push was killed)", name, *number));
      }
    }
  }
  // intents that no live claim stands behind (an old store, a removal cut short)
  for (const auto& [number, tag] : intents()) {
    if (owner_of(number)) continue;  // its publisher is still at work
    try {
      if (fs::is_directory(version_dir(number))) move_tag_forward(tag, number);
    } catch (const std::exception&) {
      continue;
    }
    drop_intent(number);
  }
  return done;
}

}  // namespace sinew
