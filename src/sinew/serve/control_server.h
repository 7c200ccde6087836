// sinew's HTTP server (cpp-httplib): the JSON API of a running `sinew train` or of
// `sinew dashboard`, and the dashboard page itself.
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
// Page: GET / (index.html), /app.js, /app.css from the assets embedded in the binary; no other
// path reaches a file. Responses of the API are JSON. Binding anything but a loopback address
// requires a token, checked as `Authorization: Bearer <token>` on every /api/ request (401
// otherwise; the page's static files carry no data and need none). Unknown paths get 404, known
// paths with the wrong method 405, malformed requests 400; a request never crashes the run.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace sinew {

using QueryParams = std::map<std::string, std::string>;
// Returns {http status, JSON body}; called on the server's threads.
using ApiHandler = std::function<std::pair<int, nlohmann::json>(const QueryParams&)>;

struct ApiRoutes {
  std::map<std::string, ApiHandler> get;   // path -> handler, e.g. "/api/status"
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
  ~ControlServer();  // stops serving and joins the server thread

  int port() const { return port_; }
  std::string url() const;

  // True for 127.0.0.0/8, ::1 and "localhost".
  static bool is_loopback(const std::string& host);

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace sinew
