#include "sinew/store/store_server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "sinew/core/errors.h"
#include "sinew/serve/control_server.h"
#include "sinew/serve/json_api.h"
#include "sinew/store/version_folder.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// "/api/models/a/b" -> {"api", "models", "a", "b"}; empty parts are kept ("/api/models/" ends
// in "")
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// parts[from...] joined with '/'
std::string join_from(const std::vector<std::string>& parts, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < parts.size(); ++i) out += (i > from ? "/" : "") + parts[i];
  return out;
}

bool is_get(const HttpRequest& request) {
  return request.method == "GET" || request.method == "HEAD";
}

HttpResponse wrong_method(const char* allow) {
  HttpResponse reply = json_reply(405, {{"error", std::string("use ") + allow}});
  reply.headers.emplace_back("Allow", allow);
  return reply;
}

HttpResponse error_reply(int status, const std::string& message) {
  return json_reply(status, {{"error", message}});
}

nlohmann::json versions_json(const std::vector<ModelVersion>& versions) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : versions) out.push_back(to_json(v));
  return {{"versions", out}};
}

// a non-negative integer query parameter, or nullopt; throws BadQuery
std::optional<std::uint64_t> query_bytes(const HttpRequest& request, const std::string& key) {
  auto value = query_int(request.query, key);
  if (value && *value < 0) throw BadQuery(key + " must not be negative");
  if (!value) return std::nullopt;
  return static_cast<std::uint64_t>(*value);
}

}  // namespace

StoreServer::StoreServer(const std::string& host, int port, const std::string& token, fs::path root,
                         Options options)
    : token_(token),
      host_(host),
      options_(options),
      store_(std::move(root)),
      uploads_(store_, options.uploads) {
  if (!is_loopback_host(host) && token.empty()) {
    throw UserError(
        fmt::format("the model store on {} is not on a loopback address: give it a "
                    "token so that only holders of the token can read and write "
                    "models",
                    host));
  }
  HttpServer::Options http = options.http;
  http.max_body_bytes = std::max<std::uint64_t>(options.max_chunk_bytes, 1 << 20);
  http.error_reply = [](int status, const std::string& message) {
    return error_reply(status, message);
  };
  http.check_head = token_head_check(token);
  try {
    server_ = std::make_unique<HttpServer>(
        host, port, [this](const HttpRequest& r) { return handle(r); }, nullptr, std::move(http));
  } catch (const std::system_error& e) {
    throw UserError(
        fmt::format("cannot serve the model store on {}:{} ({}; in use? 0 picks a "
                    "free port)",
                    host, port, e.what()));
  }
  port_ = server_->port();
}

StoreServer::~StoreServer() { server_.reset(); }

std::string StoreServer::url() const {
  std::string shown = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return fmt::format("http://{}:{}", shown, port_);
}

HttpResponse StoreServer::handle(const HttpRequest& request) {
  if (request.path.rfind("/api/", 0) != 0) {
    return error_reply(404, "no such endpoint; the model store's API is under /api/models");
  }
  if (auto denied = refuse_without_token(request, token_)) return *denied;
  // a UserError is the client's (400) unless the route says otherwise
  int user_error_status = 400;
  try {
    return route(request, split_path(request.path), user_error_status);
  } catch (const BadQuery& e) {
    return error_reply(400, e.what());
  } catch (const ModelNotFound& e) {
    return error_reply(404, e.what());
  } catch (const UploadConflict& e) {
    return json_reply(409, {{"error", e.what()}, {"received", e.received()}});
  } catch (const UploadLimit& e) {
    return error_reply(503, e.what());
  } catch (const UserError& e) {
    return error_reply(user_error_status, e.what());
  } catch (const std::exception& e) {
    // the detail stays on the server
    std::fprintf(stderr, "sinew models serve: %s %s failed: %s\n", request.method.c_str(),
                 request.path.c_str(), e.what());
    return error_reply(500, "internal error");
  }
}

HttpResponse StoreServer::route(const HttpRequest& request, const std::vector<std::string>& parts,
                                int& user_error_status) {
  const std::size_t n = parts.size();
  if (n < 2 || parts[1] != "models") return error_reply(404, "no such endpoint");
  // /api/models
  if (n == 2) {
    if (!is_get(request)) return wrong_method("GET, HEAD");
    return json_reply(200, versions_json(store_.list(std::nullopt)));
  }
  const std::string& name = parts[2];
  check_model_name(name);
  // /api/models/<name>
  if (n == 3) {
    if (!is_get(request)) return wrong_method("GET, HEAD");
    return json_reply(200, versions_json(store_.list(name)));
  }
  // uploads: /api/models/<name>/uploads[/<id>[/commit | /files/<path>]]
  if (parts[3] == "uploads" && !is_get(request)) {
    if (n == 4) {
      if (request.method != "POST") return wrong_method("POST");
      nlohmann::json body =
          nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
      if (!body.is_object() || !body.contains("files")) {
        return error_reply(400,
                           "an upload is a JSON object {\"files\": [{\"path\", \"size\", "
                           "\"sha256\"}], \"metadata\": {...}, \"tag\": \"...\"}");
      }
      std::optional<std::string> tag;
      if (body.contains("tag") && !body["tag"].is_null()) {
        if (!body["tag"].is_string()) return error_reply(400, "the tag must be text");
        tag = body["tag"].get<std::string>();
      }
      const std::string id = uploads_.create(name, files_from_json(body["files"], "upload"), tag,
                                             body.value("metadata", nlohmann::json::object()));
      return json_reply(201, {{"upload", id}});
    }
    const std::string& id = parts[4];
    if (n == 5) {
      if (request.method != "DELETE") return wrong_method("DELETE");
      uploads_.abort(name, id);
      return json_reply(200, {{"aborted", id}});
    }
    if (n == 6 && parts[5] == "commit") {
      if (request.method != "POST") return wrong_method("POST");
      user_error_status = 422;
      return json_reply(201, to_json(uploads_.commit(name, id)));
    }
    if (n >= 7 && parts[5] == "files") {
      if (request.method != "PUT") return wrong_method("PUT");
      const std::string path = join_from(parts, 6);
      check_model_file_path(path);
      const std::uint64_t received =
          uploads_.write(name, id, path, query_bytes(request, "offset").value_or(0), request.body);
      return json_reply(200, {{"received", received}});
    }
    return error_reply(404, "no such endpoint");
  }
  // a version: /api/models/<name>/<ref>[/files/<path>]
  const ModelRef ref = ModelRef::parse(name + ":" + parts[3]);
  if (n == 4) {
    if (is_get(request)) {
      user_error_status = 409;  // the stored version fails verification
      return json_reply(200, to_json(store_.show(ref)));
    }
    if (request.method == "DELETE") {
      const int64_t removed = store_.remove(ref);
      return json_reply(200,
                        {{"removed", fmt::format("{}:{}", name, removed)}, {"version", removed}});
    }
    return wrong_method("GET, HEAD, DELETE");
  }
  if (n >= 6 && parts[4] == "files") {
    if (!is_get(request)) return wrong_method("GET, HEAD");
    const std::string path = join_from(parts, 5);
    check_model_file_path(path);
    user_error_status = 409;
    return file_bytes(request, ref, path);
  }
  return error_reply(404, "no such endpoint");
}

HttpResponse StoreServer::file_bytes(const HttpRequest& request, const ModelRef& ref,
                                     const std::string& path) {
  // the description verifies and lists the file
  const ModelVersion version = store_.describe(ref);
  const ModelFile* listed = nullptr;
  for (const auto& f : version.files) {
    if (f.path == path) listed = &f;
  }
  if (!listed) {
    throw ModelNotFound(fmt::format("model {} has no file {}", version.ref(), shortened(path)));
  }
  // the range
  const std::uint64_t offset = query_bytes(request, "offset").value_or(0);
  if (offset > listed->size) throw BadQuery("offset is past the end of the file");
  const std::uint64_t rest = listed->size - offset;
  const auto length = query_bytes(request, "length");
  if (length && *length > options_.max_chunk_bytes) {
    return error_reply(413, fmt::format("length is at most {} bytes", options_.max_chunk_bytes));
  }
  if (!length && rest > options_.max_chunk_bytes) {
    return error_reply(413, fmt::format("{} has {} bytes: fetch it in ranges of at most {} bytes "
                                        "with ?offset=&length=",
                                        path, listed->size, options_.max_chunk_bytes));
  }
  const std::uint64_t count = std::min(rest, length.value_or(rest));
  // read it
  const fs::path file = version_member(store_.files_dir(version), path, "model " + version.ref());
  HttpResponse reply;
  reply.content_type = "application/octet-stream";
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.body.resize(count);
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw UserError(fmt::format("model {}: {} cannot be read", version.ref(), path));
  std::size_t done = 0;
  while (done < count) {
    const ssize_t got =
        ::pread(fd, reply.body.data() + done, count - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (done != count) {
    throw UserError(
        fmt::format("model {}: {} is shorter than listed (truncated)", version.ref(), path));
  }
  return reply;
}

}  // namespace sinew
