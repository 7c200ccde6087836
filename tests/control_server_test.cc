// ControlServer against real sockets: routes, token, page assets, JSON replies, and the control
// endpoints staying answerable under slow clients and blocked handlers. Includes the malformed
// requests of Lifecycle.MalformedHttpRequestsGet4xxAndTheRunSurvives.
#include "sinew/serve/control_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "http_test_client.h"
#include "sinew/core/errors.h"
#include "sinew/serve/web_assets.h"

namespace sinew {
namespace {

using std::chrono::milliseconds;
using testing::http_exchange;
using testing::HttpReply;
using testing::seconds_since;
using testing::TestConnection;
using Clock = std::chrono::steady_clock;
using Reply = std::pair<int, nlohmann::json>;

// The routes of a training run, with a pause that blocks until released.
struct FakeRun {
  ApiRoutes routes() {
    ApiRoutes r;
    r.get["/api/status"] = [this](const QueryParams&) {
      return Reply{200, {{"state", stopped ? "stopping" : "running"}}};
    };
    r.post["/api/stop"] = [this](const QueryParams&) {
      stopped = true;
      return Reply{200, {{"state", "stopping"}}};
    };
    r.post["/api/pause"] = [this](const QueryParams&) {
      std::unique_lock lock(mutex);
      ++pausing;
      changed.notify_all();
      changed.wait(lock, [this] { return released; });
      return Reply{200, {{"state", "paused"}}};
    };
    r.get["/api/metrics"] = [](const QueryParams& q) {
      return Reply{200, {{"after", query_int(q, "after").value_or(-1)}}};
    };
    r.get["/api/echo"] = [](const QueryParams& q) { return Reply{200, q}; };
    r.get["/api/episode"] = [](const QueryParams&) { return Reply{204, nullptr}; };
    r.get["/api/broken"] = [](const QueryParams&) -> Reply {
      throw std::runtime_error("secret-detail-of-the-library");
    };
    return r;
  }
  void release() {
    {
      std::lock_guard lock(mutex);
      released = true;
    }
    changed.notify_all();
  }
  bool wait_for_pausing(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(5), [&] { return pausing >= n; });
  }

  std::atomic<bool> stopped{false};
  std::mutex mutex;
  std::condition_variable changed;
  int pausing = 0;        // guarded by mutex
  bool released = false;  // guarded by mutex
};

// A run and its server; the run outlives the server.
struct Served {
  explicit Served(const std::string& token = "") : server("127.0.0.1", 0, token, run.routes()) {}
  ~Served() { run.release(); }
  int port() const { return server.port(); }
  FakeRun run;
  ControlServer server;
};

std::string get(const std::string& path, const std::string& extra_headers = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra_headers + "\r\n";
}

TEST(ControlServer, ServesTheStatusAsJson) {
  Served s;
  HttpReply reply = http_exchange(s.port(), get("/api/status"));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers["content-type"], "application/json");
  EXPECT_EQ(nlohmann::json::parse(reply.body)["state"], "running");
  EXPECT_EQ(s.server.url(), "http://127.0.0.1:" + std::to_string(s.port()));
}

TEST(ControlServer, AnswersMalformedRequestsWith4xxAndKeepsServing) {
  Served s;
  HttpReply garbage = http_exchange(s.port(), "GARBAGE\r\n\r\n");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(garbage.headers["content-type"], "application/json");
  EXPECT_EQ(nlohmann::json::parse(garbage.body)["error"], "malformed request line");
  EXPECT_EQ(http_exchange(s.port(), get("/api/nothing")).status, 404);
  EXPECT_EQ(http_exchange(s.port(), get("/nothing.html")).status, 404);
  EXPECT_EQ(http_exchange(s.port(), get("/api/stop")).status, 405);
  int huge = http_exchange(s.port(),
                           "POST /api/pause HTTP/1.1\r\nHost: x\r\nContent-Length: "
                           "99999999\r\n\r\n" +
                               std::string(1000, 'x'))
                 .status;
  EXPECT_GE(huge, 400);
  EXPECT_LT(huge, 500);
  EXPECT_EQ(http_exchange(s.port(), std::string(20000, 'A') + "\r\n\r\n").status / 100, 4);
  HttpReply bad_int = http_exchange(s.port(), get("/api/metrics?after=abc"));
  EXPECT_EQ(bad_int.status, 400);
  EXPECT_NE(bad_int.body.find("after must be an integer"), std::string::npos);
  EXPECT_EQ(http_exchange(s.port(), get("/api/status")).status, 200);
}

TEST(ControlServer, AnswersAWrongMethodWith405AndAllow) {
  Served s;
  HttpReply wrong = http_exchange(s.port(), "POST /api/status HTTP/1.1\r\n\r\n");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "GET, HEAD");
  EXPECT_EQ(nlohmann::json::parse(wrong.body)["error"], "use GET");
  HttpReply put = http_exchange(s.port(), "PUT /api/stop HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.headers["allow"], "POST");
  EXPECT_EQ(http_exchange(s.port(), "DELETE / HTTP/1.1\r\n\r\n").status, 405);
}

TEST(ControlServer, ChecksTheTokenOnTheApiButNotOnThePage) {
  Served s("s3cret");
  HttpReply none = http_exchange(s.port(), get("/api/status"));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(nlohmann::json::parse(none.body)["error"], "missing or wrong bearer token");
  EXPECT_EQ(http_exchange(s.port(), get("/api/status", "Authorization: Bearer guess\r\n")).status,
            401);
  EXPECT_EQ(http_exchange(s.port(), get("/api/status", "Authorization: Bearer s3cret7\r\n")).status,
            401);
  EXPECT_EQ(http_exchange(s.port(), get("/api/nothing")).status, 401) << "token before routing";
  EXPECT_EQ(http_exchange(s.port(), "POST /api/stop HTTP/1.1\r\n\r\n").status, 401);
  EXPECT_FALSE(s.run.stopped);
  EXPECT_EQ(http_exchange(s.port(), get("/api/status", "Authorization: Bearer s3cret\r\n")).status,
            200);
  EXPECT_EQ(http_exchange(s.port(), get("/")).status, 200);
}

TEST(ControlServer, ServesThePageAssetsWithTheirHeaders) {
  Served s;
  for (const auto& [path, name] :
       std::vector<std::pair<std::string, std::string>>{{"/", "index.html"},
                                                        {"/index.html", "index.html"},
                                                        {"/app.js", "app.js"},
                                                        {"/app.css", "app.css"}}) {
    const WebAsset* asset = find_web_asset(name);
    ASSERT_NE(asset, nullptr) << name;
    HttpReply reply = http_exchange(s.port(), get(path));
    EXPECT_EQ(reply.status, 200) << path;
    EXPECT_EQ(reply.headers["content-type"], asset->content_type) << path;
    EXPECT_EQ(reply.headers["cache-control"], "no-cache") << path;
    EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff") << path;
    EXPECT_EQ(reply.body, std::string(asset->data, asset->size)) << path;
  }
  for (const char* path : {"/app.js.map", "/../app.js", "/%2e%2e/app.js", "/web/dist/app.js",
                           "/index.html/", "//app.js"}) {
    EXPECT_EQ(http_exchange(s.port(), get(path)).status, 404) << path;
  }
}

TEST(ControlServer, AnswersHeadWithHeadersOnly) {
  Served s;
  TestConnection c(s.port());
  ASSERT_TRUE(c.send("HEAD /api/status HTTP/1.1\r\n\r\n"));
  HttpReply head = c.read_reply(/*head_only=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-type"], "application/json");
  EXPECT_GT(std::stoi(head.headers["content-length"]), 0);
  ASSERT_TRUE(c.send("HEAD / HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(c.read_reply(/*head_only=*/true).headers["cache-control"], "no-cache");
  EXPECT_EQ(c.read_available(0.3), "") << "no body after either head";
}

TEST(ControlServer, AcceptsAPostWithoutABody) {
  Served s;
  HttpReply reply = http_exchange(s.port(), "POST /api/stop HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(s.run.stopped);
}

TEST(ControlServer, HidesAHandlersExceptionBehindAGeneric500) {
  Served s;
  HttpReply reply = http_exchange(s.port(), get("/api/broken"));
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"], "internal error");
  EXPECT_EQ(reply.body.find("secret"), std::string::npos);
}

TEST(ControlServer, SendsNoBodyWith204) {
  Served s;
  TestConnection c(s.port());
  ASSERT_TRUE(c.send(get("/api/episode")));
  HttpReply reply = c.read_reply();
  EXPECT_EQ(reply.status, 204);
  EXPECT_EQ(reply.headers.count("content-length"), 0u);
  ASSERT_TRUE(c.send(get("/api/status")));
  EXPECT_EQ(c.read_reply().status, 200) << "the connection stays in step";
}

TEST(ControlServer, GivesHandlersThePercentDecodedQuery) {
  Served s;
  HttpReply reply = http_exchange(s.port(), get("/api/echo?run=a%2Fb+c&after=5&flag"));
  auto query = nlohmann::json::parse(reply.body);
  EXPECT_EQ(query["run"], "a/b c");
  EXPECT_EQ(query["after"], "5");
  EXPECT_EQ(query["flag"], "");
}

TEST(ControlServer, AnswersStatusAndStopWhilePauseHandlersBlock) {
  Served s;
  std::vector<std::unique_ptr<TestConnection>> pausing;
  for (int i = 0; i < 8; ++i) {  // more than the shared lane's threads
    pausing.push_back(std::make_unique<TestConnection>(s.port(), "127.0.0.1", 10));
    ASSERT_TRUE(pausing.back()->send("POST /api/pause HTTP/1.1\r\n\r\n"));
  }
  ASSERT_TRUE(s.run.wait_for_pausing(4));
  auto start = Clock::now();
  EXPECT_EQ(http_exchange(s.port(), get("/api/status")).status, 200);
  EXPECT_EQ(http_exchange(s.port(), "POST /api/stop HTTP/1.1\r\n\r\n").status, 200);
  EXPECT_EQ(http_exchange(s.port(), get("/")).status, 200);
  EXPECT_LT(seconds_since(start), 2.0);
  s.run.release();
  for (auto& c : pausing) EXPECT_EQ(c->read_reply().status, 200);
}

// The attack: a hundred connections from one address, each sending a header line now and
// then, with the default limits. Status and stop must answer within about a second throughout.
TEST(ControlServer, AnswersStatusAndStopDespiteAHundredSlowLorisClients) {
  Served s;
  std::vector<std::unique_ptr<TestConnection>> loris;
  for (int i = 0; i < 100; ++i) {
    loris.push_back(std::make_unique<TestConnection>(s.port()));
    loris.back()->send("GET /api/status HTTP/1.1\r\n");
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int round = 0; !done; ++round) {
      for (auto& c : loris) c->send("X-Slow-" + std::to_string(round) + ": 1\r\n");
      for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(milliseconds(100));
    }
  });
  double slowest = 0;
  for (int i = 0; i < 5; ++i) {
    auto start = Clock::now();
    EXPECT_EQ(http_exchange(s.port(), get("/api/status")).status, 200);
    EXPECT_EQ(http_exchange(s.port(), "POST /api/stop HTTP/1.1\r\n\r\n").status, 200);
    slowest = std::max(slowest, seconds_since(start));
    std::this_thread::sleep_for(milliseconds(500));
  }
  done = true;
  trickle.join();
  EXPECT_LT(slowest, 2.0) << "status + stop";
}

TEST(ControlServer, RefusesANonLoopbackHostWithoutAToken) {
  FakeRun run;
  EXPECT_THROW(ControlServer("0.0.0.0", 0, "", run.routes()), UserError);
  ControlServer with_token("0.0.0.0", 0, "t", run.routes());
  EXPECT_EQ(
      http_exchange(with_token.port(), get("/api/status", "Authorization: Bearer t\r\n")).status,
      200);
}

TEST(ControlServer, GivesAUserErrorWhenThePortIsTaken) {
  Served s;
  FakeRun run;
  EXPECT_THROW(ControlServer("127.0.0.1", s.port(), "", run.routes()), UserError);
}

TEST(ControlServer, TellsLoopbackHosts) {
  EXPECT_TRUE(ControlServer::is_loopback("127.0.0.1"));
  EXPECT_TRUE(ControlServer::is_loopback("127.1.2.3"));
  EXPECT_TRUE(ControlServer::is_loopback("::1"));
  EXPECT_TRUE(ControlServer::is_loopback("localhost"));
  EXPECT_FALSE(ControlServer::is_loopback("0.0.0.0"));
  EXPECT_FALSE(ControlServer::is_loopback("::"));
}

TEST(ControlServer, WritesIpv6UrlsWithBrackets) {
  FakeRun run;
  std::unique_ptr<ControlServer> server;
  try {
    server = std::make_unique<ControlServer>("::1", 0, "", run.routes());
  } catch (const UserError&) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  EXPECT_EQ(server->url(), "http://[::1]:" + std::to_string(server->port()));
}

}  // namespace
}  // namespace sinew
