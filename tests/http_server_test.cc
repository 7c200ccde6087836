// HttpServer against real sockets on 127.0.0.1: the protocol details, the deadlines, the caps and
// the lanes. Deadlines are shortened through Options so the suite stays fast.
#include "sinew/serve/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "http_test_client.h"
#include "wait_until.h"

namespace sinew {
namespace {

using std::chrono::milliseconds;
using testing::http_exchange;
using testing::HttpReply;
using testing::seconds_since;
using testing::TestConnection;
using Clock = std::chrono::steady_clock;

// A gate that blocking handlers wait at until the test opens it (or it is destroyed).
class Gate {
 public:
  ~Gate() { open(); }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  // Waits until `n` handlers wait at the gate; false after 5 s.
  bool wait_for_waiters(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;  // guarded by mutex_
  int waiting_ = 0;    // guarded by mutex_
};

// Replies "<method> <path> <body size>"; /block waits at the gate; /throw throws.
struct EchoServer {
  explicit EchoServer(HttpServer::Options options = {},
                      HttpServer::UrgentTest is_urgent = nullptr) {
    options.log = [this](const std::string& line) {
      std::lock_guard lock(log_mutex);
      log += line + "\n";
    };
    server = std::make_unique<HttpServer>(
        "127.0.0.1", 0,
        [this](const HttpRequest& r) {
          if (r.path == "/block") gate.wait();
          if (r.path == "/throw") throw std::runtime_error("secret-detail-of-the-library");
          if (r.path == "/big") {
            HttpResponse big;
            big.body.assign(32 << 20, 'x');
            return big;
          }
          return HttpResponse::text(200,
                                    r.method + " " + r.path + " " + std::to_string(r.body.size()));
        },
        std::move(is_urgent), std::move(options));
  }
  ~EchoServer() {
    gate.open();  // blocked handlers return, so the server's destructor can join them
    server.reset();
  }
  int port() const { return server->port(); }
  std::string logged() {
    std::lock_guard lock(log_mutex);
    return log;
  }

  Gate gate;
  std::mutex log_mutex;
  std::string log;  // guarded by log_mutex
  std::unique_ptr<HttpServer> server;
};

TEST(HttpServer, AnswersTwoRequestsOnOneKeptAliveConnection) {
  EchoServer echo;
  TestConnection c(echo.port());
  ASSERT_TRUE(c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"));
  HttpReply first = c.read_reply();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "GET /one 0\n");
  EXPECT_EQ(first.headers["connection"], "keep-alive");
  ASSERT_TRUE(c.send("POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
  EXPECT_EQ(c.read_reply().body, "POST /two 3\n");
}

TEST(HttpServer, AnswersPipelinedRequestsInOrder) {
  EchoServer echo;
  TestConnection c(echo.port());
  ASSERT_TRUE(c.send("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(c.read_reply().body, "GET /1 0\n");
  EXPECT_EQ(c.read_reply().body, "GET /2 0\n");
  EXPECT_EQ(c.read_reply().body, "GET /3 0\n");
}

TEST(HttpServer, HonoursConnectionCloseAndClosesHttp10) {
  EchoServer echo;
  for (const char* request :
       {"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", "GET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"}) {
    TestConnection c(echo.port());
    ASSERT_TRUE(c.send(request));
    HttpReply reply = c.read_reply();
    EXPECT_EQ(reply.status, 200) << request;
    EXPECT_EQ(reply.headers["connection"], "close") << request;
    EXPECT_TRUE(c.closed_within(3)) << request;
  }
}

TEST(HttpServer, HeadGetsTheHeadersAndLengthWithoutTheBody) {
  EchoServer echo;
  TestConnection c(echo.port());
  ASSERT_TRUE(c.send("HEAD /page HTTP/1.1\r\n\r\n"));
  HttpReply head = c.read_reply(/*head_only=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], std::to_string(std::string("HEAD /page 0\n").size()));
  EXPECT_EQ(c.read_available(0.3), "") << "no body after the head";
  // the connection is still in step
  ASSERT_TRUE(c.send("GET /after HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(c.read_reply().body, "GET /after 0\n");
}

TEST(HttpServer, TakesAPostWithoutContentLengthAsAnEmptyBody) {
  EchoServer echo;
  HttpReply reply = http_exchange(echo.port(), "POST /api/stop HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "POST /api/stop 0\n");
}

TEST(HttpServer, RefusesANegativeContentLengthAtOnce) {
  EchoServer echo;
  auto start = Clock::now();
  HttpReply reply =
      http_exchange(echo.port(), "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.headers["connection"], "close");
  EXPECT_LT(seconds_since(start), 2.0) << "must not wait for a body";
}

TEST(HttpServer, RefusesTwoContentLengths) {
  EchoServer echo;
  EXPECT_EQ(http_exchange(echo.port(),
                          "POST /x HTTP/1.1\r\nContent-Length: 1\r\n"
                          "Content-Length: 1\r\n\r\na")
                .status,
            400);
}

TEST(HttpServer, RefusesChunkedBodiesWith411) {
  EchoServer echo;
  EXPECT_EQ(http_exchange(echo.port(),
                          "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "3\r\nabc\r\n0\r\n\r\n")
                .status,
            411);
}

TEST(HttpServer, RefusesAnOversizedBodyFromItsHeaderWithoutReadingIt) {
  EchoServer echo;
  auto start = Clock::now();
  HttpReply reply = http_exchange(
      echo.port(), "POST /api/pause HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n" +
                       std::string(1000, 'x'));
  EXPECT_EQ(reply.status, 413);
  EXPECT_LT(seconds_since(start), 2.0);
}

TEST(HttpServer, AnswersMalformedRequestsWith4xx) {
  EchoServer echo;
  EXPECT_EQ(http_exchange(echo.port(), "GARBAGE\r\n\r\n").status, 400);
  EXPECT_EQ(http_exchange(echo.port(), std::string(20000, 'A') + "\r\n\r\n").status, 414);
  EXPECT_EQ(
      http_exchange(echo.port(), "GET / HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n")
          .status,
      431);
  EXPECT_EQ(http_exchange(echo.port(), "GET / HTTP/3.0\r\n\r\n").status, 505);
  // the server is fine afterwards
  EXPECT_EQ(http_exchange(echo.port(), "GET / HTTP/1.1\r\n\r\n").status, 200);
}

TEST(HttpServer, AnswersAThrowingHandlerWith500WithoutItsText) {
  EchoServer echo;
  HttpReply reply = http_exchange(echo.port(), "GET /throw HTTP/1.1\r\n\r\n");
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.body.find("secret"), std::string::npos) << reply.body;
  EXPECT_NE(echo.logged().find("secret-detail-of-the-library"), std::string::npos)
      << "the detail goes to the log";
}

TEST(HttpServer, Answers100ContinueBeforeTheBody) {
  EchoServer echo;
  TestConnection c(echo.port());
  ASSERT_TRUE(c.send("POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  EXPECT_EQ(c.read_reply().status, 100);
  ASSERT_TRUE(c.send("data"));
  EXPECT_EQ(c.read_reply().body, "POST /up 4\n");
}

TEST(HttpServer, ClosesASlowHeadAtItsTotalDeadline) {
  HttpServer::Options options;
  options.head_timeout_s = 1;
  EchoServer echo(options);
  TestConnection c(echo.port(), "127.0.0.1", 10);
  auto start = Clock::now();
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\n"));
  // one header line every 200 ms: each line is progress, the total still runs out
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int i = 0; i < 40 && !done; ++i) {
      std::this_thread::sleep_for(milliseconds(200));
      if (!c.send("X-Slow: " + std::to_string(i) + "\r\n")) break;
    }
  });
  HttpReply reply = c.read_reply();
  double took = seconds_since(start);
  done = true;
  trickle.join();
  EXPECT_EQ(reply.status, 408);
  EXPECT_GE(took, 0.8);
  EXPECT_LT(took, 4.0);
}

TEST(HttpServer, ClosesAConnectionThatSendsNothingAtTheHeadDeadline) {
  HttpServer::Options options;
  options.head_timeout_s = 0.5;
  EchoServer echo(options);
  TestConnection c(echo.port());
  auto start = Clock::now();
  EXPECT_TRUE(c.closed_within(4));
  EXPECT_GE(seconds_since(start), 0.4);
}

TEST(HttpServer, ClosesAnIdleKeptAliveConnection) {
  HttpServer::Options options;
  options.idle_timeout_s = 0.5;
  EchoServer echo(options);
  TestConnection c(echo.port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\n\r\n"));
  ASSERT_EQ(c.read_reply().status, 200);
  EXPECT_TRUE(c.closed_within(4));
}

TEST(HttpServer, ClosesASlowBodyAtItsDeadline) {
  HttpServer::Options options;
  options.body_timeout_s = 1;
  EchoServer echo(options);
  TestConnection c(echo.port(), "127.0.0.1", 10);
  auto start = Clock::now();
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"));
  HttpReply reply = c.read_reply();
  EXPECT_EQ(reply.status, 408);
  EXPECT_LT(seconds_since(start), 4.0);
}

TEST(HttpServer, DropsAClientThatDoesNotReadItsReply) {
  HttpServer::Options options;
  options.write_timeout_s = 1;
  options.min_bytes_per_s = 1e12;  // the deadline is the 1 s alone
  EchoServer echo(options);
  TestConnection c(echo.port(), "127.0.0.1", 10);
  ASSERT_TRUE(c.send("GET /big HTTP/1.1\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // not reading
  std::string got = c.read_available(5);
  EXPECT_LT(got.size(), std::size_t{32} << 20) << "the reply was cut off";
  EXPECT_TRUE(c.closed_within(2));
}

TEST(HttpServer, DisplacesTheOldestWaitingConnectionOfAClientAtItsCap) {
  HttpServer::Options options;
  options.max_connections_per_client = 4;
  EchoServer echo(options);
  std::vector<std::unique_ptr<TestConnection>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<TestConnection>(echo.port()));
    // accepted in this order
    ASSERT_TRUE(testing::wait_until([&] { return echo.server->open_connections() == i + 1; }));
  }
  // a fifth gets in and is served; the oldest makes room
  EXPECT_EQ(http_exchange(echo.port(), "GET /fifth HTTP/1.1\r\n\r\n").status, 200);
  EXPECT_TRUE(idle[0]->closed_within(3));
  EXPECT_FALSE(idle[3]->closed_within(0.2));
}

// A head check like sinew's token rule: "/secret" needs "X-Key: k", which makes it trusted.
HttpServer::Options with_key_check(HttpServer::Options options = {}) {
  options.check_head = [](const HttpRequest& head) {
    HttpServer::HeadVerdict verdict;
    if (head.path != "/secret") return verdict;
    if (head.header("x-key") == "k") {
      verdict.trusted = true;
    } else {
      verdict.refusal = HttpResponse::text(401, "no key");
    }
    return verdict;
  };
  return options;
}

TEST(HttpServer, RefusesAtTheHeadWithoutWaitingForTheBody) {
  EchoServer echo(with_key_check());
  TestConnection c(echo.port(), "127.0.0.1", 3);
  auto start = Clock::now();
  ASSERT_TRUE(c.send("PUT /secret HTTP/1.1\r\nContent-Length: 60000\r\n\r\n"));
  HttpReply reply = c.read_reply();
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.body, "no key\n");
  EXPECT_LT(seconds_since(start), 1.0) << "the refusal waited for the body";
  EXPECT_TRUE(c.closed_within(3));
  // with the key the same request is taken, body and all
  TestConnection keyed(echo.port());
  ASSERT_TRUE(keyed.send("PUT /secret HTTP/1.1\r\nX-Key: k\r\nContent-Length: 3\r\n\r\nabc"));
  EXPECT_EQ(keyed.read_reply().body, "PUT /secret 3\n");
}

TEST(HttpServer, DisplacesAnUntrustedBodyButNeverATrustedOne) {
  HttpServer::Options options = with_key_check();
  options.max_connections_per_client = 2;
  EchoServer echo(options);
  // both slots hold bodies that never come: one trusted, one not
  TestConnection trusted(echo.port()), untrusted(echo.port());
  ASSERT_TRUE(trusted.send("PUT /secret HTTP/1.1\r\nX-Key: k\r\nContent-Length: 100\r\n\r\n"));
  ASSERT_TRUE(untrusted.send("PUT /open HTTP/1.1\r\nContent-Length: 100\r\n\r\n"));
  ASSERT_FALSE(untrusted.closed_within(0.3));  // both heads read
  // a fresh connection gets in: the untrusted body makes room
  EXPECT_EQ(http_exchange(echo.port(), "GET /fresh HTTP/1.1\r\n\r\n").status, 200);
  EXPECT_TRUE(untrusted.closed_within(3));
  // the trusted one goes on and is answered
  ASSERT_TRUE(trusted.send(std::string(100, 'x')));
  EXPECT_EQ(trusted.read_reply().body, "PUT /secret 100\n");
}

TEST(HttpServer, ClosesANewConnectionThatSendsNothingAtTheSilentDeadline) {
  HttpServer::Options options;
  options.silent_timeout_s = 0.5;  // the head deadline stays 10 s
  EchoServer echo(options);
  TestConnection silent(echo.port()), speaking(echo.port());
  ASSERT_TRUE(speaking.send("GET / HTTP/1.1\r\n"));  // a head begun: the head deadline holds
  auto start = Clock::now();
  EXPECT_TRUE(silent.closed_within(4));
  EXPECT_GE(seconds_since(start), 0.4);
  EXPECT_FALSE(speaking.closed_within(0.5));
  ASSERT_TRUE(speaking.send("\r\n"));
  EXPECT_EQ(speaking.read_reply().status, 200);
}

TEST(HttpServer, RefusesANewConnectionWith503WhenEveryConnectionIsBusy) {
  HttpServer::Options options;
  options.max_connections = 2;
  EchoServer echo(options);
  TestConnection a(echo.port()), b(echo.port());
  ASSERT_TRUE(a.send("GET /block HTTP/1.1\r\n\r\n"));
  ASSERT_TRUE(b.send("GET /block HTTP/1.1\r\n\r\n"));
  ASSERT_TRUE(echo.gate.wait_for_waiters(2));
  TestConnection third(echo.port());
  HttpReply refused = third.read_reply();
  EXPECT_EQ(refused.status, 503);
  EXPECT_TRUE(third.closed_within(3));
  echo.gate.open();
  EXPECT_EQ(a.read_reply().status, 200);
  EXPECT_EQ(b.read_reply().status, 200);
}

TEST(HttpServer, KeepsUrgentRequestsAnsweredWhileSharedHandlersBlock) {
  HttpServer::Options options;
  options.workers = 2;
  options.max_waiting = 1;
  EchoServer echo(options, [](const HttpRequest& r) { return r.path == "/urgent"; });
  std::vector<std::unique_ptr<TestConnection>> blocked;
  for (int i = 0; i < 3; ++i) {  // two run, one waits
    blocked.push_back(std::make_unique<TestConnection>(echo.port()));
    ASSERT_TRUE(blocked.back()->send("GET /block HTTP/1.1\r\n\r\n"));
  }
  ASSERT_TRUE(echo.gate.wait_for_waiters(2));
  ASSERT_TRUE(testing::wait_until([&] { return echo.server->waiting_requests() == 1; }));
  EXPECT_EQ(http_exchange(echo.port(), "GET /block HTTP/1.1\r\n\r\n").status, 503)
      << "the shared lane's queue is full";
  for (int i = 0; i < 5; ++i) {
    auto start = Clock::now();
    EXPECT_EQ(http_exchange(echo.port(), "GET /urgent HTTP/1.1\r\n\r\n").status, 200);
    EXPECT_LT(seconds_since(start), 2.0);
  }
  echo.gate.open();
  for (auto& c : blocked) EXPECT_EQ(c->read_reply().status, 200);
}

TEST(HttpServer, StaysAnswerableWithAHundredSlowLorisConnectionsUnderItsCaps) {
  HttpServer::Options options;
  options.max_connections_per_client = 200;  // all hundred are held: no displacing here
  EchoServer echo(options);
  std::vector<std::unique_ptr<TestConnection>> loris;
  for (int i = 0; i < 100; ++i) {
    loris.push_back(std::make_unique<TestConnection>(echo.port()));
    ASSERT_TRUE(loris.back()->connected());
    loris.back()->send("GET / HTTP/1.1\r\n");
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int round = 0; !done; ++round) {
      for (auto& c : loris) c->send("X-Slow-" + std::to_string(round) + ": 1\r\n");
      for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(milliseconds(100));
    }
  });
  for (int i = 0; i < 6; ++i) {
    auto start = Clock::now();
    EXPECT_EQ(http_exchange(echo.port(), "GET /status HTTP/1.1\r\n\r\n").status, 200);
    EXPECT_LT(seconds_since(start), 1.5);
    std::this_thread::sleep_for(milliseconds(400));
  }
  done = true;
  trickle.join();
}

TEST(HttpServer, StopsPromptlyWithClientsConnected) {
  auto echo = std::make_unique<EchoServer>();
  std::vector<std::unique_ptr<TestConnection>> clients;
  for (int i = 0; i < 20; ++i) {
    clients.push_back(std::make_unique<TestConnection>(echo->port()));
    clients.back()->send("GET / HTTP/1.1\r\nX: half a head\r\n");
  }
  ASSERT_TRUE(testing::wait_until([&] { return echo->server->open_connections() == 20; }));
  auto start = Clock::now();
  echo.reset();
  EXPECT_LT(seconds_since(start), 1.0);
  for (auto& c : clients) EXPECT_TRUE(c->closed_within(1));
}

TEST(HttpServer, ListensOnIpv6LoopbackAndOnLocalhost) {
  HttpServer::Handler ok = [](const HttpRequest& r) {
    return HttpResponse::text(200, r.client_address);
  };
  std::unique_ptr<HttpServer> v6;
  try {
    v6 = std::make_unique<HttpServer>("::1", 0, ok, nullptr, HttpServer::Options{});
  } catch (const std::system_error&) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  TestConnection c(v6->port(), "::1");
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(c.read_reply().body, "::1\n");
  HttpServer local("localhost", 0, ok, nullptr, HttpServer::Options{});
  EXPECT_EQ(http_exchange(local.port(), "GET / HTTP/1.1\r\n\r\n").body, "127.0.0.1\n");
}

TEST(HttpServer, ThrowsWhenThePortIsTaken) {
  EchoServer echo;
  EXPECT_THROW(HttpServer("127.0.0.1", echo.port(), nullptr, nullptr, HttpServer::Options{}),
               std::system_error);
}

}  // namespace
}  // namespace sinew
