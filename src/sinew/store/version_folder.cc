#include "sinew/store/version_folder.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <set>
#include <stdexcept>

#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/store/model_ref.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// closes a file descriptor on scope exit
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

fs::path version_member(const fs::path& files_dir, const std::string& relative,
                        const std::string& label) {
  check_model_file_path(relative);
  fs::path current = files_dir;
  for (const auto& part : fs::path(relative)) {
    current /= part;
    if (fs::is_symlink(current)) {
      throw UserError(
          fmt::format("{}: {} is a link; a version holds plain files", label, relative));
    }
  }
  return current;
}

std::string write_version_description(const fs::path& dir, const ModelVersion& version) {
  const std::string text = version_manifest_json(version).dump(2) + "\n";
  const std::string sum = sha256_hex(text);
  write_file(dir / kVersionFile, text);
  fsync_path(dir / kVersionFile);
  write_file(dir / kVersionSumFile, sum + "  " + kVersionFile + "\n");
  fsync_path(dir / kVersionSumFile);
  return sum;
}

ModelVersion read_version_description(const fs::path& dir, const std::string& label) {
  const fs::path description = dir / kVersionFile;
  const fs::path sum_file = dir / kVersionSumFile;
  if (!fs::is_regular_file(fs::symlink_status(description)) ||
      !fs::is_regular_file(fs::symlink_status(sum_file))) {
    throw UserError(fmt::format("{}: {} or {} is missing in {}", label, kVersionFile,
                                kVersionSumFile, dir.string()));
  }
  const std::string text = read_text_file(description);
  const std::string sum = read_text_file(sum_file);
  const std::string actual = sha256_hex(text);
  if (sum.substr(0, sum.find(' ')) != actual) {
    throw UserError(fmt::format("{}: {} does not match {} (edited or corrupt) in {}", label,
                                kVersionFile, kVersionSumFile, dir.string()));
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw UserError(fmt::format("{}: {} is not JSON: {}", label, kVersionFile, e.what()));
  }
  ModelVersion version = model_version_from_json(json, label);
  version.manifest_sha256 = actual;
  return version;
}

void verify_version_files(const fs::path& files_dir, const ModelVersion& version,
                          const std::string& label, bool hash_contents) {
  if (!fs::is_directory(fs::symlink_status(files_dir))) {
    throw UserError(fmt::format("{}: its files folder {} is missing", label, files_dir.string()));
  }
  // every listed file: plain, of the listed size and checksum
  std::set<std::string> listed;
  for (const auto& f : version.files) {
    check_model_file_path(f.path);
    listed.insert(f.path);
    const fs::path path = version_member(files_dir, f.path, label);
    if (!fs::is_regular_file(fs::symlink_status(path))) {
      throw UserError(fmt::format("{}: {} is missing", label, f.path));
    }
    if (fs::file_size(path) != f.size) {
      throw UserError(fmt::format("{}: {} has {} bytes, not the {} listed (truncated or edited)",
                                  label, f.path, fs::file_size(path), f.size));
    }
    if (hash_contents && sha256_file(path) != f.sha256) {
      throw UserError(
          fmt::format("{}: {} fails its SHA-256 check (corrupt or edited)", label, f.path));
    }
  }
  // nothing unlisted: a reader never meets a file that was not verified
  for (auto it = fs::recursive_directory_iterator(files_dir);
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && !it->is_symlink()) continue;
    const std::string relative = fs::relative(it->path(), files_dir).generic_string();
    if (!listed.count(relative)) {
      throw UserError(fmt::format("{}: {} is not listed in {}, so it cannot be verified", label,
                                  relative, kVersionFile));
    }
  }
}

std::vector<std::pair<std::string, fs::path>> artifact_files(const fs::path& artifact) {
  std::vector<std::pair<std::string, fs::path>> out;
  std::error_code error;
  const fs::file_status status = fs::status(artifact, error);
  if (error || !fs::exists(status)) {
    throw UserError(fmt::format("cannot push {}: it does not exist", artifact.string()));
  }
  // one file, under its own name
  if (fs::is_regular_file(status)) {
    const std::string name = artifact.filename().string();
    check_model_file_path(name);
    out.emplace_back(name, artifact);
    return out;
  }
  if (!fs::is_directory(status)) {
    throw UserError(fmt::format("cannot push {}: it is neither a regular file nor a folder",
                                artifact.string()));
  }
  // a folder: every regular file inside, recursively; links and special files refused
  for (auto it = fs::recursive_directory_iterator(artifact);
       it != fs::recursive_directory_iterator(); ++it) {
    const fs::file_status entry = it->symlink_status();
    if (fs::is_directory(entry)) continue;
    if (fs::is_symlink(entry)) {
      throw UserError(
          fmt::format("cannot push {}: {} is a link; a model holds plain files (copy "
                      "the target in)",
                      artifact.string(), it->path().string()));
    }
    if (!fs::is_regular_file(entry)) {
      throw UserError(fmt::format("cannot push {}: {} is not a regular file", artifact.string(),
                                  it->path().string()));
    }
    const std::string relative = fs::relative(it->path(), artifact).generic_string();
    check_model_file_path(relative);
    out.emplace_back(relative, it->path());
  }
  if (out.empty()) {
    throw UserError(fmt::format("cannot push {}: the folder holds no files", artifact.string()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

ModelFile copy_file_hashed(const fs::path& from, const fs::path& to, const std::string& relative) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    throw UserError(fmt::format("cannot read {}: {}", from.string(), std::strerror(errno)));
  }
  FdCloser in_closer{in};
  fs::create_directories(to.parent_path());
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    throw std::runtime_error(fmt::format("cannot write {}: {}", to.string(), std::strerror(errno)));
  }
  FdCloser out_closer{out};
  // copy in chunks, hashing the bytes that are written
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  std::uint64_t total = 0;
  while (true) {
    const ssize_t n = ::read(in, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw UserError(fmt::format("cannot read {}: {}", from.string(), std::strerror(errno)));
    }
    if (n == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(n));
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(out, buffer.data() + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        throw std::runtime_error(
            fmt::format("cannot write {}: {}", to.string(), std::strerror(errno)));
      }
      done += w;
    }
    total += static_cast<std::uint64_t>(n);
  }
  if (::fsync(out) != 0) {
    throw std::runtime_error(fmt::format("fsync {}: {}", to.string(), std::strerror(errno)));
  }
  return ModelFile{relative, total, hash.hex_digest()};
}

void fsync_folders(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_directory() && !entry.is_symlink()) fsync_path(entry.path());
  }
  fsync_path(dir);
}

namespace {

std::string this_host() {
  char host[64] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) std::strcpy(host, "host");
  return host;
}

}  // namespace

std::string unique_hidden_name(const std::string& stem) {
  std::random_device random;
  const std::uint64_t nonce = (static_cast<std::uint64_t>(random()) << 32) ^ random();
  return fmt::format(".{}-{}-{}-{:016x}", stem, this_host(), ::getpid(), nonce);
}

bool hidden_owner_gone(const std::string& filename) {
  // ".<stem>-<host>-<pid>-<16 hex>", read from the right (stem and host may hold '-')
  const auto nonce_dash = filename.rfind('-');
  if (filename.empty() || filename[0] != '.' || nonce_dash == std::string::npos ||
      nonce_dash == 0 || filename.size() - nonce_dash - 1 != 16) {
    return false;
  }
  const auto pid_dash = filename.rfind('-', nonce_dash - 1);
  if (pid_dash == std::string::npos || pid_dash + 1 >= nonce_dash) return false;
  const std::string pid_text = filename.substr(pid_dash + 1, nonce_dash - pid_dash - 1);
  if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) {
    return false;
  }
  const std::string host = "-" + this_host();
  const std::string before = filename.substr(0, pid_dash);
  if (before.size() <= host.size() ||
      before.compare(before.size() - host.size(), host.size(), host) != 0) {
    return false;
  }
  const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  if (pid <= 0 || pid == ::getpid()) return false;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

std::vector<std::pair<fs::path, std::uint64_t>> remove_abandoned(
    const fs::path& folder, const std::vector<std::string>& stems) {
  std::vector<std::pair<fs::path, std::uint64_t>> removed;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const std::string filename = it->path().filename().string();
    const bool ours =
        stems.empty() || std::any_of(stems.begin(), stems.end(), [&](const std::string& stem) {
          return filename.rfind("." + stem + "-", 0) == 0;
        });
    if (!ours || !hidden_owner_gone(filename)) continue;
    std::uint64_t bytes = 0;
    std::error_code ignored;
    if (it->is_directory(ignored)) {
      for (fs::recursive_directory_iterator file(it->path(), ignored), last;
           !ignored && file != last; file.increment(ignored)) {
        if (file->is_regular_file(ignored)) bytes += file->file_size(ignored);
      }
    } else {
      bytes = it->file_size(ignored);
    }
    if (fs::remove_all(it->path(), ignored) > 0 && !ignored)
      removed.emplace_back(it->path(), bytes);
  }
  return removed;
}

}  // namespace sinew
