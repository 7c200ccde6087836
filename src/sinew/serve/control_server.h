// The HTTP control API of a running `sinew train` (cpp-httplib):
//   GET  /api/status       state, steps, steps/s, last checkpoint, ...
//   POST /api/pause        returns once actors and learner are parked
//   POST /api/resume
//   POST /api/checkpoint   returns once the checkpoint is written, with its path
//   POST /api/stop         graceful stop with a final checkpoint
//   GET  /api/config       the resolved config as JSON
//   GET  /api/checkpoints  the run's checkpoints (step, reason, size, time)
//   GET  /api/metrics      metric rows {"step", "wall_time_s", "name", "value"};
//                          ?after=<step> returns only newer rows
// Responses are JSON. Binding anything but a loopback address requires a token, checked as
// `Authorization: Bearer <token>` on every request (401 otherwise). Unknown paths get 404,
// wrong methods 405, malformed requests 400; a request never crashes the run.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace sinew {

struct ControlHandlers {
  // Each returns {http status, JSON body}; called on the server's threads.
  std::function<std::pair<int, nlohmann::json>()> status, pause, resume, checkpoint, stop;
  // Read-only views for dashboards: the resolved config, the checkpoints, and metric rows
  // after a step (GET /api/metrics?after=<step>).
  std::function<std::pair<int, nlohmann::json>()> config, checkpoints;
  std::function<std::pair<int, nlohmann::json>(int64_t after_step)> metrics;
};

class ControlServer {
 public:
  // Binds host:port (port 0 = any free port) at once. Throws UserError when a non-loopback host
  // has no token, or when the address cannot be bound.
  ControlServer(const std::string& host, int port, const std::string& token,
                ControlHandlers handlers);
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
