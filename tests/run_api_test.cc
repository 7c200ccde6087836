// The control API's route table (serve/run_api.h) over real sockets: each route reaches its
// RunApi method, the metrics cursor is passed on, an unrecorded episode is 204, and POSTs hand
// their command name to the run.
#include "sinew/serve/run_api.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "http_test_client.h"

namespace sinew {
namespace {

using testing::http_exchange;
using testing::HttpReply;

class RecordingRun final : public RunApi {
 public:
  nlohmann::json status() const override { return {{"state", "running"}}; }
  nlohmann::json config() const override { return {{"experiment", "pendulum_ppo"}}; }
  nlohmann::json checkpoints() const override { return nlohmann::json::array(); }
  nlohmann::json metrics(int64_t after) const override { return {{"after", after}}; }
  nlohmann::json episode() const override {
    return has_episode ? nlohmann::json{{"length", 3}} : nullptr;
  }
  std::pair<int, nlohmann::json> command(const std::string& name) override {
    std::lock_guard lock(mutex);
    commands.push_back(name);
    return {200, {{"done", name}}};
  }

  bool has_episode = false;
  std::mutex mutex;
  std::vector<std::string> commands;
};

std::string request(const std::string& method, const std::string& path) {
  return method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
}

TEST(RunApi, EveryRouteReachesItsRunMethod) {
  RecordingRun run;
  ControlServer server("127.0.0.1", 0, "", run_api_routes(run));
  auto get = [&](const std::string& path) {
    return http_exchange(server.port(), request("GET", path));
  };
  EXPECT_EQ(nlohmann::json::parse(get("/api/status").body)["state"], "running");
  EXPECT_EQ(nlohmann::json::parse(get("/api/config").body)["experiment"], "pendulum_ppo");
  EXPECT_EQ(get("/api/checkpoints").status, 200);
  EXPECT_EQ(nlohmann::json::parse(get("/api/metrics?after=41").body)["after"], 41);
  EXPECT_EQ(nlohmann::json::parse(get("/api/metrics").body)["after"], -1);
  EXPECT_EQ(get("/api/episode").status, 204);
  run.has_episode = true;
  EXPECT_EQ(nlohmann::json::parse(get("/api/episode").body)["length"], 3);
  for (const char* name : {"pause", "resume", "checkpoint", "stop"}) {
    HttpReply reply = http_exchange(server.port(), request("POST", std::string("/api/") + name));
    EXPECT_EQ(reply.status, 200) << name;
  }
  std::lock_guard lock(run.mutex);
  EXPECT_EQ(run.commands, (std::vector<std::string>{"pause", "resume", "checkpoint", "stop"}));
}

}  // namespace
}  // namespace sinew
