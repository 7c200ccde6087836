// A model store served by `sinew models serve` (StoreServer), used over its HTTP API with
// cpp-httplib: `sinew models push walker ... --store http://host:8765`.
//
// Every download is checked against the SHA-256 and size the server lists before it is
// returned, so a corrupt transfer or a tampered server-side file is reported, never used.
// local_path() keeps verified downloads in `cache_dir`/<host>_<port>/<name>/v<N>-<sha>/ (the
// SHA-256 prefix of the version's description, so a store that was reset and reuses numbers
// never serves a stale cache entry) and verifies the cached files again on every call.
// Uploads go in pieces of Options::chunk_bytes; the server publishes the version only when all
// files arrived intact.
//
// Errors: UserError naming the store's URL for an unreachable server, a refused token (401)
// and every error the server reports (its message), ModelNotFound for 404. Thread-safe: each
// call uses its own connection.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "sinew/store/model_store.h"

namespace sinew {

class RemoteModelStore : public ModelStore {
 public:
  struct Options {
    std::uint64_t chunk_bytes = std::uint64_t{8} << 20;  // one piece of an upload or download;
                                                         // at most the server's max_chunk_bytes
    double connect_timeout_s = 5;                        // [s]
    double read_timeout_s = 300;  // a reply, e.g. a commit hashing 1 GiB on the server [s]
  };

  // `url`: "http://host:port" (no path; https is not supported by this build). `token`: sent as
  // `Authorization: Bearer <token>` when not empty. Throws UserError for another URL form.
  RemoteModelStore(std::string url, std::string token, std::filesystem::path cache_dir,
                   Options options);
  RemoteModelStore(std::string url, std::string token, std::filesystem::path cache_dir)
      : RemoteModelStore(std::move(url), std::move(token), std::move(cache_dir), Options{}) {}

  ModelVersion push(const std::filesystem::path& artifact, const std::string& name,
                    std::optional<std::string> tag, nlohmann::json metadata) override;
  ModelVersion show(const ModelRef& ref) override;
  std::vector<ModelVersion> list(std::optional<std::string> name) override;
  int64_t remove(const ModelRef& ref) override;
  std::filesystem::path pull(const ModelRef& ref,
                             const std::filesystem::path& destination) override;
  std::filesystem::path local_path(const ModelRef& ref) override;

  const std::string& url() const { return url_; }

 private:
  class Connection;  // one httplib client and the error rules (remote_model_store.cc)

  // Downloads every file of `version` to where `target(path)` says, checking sizes and SHA-256.
  void download(Connection& connection, const ModelVersion& version,
                const std::function<std::filesystem::path(const std::string&)>& target);

  const std::string url_;
  const std::string token_;
  const std::filesystem::path cache_dir_;
  const Options options_;
};

}  // namespace sinew
