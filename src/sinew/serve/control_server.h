// sinew's control server: the JSON API of a running `sinew train` or of `sinew dashboard`, and
// the dashboard page itself, on sinew's own HTTP/1.1 server (http_server.h).
//
// API (`sinew train`; TrainingRun fills the routes):
//   GET  /api/status       state, steps, steps/s, last checkpoint, ...
//   POST /api/pause        returns once actors and learner are parked
//   POST /api/resume
//   POST /api/checkpoint   returns once the checkpoint is written, with its path
//   POST /api/stop         graceful stop with a final checkpoint
//   GET  /api/config       the resolved config as JSON
//   GET  /api/checkpoints  the run's checkpoints (step, reason, size, time)
//   GET  /api/metrics      metric rows {"step", "wall_time_s", "name", "value"};
//                          ?after=<step> returns only newer rows
//   GET  /api/episode      the latest evaluation episode for the gait viewer (204 before one)
// `sinew dashboard` serves /api/status ({"mode": "dashboard"}), /api/runs and the read-only
// views above with ?run=<id>.
//
// Page: GET / (index.html), /app.js, /app.css from the assets embedded in the binary, with
// Cache-Control: no-cache and X-Content-Type-Options: nosniff; no other path reaches a file.
// Responses of the API are JSON. Binding anything but a loopback address requires a token,
// checked as `Authorization: Bearer <token>` on every /api/ request (401 otherwise; the page's
// static files carry no data and need none). Unknown paths get 404, known paths with the wrong
// method 405 (with Allow), malformed requests 400; a request never crashes the run. Every reply
// but the page's files is JSON, {"error": "..."} for errors.
//
// HTTP details (http_server.h, http_request_parser.h): GET routes answer HEAD too (headers
// only). A POST without Content-Length has an empty body. Content-Length must be one plain
// decimal field (else 400) of at most 64 KiB by default (else 413, before the body is read);
// any Transfer-Encoding, chunked included, gets 411 Length Required. A handler that throws
// gives 500 {"error": "internal error"}; the exception's text goes to stderr only. The handlers
// of GET /api/status and POST /api/stop (and every reply that runs no route handler) run on
// the server's urgent lane, so they answer while other handlers (pause, checkpoint) block.
// Slow or idle clients are bounded by the server's deadlines and connection caps.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sinew/serve/http_server.h"

namespace sinew {

using QueryParams = std::map<std::string, std::string>;
// Returns {http status, JSON body}; called on the server's lane threads, may block. A status of
// 204 sends no body.
using ApiHandler = std::function<std::pair<int, nlohmann::json>(const QueryParams&)>;

struct ApiRoutes {
  std::map<std::string, ApiHandler> get;  // path -> handler, e.g. "/api/status"
  std::map<std::string, ApiHandler> post;
};

// An integer query parameter: nullopt when absent; throws BadQuery when malformed.
struct BadQuery : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::optional<int64_t> query_int(const QueryParams& params, const std::string& key);

class ControlServer {
 public:
  // Binds host:port (port 0 = any free port) at once. Throws UserError when a non-loopback host
  // has no token, or when the address cannot be bound.
  ControlServer(const std::string& host, int port, const std::string& token, ApiRoutes routes);
  // The same with the HTTP server's limits, deadlines and caps (e.g. a larger max_body_bytes);
  // options.error_reply is replaced by JSON {"error": ...} replies.
  ControlServer(const std::string& host, int port, const std::string& token, ApiRoutes routes,
                HttpServer::Options options);
  // Stops serving at once: closes every connection, waits for handlers already running.
  ~ControlServer();

  int port() const { return port_; }
  std::string url() const;

  // True for 127.0.0.0/8, ::1 and "localhost".
  static bool is_loopback(const std::string& host);

 private:
  HttpResponse handle(const HttpRequest& request) const;  // on a lane thread
  bool is_urgent(const HttpRequest& request) const;       // on the I/O thread

  // read-only after construction; declared before server_, which is destroyed (and its
  // handlers joined) first
  const ApiRoutes routes_;
  const std::string token_;
  std::string host_;
  int port_ = 0;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace sinew
