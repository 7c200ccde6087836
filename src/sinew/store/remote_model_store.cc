#include "sinew/store/remote_model_store.h"

#include <fmt/format.h>
#include <httplib.h>

#include <cctype>
#include <fstream>
#include <stdexcept>

#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/store/pull_staging.h"
#include "sinew/store/version_folder.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// percent-encodes all but unreserved characters (and '/' when `keep_slash`)
std::string encode(const std::string& text, bool keep_slash = false) {
  std::string out;
  for (unsigned char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/');
    out += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

// "latest", "3" or "best"
std::string selector(const ModelRef& ref) {
  switch (ref.kind) {
    case ModelRef::Kind::kVersion:
      return std::to_string(ref.version);
    case ModelRef::Kind::kTag:
      return ref.tag;
    case ModelRef::Kind::kLatest:
      break;
  }
  return "latest";
}

std::string model_path(const std::string& name) { return "/api/models/" + encode(name); }

std::string version_path(const std::string& name, const std::string& selector) {
  return model_path(name) + "/" + encode(selector);
}

// "host_port" of "http://host:port", a folder name
std::string cache_folder_of(const std::string& url) {
  std::string out;
  for (char c : url.substr(url.find("://") + 3)) {
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  }
  return out;
}

ModelVersion version_from(const std::string& body, const std::string& what) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) throw UserError(what + ": the reply is not JSON");
  return model_version_from_json(json, what);
}

}  // namespace

// One httplib client for the calls of one operation (kept alive between them), and the rules
// that turn its failures into UserErrors naming the store.
class RemoteModelStore::Connection {
 public:
  Connection(const RemoteModelStore& store) : store_(store), client_(store.url_) {
    const auto whole = [](double s) { return static_cast<time_t>(s); };
    const auto micros = [](double s) {
      return static_cast<time_t>((s - static_cast<long>(s)) * 1e6);
    };
    client_.set_connection_timeout(whole(store.options_.connect_timeout_s),
                                   micros(store.options_.connect_timeout_s));
    client_.set_read_timeout(whole(store.options_.read_timeout_s),
                             micros(store.options_.read_timeout_s));
    client_.set_write_timeout(whole(store.options_.read_timeout_s),
                              micros(store.options_.read_timeout_s));
    client_.set_keep_alive(true);
    client_.set_url_encode(false);  // paths are encoded here
    if (!store.token_.empty()) headers_.emplace("Authorization", "Bearer " + store.token_);
  }

  // The body of a 2xx reply to `method` `path`; throws UserError for a 4xx (ModelNotFound for
  // 404) or an unreachable store, std::runtime_error for a 5xx.
  std::string call(const std::string& method, const std::string& path, const std::string& body = "",
                   const std::string& type = "application/json") {
    httplib::Result result =
        method == "GET"      ? client_.Get(path.c_str(), headers_)
        : method == "DELETE" ? client_.Delete(path.c_str(), headers_)
        : method == "PUT"
            ? client_.Put(path.c_str(), headers_, body.data(), body.size(), type.c_str())
            : client_.Post(path.c_str(), headers_, body.data(), body.size(), type.c_str());
    if (!result) {
      throw UserError(fmt::format("cannot reach the model store at {}: {}", store_.url_,
                                  httplib::to_string(result.error())));
    }
    if (result->status >= 200 && result->status < 300) return std::move(result->body);
    // the server's own message
    std::string message = result->body;
    nlohmann::json json = nlohmann::json::parse(message, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.contains("error") && json["error"].is_string()) {
      message = json["error"].get<std::string>();
    }
    if (result->status == 401) {
      throw UserError(
          fmt::format("the model store at {} refused the token ({}): pass the "
                      "store's token",
                      store_.url_, store_.token_.empty() ? "none given" : "wrong"));
    }
    if (result->status == 404) throw ModelNotFound(fmt::format("{} ({})", message, store_.url_));
    if (result->status >= 500) {
      // the server's trouble (busy, full disk), not bad input: exit 1, not 2
      throw std::runtime_error(fmt::format("model store {}: {} (HTTP {})", store_.url_,
                                           shortened(message, 300), result->status));
    }
    throw UserError(fmt::format("model store {}: {} (HTTP {})", store_.url_,
                                shortened(message, 300), result->status));
  }

 private:
  const RemoteModelStore& store_;
  httplib::Client client_;
  httplib::Headers headers_;
};

RemoteModelStore::RemoteModelStore(std::string url, std::string token, fs::path cache_dir,
                                   Options options)
    : url_(std::move(url)),
      token_(std::move(token)),
      cache_dir_(std::move(cache_dir)),
      options_(options) {
  if (url_.rfind("https://", 0) == 0) {
    throw UserError(
        fmt::format("model store {}: https is not supported by this build; use "
                    "http:// (with a token) inside a trusted network",
                    url_));
  }
  const std::string rest = url_.rfind("http://", 0) == 0 ? url_.substr(7) : "";
  if (rest.empty() || rest.find_first_of("/?#@") != std::string::npos) {
    throw UserError(
        fmt::format("model store URL '{}' must read http://host:port", shortened(url_)));
  }
  if (options_.chunk_bytes == 0) throw UserError("model store: chunk_bytes must be positive");
}

std::vector<ModelVersion> RemoteModelStore::list(std::optional<std::string> name) {
  if (name) check_model_name(*name);
  Connection connection(*this);
  const std::string body = connection.call("GET", name ? model_path(*name) : "/api/models");
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("versions") || !json["versions"].is_array()) {
    throw UserError(fmt::format("model store {}: the list reply is malformed", url_));
  }
  std::vector<ModelVersion> out;
  for (const auto& entry : json["versions"]) {
    out.push_back(model_version_from_json(entry, "model store " + url_));
  }
  return out;
}

ModelVersion RemoteModelStore::show(const ModelRef& ref) {
  Connection connection(*this);
  ModelVersion version = version_from(connection.call("GET", version_path(ref.name, selector(ref))),
                                      fmt::format("model {} at {}", ref.str(), url_));
  if (version.name != ref.name) {
    throw UserError(
        fmt::format("model store {} answered {} for {}", url_, version.ref(), ref.str()));
  }
  return version;
}

int64_t RemoteModelStore::remove(const ModelRef& ref) {
  if (!ref.explicit_selector || ref.kind == ModelRef::Kind::kLatest) {
    throw UserError(fmt::format("removing needs a version or a tag ({}:3, {}:best), not '{}'",
                                ref.name, ref.name, ref.str()));
  }
  Connection connection(*this);
  nlohmann::json json = nlohmann::json::parse(
      connection.call("DELETE", version_path(ref.name, selector(ref))), nullptr, false);
  if (!json.is_object() || !json.contains("version") || !json["version"].is_number_integer()) {
    throw UserError(fmt::format("model store {}: the removal reply is malformed", url_));
  }
  return json["version"].get<int64_t>();
}

ModelVersion RemoteModelStore::push(const fs::path& artifact, const std::string& name,
                                    std::optional<std::string> tag, nlohmann::json metadata) {
  check_model_name(name);
  if (tag) check_model_tag(*tag);
  if (metadata.is_null()) metadata = nlohmann::json::object();
  if (!metadata.is_object()) throw UserError("model metadata must be a JSON object");
  // the declaration: every file's size and SHA-256
  const auto files = artifact_files(artifact);
  std::vector<ModelFile> declared;
  for (const auto& [relative, path] : files) {
    declared.push_back(
        {relative, static_cast<std::uint64_t>(fs::file_size(path)), sha256_file(path)});
  }
  nlohmann::json request = {{"files", files_to_json(declared)}, {"metadata", metadata}};
  if (tag) request["tag"] = *tag;
  Connection connection(*this);
  nlohmann::json opened = nlohmann::json::parse(
      connection.call("POST", model_path(name) + "/uploads", request.dump()), nullptr, false);
  if (!opened.is_object() || !opened.contains("upload") || !opened["upload"].is_string()) {
    throw UserError(fmt::format("model store {}: the upload reply is malformed", url_));
  }
  const std::string upload = model_path(name) + "/uploads/" + encode(opened["upload"]);
  try {
    // every file in pieces (an empty file in one empty piece)
    std::string piece;
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::ifstream in(files[i].second, std::ios::binary);
      if (!in) throw UserError("cannot read " + files[i].second.string());
      std::uint64_t offset = 0;
      do {
        piece.resize(options_.chunk_bytes);
        in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
        piece.resize(static_cast<std::size_t>(in.gcount()));
        connection.call("PUT",
                        fmt::format("{}/files/{}?offset={}", upload,
                                    encode(files[i].first, /*keep_slash=*/true), offset),
                        piece, "application/octet-stream");
        offset += piece.size();
      } while (!piece.empty() && offset < declared[i].size);
    }
    return version_from(connection.call("POST", upload + "/commit"),
                        fmt::format("model {} pushed to {}", name, url_));
  } catch (...) {
    // best effort: the server drops idle uploads anyway
    try {
      Connection(*this).call("DELETE", upload);
    } catch (const std::exception&) {
    }
    throw;
  }
}

void RemoteModelStore::download(Connection& connection, const ModelVersion& version,
                                const std::function<fs::path(const std::string&)>& target) {
  const std::string label = fmt::format("model {} from {}", version.ref(), url_);
  for (const auto& f : version.files) {
    check_model_file_path(f.path);
    const fs::path path = target(f.path);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    // the file in ranges, hashed as it arrives
    Sha256 hash;
    std::uint64_t offset = 0;
    do {
      const std::uint64_t length = std::min(options_.chunk_bytes, f.size - offset);
      const std::string bytes = connection.call(
          "GET", fmt::format("{}/files/{}?offset={}&length={}",
                             version_path(version.name, std::to_string(version.version)),
                             encode(f.path, /*keep_slash=*/true), offset, length));
      if (bytes.size() != length) {
        throw UserError(fmt::format("{}: {} arrived with {} bytes where {} were expected", label,
                                    f.path, offset + bytes.size(), offset + length));
      }
      hash.update(bytes.data(), bytes.size());
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      offset += length;
    } while (offset < f.size);
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
    if (hash.hex_digest() != f.sha256) {
      throw UserError(
          fmt::format("{}: {} fails its SHA-256 check (corrupt transfer or store)", label, f.path));
    }
    fsync_path(path);
  }
}

fs::path RemoteModelStore::pull(const ModelRef& ref, const fs::path& destination) {
  PullStaging target(destination);
  const ModelVersion version = show(ref);
  Connection connection(*this);
  download(connection, version, [&](const std::string& relative) { return target.file(relative); });
  return target.publish();
}

fs::path RemoteModelStore::local_path(const ModelRef& ref) {
  const ModelVersion version = show(ref);
  const fs::path cached =
      cache_dir_ / cache_folder_of(url_) / version.name /
      fmt::format("v{}-{}", version.version, version.manifest_sha256.substr(0, 16));
  const std::string label = fmt::format("cached model {} from {}", version.ref(), url_);
  // a cached copy is used only when it verifies; a broken one is fetched again
  if (fs::exists(cached)) {
    try {
      verify_version_files(cached, version, label);
      return cached;
    } catch (const UserError&) {
      fs::remove_all(cached);
    }
  }
  try {
    PullStaging target(cached);
    Connection connection(*this);
    download(connection, version,
             [&](const std::string& relative) { return target.file(relative); });
    return target.publish();
  } catch (const UserError&) {
    // another process filled the cache meanwhile: use it if it verifies
    if (!fs::exists(cached)) throw;
    verify_version_files(cached, version, label);
    return cached;
  }
}

}  // namespace sinew
