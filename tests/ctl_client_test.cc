// The `sinew ctl` client (cpp-httplib, as in cli/ctl_command.cc) against ControlServer.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>

#include "sinew/serve/control_server.h"

namespace sinew {
namespace {

using Reply = std::pair<int, nlohmann::json>;

TEST(ControlServer, AnswersTheCtlClient) {
  std::atomic<bool> stopped{false};
  ApiRoutes routes;
  routes.get["/api/status"] = [](const QueryParams&) { return Reply{200, {{"state", "running"}}}; };
  routes.post["/api/stop"] = [&](const QueryParams&) {
    stopped = true;
    return Reply{200, {{"state", "stopping"}}};
  };
  ControlServer server("127.0.0.1", 0, "s3cret", std::move(routes));

  // the calls of ctl_command.cc
  httplib::Client client(server.url());
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  httplib::Headers headers{{"Authorization", "Bearer s3cret"}};
  auto status = client.Get("/api/status", headers);
  ASSERT_TRUE(status) << httplib::to_string(status.error());
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(nlohmann::json::parse(status->body)["state"], "running");
  auto stop = client.Post("/api/stop", headers, "", "application/json");
  ASSERT_TRUE(stop) << httplib::to_string(stop.error());
  EXPECT_EQ(stop->status, 200);
  EXPECT_TRUE(stopped);
  auto denied = client.Get("/api/status");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);

  // a kept-alive client, as the dashboard's browser is
  client.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto again = client.Get("/api/status", headers);
    ASSERT_TRUE(again) << httplib::to_string(again.error());
    EXPECT_EQ(again->status, 200);
  }
  auto head = client.Head("/", headers);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

}  // namespace
}  // namespace sinew
