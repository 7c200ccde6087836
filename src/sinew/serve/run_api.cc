#include "sinew/serve/run_api.h"

namespace sinew {

ApiRoutes run_api_routes(RunApi& run) {
  using Reply = std::pair<int, nlohmann::json>;
  ApiRoutes r;
  r.get["/api/status"] = [&run](const QueryParams&) { return Reply{200, run.status()}; };
  r.get["/api/config"] = [&run](const QueryParams&) { return Reply{200, run.config()}; };
  r.get["/api/checkpoints"] = [&run](const QueryParams&) { return Reply{200, run.checkpoints()}; };
  r.get["/api/metrics"] = [&run](const QueryParams& q) {
    return Reply{200, run.metrics(query_int(q, "after").value_or(-1))};
  };
  r.get["/api/episode"] = [&run](const QueryParams&) {
    nlohmann::json episode = run.episode();
    if (episode.is_null()) return Reply{204, nullptr};  // none recorded yet
    return Reply{200, std::move(episode)};
  };
  for (const char* name : {"pause", "resume", "checkpoint", "stop"}) {
    r.post[std::string("/api/") + name] = [&run, name](const QueryParams&) {
      return run.command(name);
    };
  }
  return r;
}

}  // namespace sinew
