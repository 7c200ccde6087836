#include "sinew/store/store_uploads.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

namespace sinew {
namespace {

std::string random_id() {
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) id += fmt::format("{:08x}", random());
  return id;
}

// writes all of `bytes` at `offset` of `path` (created when missing)
void write_at(const std::filesystem::path& path, std::uint64_t offset, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw std::runtime_error(
          fmt::format("cannot write {}: {}", path.string(), std::strerror(error)));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

}  // namespace

StoreUploads::StoreUploads(LocalModelStore& store, Limits limits)
    : store_(store), limits_(limits) {}

StoreUploads::~StoreUploads() = default;

std::size_t StoreUploads::open_count() const {
  std::lock_guard lock(mutex_);
  return uploads_.size();
}

void StoreUploads::drop_idle_locked() {
  const auto now = Clock::now();
  for (auto it = uploads_.begin(); it != uploads_.end();) {
    Upload& upload = *it->second;
    std::unique_lock busy(upload.mutex, std::try_to_lock);  // a piece being written is not idle
    const bool idle =
        busy.owns_lock() &&
        std::chrono::duration<double>(now - upload.last_used).count() > limits_.idle_timeout_s;
    busy.unlock();
    it = idle ? uploads_.erase(it) : std::next(it);
  }
}

std::string StoreUploads::create(const std::string& name, std::vector<ModelFile> files,
                                 std::optional<std::string> tag, nlohmann::json metadata) {
  // check everything before a folder is made
  check_model_name(name);
  if (tag) check_model_tag(*tag);
  if (metadata.is_null()) metadata = nlohmann::json::object();
  if (!metadata.is_object()) throw UserError("upload: metadata must be a JSON object");
  if (files.empty()) throw UserError("upload: the file list is empty");
  if (files.size() > limits_.max_files) {
    throw UserError(
        fmt::format("upload: {} files, more than the {} allowed", files.size(), limits_.max_files));
  }
  for (const auto& f : files) {
    check_model_file_path(f.path);
    if (f.size > limits_.max_file_bytes) {
      throw UserError(fmt::format("upload: {} has {} bytes, more than the {} allowed per file",
                                  f.path, f.size, limits_.max_file_bytes));
    }
  }
  auto upload = std::make_shared<Upload>();
  upload->name = name;
  upload->files = std::move(files);
  upload->tag = std::move(tag);
  upload->metadata = std::move(metadata);
  upload->last_used = Clock::now();
  std::lock_guard lock(mutex_);
  drop_idle_locked();
  if (uploads_.size() >= static_cast<std::size_t>(limits_.max_uploads)) {
    throw UploadLimit(
        fmt::format("{} uploads are open, the most allowed; try again later", uploads_.size()));
  }
  upload->staging = store_.stage(name);
  std::string id = random_id();
  uploads_.emplace(id, std::move(upload));
  return id;
}

std::shared_ptr<StoreUploads::Upload> StoreUploads::find(const std::string& name,
                                                         const std::string& id, bool take) {
  std::lock_guard lock(mutex_);
  auto it = uploads_.find(id);
  if (it == uploads_.end() || it->second->name != name) {
    throw ModelNotFound(
        fmt::format("no open upload {} of model {} (committed, aborted or "
                    "expired?)",
                    shortened(id, 40), shortened(name)));
  }
  std::shared_ptr<Upload> upload = it->second;
  if (take) uploads_.erase(it);
  return upload;
}

std::uint64_t StoreUploads::write(const std::string& name, const std::string& id,
                                  const std::string& path, std::uint64_t offset,
                                  std::string_view bytes) {
  std::shared_ptr<Upload> upload = find(name, id, /*take=*/false);
  std::lock_guard lock(upload->mutex);
  if (upload->ended) throw ModelNotFound(fmt::format("upload {} has ended", id));
  upload->last_used = Clock::now();
  // a declared file, continued where it stands, not past its size
  const ModelFile* declared = nullptr;
  for (const auto& f : upload->files) {
    if (f.path == path) declared = &f;
  }
  if (!declared) {
    throw UserError(fmt::format("upload of {}: {} is not in its file list", name, shortened(path)));
  }
  std::uint64_t& received = upload->received[path];
  if (offset != received) {
    throw UploadConflict(fmt::format("upload of {}: {} has {} bytes so far; a piece at offset {} "
                                     "does not continue it",
                                     name, path, received, offset),
                         received);
  }
  if (bytes.size() > declared->size - received) {
    throw UserError(fmt::format("upload of {}: {} would grow past its declared {} bytes", name,
                                path, declared->size));
  }
  write_at(upload->staging->file(path), offset, bytes);
  received += bytes.size();
  return received;
}

ModelVersion StoreUploads::commit(const std::string& name, const std::string& id) {
  std::shared_ptr<Upload> upload = find(name, id, /*take=*/true);
  std::lock_guard lock(upload->mutex);
  upload->ended = true;
  // a file never written at all is still missing (an empty one needs one empty piece)
  ModelVersion version =
      store_.commit(*upload->staging, upload->tag, upload->metadata, &upload->files);
  upload->staging.reset();
  return version;
}

void StoreUploads::abort(const std::string& name, const std::string& id) {
  std::shared_ptr<Upload> upload = find(name, id, /*take=*/true);
  std::lock_guard lock(upload->mutex);
  upload->ended = true;
  upload->staging.reset();
}

}  // namespace sinew
