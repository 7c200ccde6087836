// The control API of one training run: which routes exist and what each answers. The run
// implements RunApi (what the routes read, the commands they hand to its control thread);
// run_api_routes() builds the route table the ControlServer serves.
//
//   GET  /api/status       status()                 GET /api/config       config()
//   GET  /api/checkpoints  checkpoints()            GET /api/metrics      metrics(after)
//   GET  /api/episode      episode() (204: none yet)
//   POST /api/pause | /api/resume | /api/checkpoint | /api/stop   command(name)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "sinew/serve/control_server.h"

namespace sinew {

class RunApi {
 public:
  virtual ~RunApi() = default;

  // Each is called on a server thread and must be thread-safe.
  virtual nlohmann::json status() const = 0;
  virtual nlohmann::json config() const = 0;
  virtual nlohmann::json checkpoints() const = 0;
  // Metric rows recorded after row `after` (-1: all).
  virtual nlohmann::json metrics(int64_t after) const = 0;
  // The newest recorded episode, or null when none is recorded yet.
  virtual nlohmann::json episode() const = 0;
  // "pause", "resume", "checkpoint" or "stop", carried out by the run's control thread; returns
  // the HTTP status and the JSON reply.
  virtual std::pair<int, nlohmann::json> command(const std::string& name) = 0;
};

// The routes above on `run`, which must outlive the server.
ApiRoutes run_api_routes(RunApi& run);

}  // namespace sinew
