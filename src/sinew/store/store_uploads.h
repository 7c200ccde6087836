// The uploads in progress on a StoreServer: a version's files arrive in pieces over several
// requests into a hidden VersionStaging, and become a version only when commit() finds every
// declared file complete with its declared size and SHA-256.
//
// An upload declares its files up front ([{path, size, sha256}], each path checked with
// check_model_file_path, each size at most Limits::max_file_bytes), its metadata and its tag.
// Each file is then written in order, piece by piece: a piece must start where the file's
// received bytes end (else UploadConflict, carrying that count, so a client can resume) and must
// not run past the declared size. commit() and abort() end the upload; either way its staging is
// gone afterwards unless it became a version. Uploads idle for Limits::idle_timeout_s are
// dropped when the next upload is created; at most Limits::max_uploads are open at once.
//
// Thread-safe: every method may be called from several threads at once; pieces of one upload
// are written one at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sinew/store/local_model_store.h"

namespace sinew {

// A piece that does not start where the received bytes of its file end (HTTP 409).
class UploadConflict : public UserError {
 public:
  UploadConflict(const std::string& message, std::uint64_t received)
      : UserError(message), received_(received) {}
  std::uint64_t received() const { return received_; }

 private:
  std::uint64_t received_;
};

// Too many uploads open at once (HTTP 503).
class UploadLimit : public UserError {
 public:
  using UserError::UserError;
};

class StoreUploads {
 public:
  struct Limits {
    std::uint64_t max_file_bytes = std::uint64_t{1} << 30;  // largest file declared [bytes]
    std::size_t max_files = 10000;                          // files in one upload
    int max_uploads = 16;                                   // open at once
    double idle_timeout_s = 60;  // an upload untouched this long is dropped [s]
  };

  // Uploads into `store`, which must outlive this object.
  StoreUploads(LocalModelStore& store, Limits limits);
  // Drops every open upload (their staging folders are removed).
  ~StoreUploads();
  StoreUploads(const StoreUploads&) = delete;
  StoreUploads& operator=(const StoreUploads&) = delete;

  // Opens an upload of a version of `name` and returns its id (32 hex digits). Throws UserError
  // for a bad name, tag, metadata (not an object) or file list (empty, too long, a file too
  // large), UploadLimit when max_uploads are open.
  std::string create(const std::string& name, std::vector<ModelFile> files,
                     std::optional<std::string> tag, nlohmann::json metadata);

  // Writes `bytes` at `offset` of file `path` of upload `id` of `name`; returns how many bytes of
  // the file are received now. Throws ModelNotFound for an unknown upload, UserError for a path
  // not declared or a piece past the declared size, UploadConflict for a piece that does not
  // start at the received count.
  std::uint64_t write(const std::string& name, const std::string& id, const std::string& path,
                      std::uint64_t offset, std::string_view bytes);

  // Ends the upload: publishes it as the next version of `name` if every declared file is there,
  // complete and matching its SHA-256 (LocalModelStore::commit). Throws ModelNotFound for an
  // unknown upload, UserError naming the first file that fails (the upload is then dropped).
  ModelVersion commit(const std::string& name, const std::string& id);

  // Ends the upload without a version. Throws ModelNotFound for an unknown upload.
  void abort(const std::string& name, const std::string& id);

  // Uploads open now.
  std::size_t open_count() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Upload {
    std::string name;
    std::vector<ModelFile> files;  // declared, sorted by path
    std::optional<std::string> tag;
    nlohmann::json metadata;
    std::unique_ptr<VersionStaging> staging;
    std::mutex mutex;                               // guards the members below
    std::map<std::string, std::uint64_t> received;  // path -> bytes written
    Clock::time_point last_used;
    bool ended = false;  // committed or aborted: no more writes
  };

  // The open upload `id` of `name`, removed from the table when `take`; throws ModelNotFound.
  std::shared_ptr<Upload> find(const std::string& name, const std::string& id, bool take);
  // Drops uploads idle longer than the timeout; mutex_ held.
  void drop_idle_locked();

  LocalModelStore& store_;
  const Limits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Upload>> uploads_;  // by id; guarded by mutex_
};

}  // namespace sinew
