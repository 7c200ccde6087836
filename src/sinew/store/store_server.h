// `sinew models serve`: a LocalModelStore shared over HTTP/1.1 on sinew's own server
// (serve/http_server.h). RemoteModelStore is its client.
//
// API (JSON unless noted; <ref> is "latest", a version number or a tag; errors are
// {"error": "..."}):
//   GET    /api/models                          {"versions": [version, ...]} of every model
//   GET    /api/models/<name>                   {"versions": [...]} of one model ([] if unknown)
//   GET    /api/models/<name>/<ref>             the version, verified (files hashed): version.json
//                                               plus "tags" and "manifest_sha256"
//   GET    /api/models/<name>/<ref>/files/<path>[?offset=<bytes>&length=<bytes>]
//                                               the file's raw bytes (application/octet-stream),
//                                               or that range of them; a range is at most
//                                               Options::max_chunk_bytes, and a whole file larger
//                                               than that must be fetched in ranges (413). Only
//                                               the version's description is checked here; the
//                                               client checks the bytes against its SHA-256.
//   DELETE /api/models/<name>/<ref>             removes a version ({"removed": "walker:3",
//                                               "version": 3});
//                                               <ref> must be a version or a tag, not latest
//   POST   /api/models/<name>/uploads           opens an upload: {"files": [{"path", "size",
//                                               "sha256"}], "metadata": {...}, "tag": "best"}
//                                               (tag optional) -> 201 {"upload": "<id>"}
//   PUT    /api/models/<name>/uploads/<id>/files/<path>?offset=<bytes>
//                                               the next piece of a file (raw body, at most
//                                               max_chunk_bytes) -> {"received": <bytes>}; a piece
//                                               not at the received count gets 409 with
//                                               "received"; every file needs at least one PUT
//   POST   /api/models/<name>/uploads/<id>/commit
//                                               verifies every declared size and SHA-256 and
//                                               publishes the version -> 201 version; a missing,
//                                               truncated or tampered file gets 422 naming it, and
//                                               the upload is dropped with nothing left behind
//   DELETE /api/models/<name>/uploads/<id>      drops the upload
// Statuses: 400 bad name, ref, path or JSON; 401 token; 404 no such model, version, tag or
// upload; 405 wrong method (with Allow); 409 a stored version that fails verification, or a
// piece at the wrong offset; 413 a body or range too large; 422 an upload that fails
// verification; 503 too many uploads open; 500 internal error (detail to stderr only).
//
// Access: as the control API (serve/json_api.h): binding anything but a loopback address needs
// a token, and with a token every /api/ request needs `Authorization: Bearer <token>`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sinew/serve/http_server.h"
#include "sinew/store/local_model_store.h"
#include "sinew/store/store_uploads.h"

namespace sinew {

class StoreServer {
 public:
  struct Options {
    // The largest request body (one piece of an upload, a file list) and the largest range of
    // a download; HttpServer holds a whole body in memory [bytes].
    std::uint64_t max_chunk_bytes = std::uint64_t{16} << 20;
    StoreUploads::Limits uploads;  // largest file (1 GiB), open uploads, idle timeout
    // Deadlines, caps and threads of the HTTP server; max_body_bytes and error_reply are set
    // from the above.
    HttpServer::Options http;
  };

  // Serves the store at `root` on host:port (port 0: any free port) at once. Throws UserError
  // when a non-loopback host has no token or the address cannot be bound.
  StoreServer(const std::string& host, int port, const std::string& token,
              std::filesystem::path root, Options options);
  // Stops serving, waits for running handlers, drops open uploads.
  ~StoreServer();
  StoreServer(const StoreServer&) = delete;
  StoreServer& operator=(const StoreServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:8765" (IPv6 hosts in brackets).
  std::string url() const;

 private:
  HttpResponse handle(const HttpRequest& request);  // on a lane thread
  HttpResponse route(const HttpRequest& request, const std::vector<std::string>& parts,
                     int& user_error_status);
  HttpResponse file_bytes(const HttpRequest& request, const ModelRef& ref, const std::string& path);

  // read-only after construction, except the thread-safe store and uploads; declared before
  // server_, which is destroyed (and its handlers joined) first
  const std::string token_;
  const std::string host_;
  const Options options_;
  LocalModelStore store_;
  StoreUploads uploads_;
  int port_ = 0;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace sinew
