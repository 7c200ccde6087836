#include "sinew/serve/http_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include "sinew/serve/handler_lane.h"
#include "sinew/serve/http_request_parser.h"
#include "sinew/serve/tcp_sockets.h"

namespace sinew {
namespace {

using Clock = std::chrono::steady_clock;

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// how long a closing connection may keep sending before it is cut off [s]
constexpr double kLingerSeconds = 2;
// bytes a closing connection may send before it is cut off
constexpr std::size_t kLingerBytes = 1 << 20;
// reads of one connection per poll round, so one fast sender cannot starve the rest
constexpr int kReadsPerRound = 4;
// connections accepted per listener per poll round: fewer than a client's cap, so a connection
// accepted in one round is read in the next before new ones from its address can displace it
constexpr int kAcceptsPerRound = 16;

enum class Phase {
  kReading,    // reading a request (or waiting for one on a kept-alive connection)
  kHandling,   // a lane runs the handler; nothing is read meanwhile
  kWriting,    // sending the reply
  kLingering,  // reply sent, write side shut: reading and dropping what the client still sends
};

struct Connection {
  Connection(uint64_t id, int fd, std::string client, HttpRequestParser::Limits limits)
      : id(id), fd(fd), client(std::move(client)), parser(limits) {}
  uint64_t id;
  int fd;              // -1 once closed
  std::string client;  // the peer's IP address
  bool dead = false;   // closed; erased at the end of the poll round
  Phase phase = Phase::kReading;
  HttpRequestParser parser;
  bool between_requests = false;  // kept alive, no byte of the next request yet
  bool body_deadline_set = false;
  bool head_checked = false;  // the current request passed the head check
  bool trusted = false;       // the head check trusted the current request
  std::string unparsed;       // bytes read but not yet given to the parser (a pipelined request)
  std::string out;            // the reply being sent
  std::size_t out_sent = 0;
  bool close_after_write = false;
  bool head_only = false;           // the request being answered is a HEAD
  bool keep_alive = false;          // the request being answered allows keep-alive
  Clock::time_point deadline;       // of the current phase (not used while handling)
  Clock::time_point waiting_since;  // when it began to wait for its current request
  Clock::time_point accepted;       // when it was accepted
  bool spoke = false;               // the client sent a byte
  std::size_t lingered = 0;         // bytes dropped while lingering
};

}  // namespace

class HttpServer::Loop {
 public:
  Loop(Handler handler, UrgentTest is_urgent, Options options)
      : handler_(std::move(handler)),
        is_urgent_(std::move(is_urgent)),
        options_(std::move(options)),
        limits_{options_.max_head_bytes, 100, options_.max_body_bytes},
        urgent_(options_.urgent_workers, static_cast<std::size_t>(options_.max_connections)),
        shared_(options_.workers, static_cast<std::size_t>(std::max(options_.max_waiting, 0))) {
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
      throw std::system_error(errno, std::generic_category(), "pipe2");
    }
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }

  ~Loop() {
    close_lanes();
    close_all();
    ::close(wake_read_);
    ::close(wake_write_);
  }

  // Binds and listens; returns the port.
  int listen(const std::string& host, int port);
  // Serves until stop(); then closes every socket.
  void run();
  // Makes run() return soon; callable from any thread.
  void stop() {
    stopping_ = true;
    wake();
  }
  void close_lanes() {
    urgent_.close();
    shared_.close();
  }
  int open_connections() const { return open_.load(); }
  std::size_t waiting_requests() const { return shared_.waiting(); }

 private:
  void wake() {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_write_, &byte, 1);  // full pipe: already woken
  }
  void log(const std::string& message) {
    if (options_.log) {
      options_.log(message);
    } else {
      std::fprintf(stderr, "sinew: http: %s\n", message.c_str());
    }
  }

  // a reply of the server's own (refusals, timeouts, 500, 503)
  HttpResponse error_reply(int status, const std::string& message) const {
    return options_.error_reply ? options_.error_reply(status, message)
                                : HttpResponse::text(status, message);
  }
  int poll_timeout_ms(Clock::time_point now) const;
  void deliver_replies();
  void on_ready(Connection& c, short revents);
  void read_more(Connection& c);
  void parse(Connection& c);
  bool check_head(Connection& c);  // false: refused, the reply is being sent
  void dispatch(Connection& c);
  HttpResponse run_handler(const HttpRequest& request);
  void send_reply(Connection& c, const HttpResponse& response, bool close);
  void write_more(Connection& c);
  void linger(Connection& c);
  void expire_deadlines();
  void accept_new(int listener);
  bool make_room(const std::string& client);
  Connection* oldest_waiting(const std::string* client);
  void mark_dead(Connection& c);
  void close_all();

  const Handler handler_;
  const UrgentTest is_urgent_;
  const Options options_;
  const HttpRequestParser::Limits limits_;
  std::atomic<bool> stopping_{false};
  int wake_read_ = -1, wake_write_ = -1;  // a pipe: lanes and stop() write a byte to wake poll()

  // the I/O thread's own state
  std::vector<int> listeners_;
  std::map<uint64_t, std::unique_ptr<Connection>> connections_;  // by id, dead ones included
  std::unordered_map<std::string, int> open_per_client_;         // live connections by address
  std::atomic<int> open_{0};  // live connections; written by the I/O thread, read by any
  uint64_t next_id_ = 1;
  Clock::time_point accept_paused_until_;  // after running out of file descriptors

  // replies from the lanes to the I/O thread
  std::mutex replies_mutex_;
  std::vector<std::pair<uint64_t, HttpResponse>> replies_;  // guarded by replies_mutex_

  HandlerLane urgent_;
  HandlerLane shared_;
};

int HttpServer::Loop::listen(const std::string& host, int port) {
  int bound_port = 0;
  listeners_ = listen_tcp(host, port, bound_port);
  return bound_port;
}

void HttpServer::Loop::run() {
  std::vector<pollfd> fds;
  std::vector<Connection*> polled;
  while (!stopping_) {
    // what to wait for: the wake pipe, the listeners, each connection by its phase
    const Clock::time_point now = Clock::now();
    fds.clear();
    polled.clear();
    fds.push_back({wake_read_, POLLIN, 0});
    const bool accepting = now >= accept_paused_until_;
    for (int listener : listeners_) {
      fds.push_back({listener, static_cast<short>(accepting ? POLLIN : 0), 0});
    }
    const std::size_t first_connection = fds.size();
    for (auto& [id, c] : connections_) {
      short events = 0;
      if (c->phase == Phase::kReading || c->phase == Phase::kLingering) events = POLLIN;
      if (c->phase == Phase::kWriting) events = POLLOUT;
      fds.push_back({c->fd, events, 0});
      polled.push_back(c.get());
    }
    if (::poll(fds.data(), fds.size(), poll_timeout_ms(now)) < 0 && errno != EINTR) {
      log(std::string("poll failed: ") + std::strerror(errno));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (stopping_) break;
    // replies first, then reads and writes, deadlines, and last new connections
    if (fds[0].revents) {
      char drain[256];
      while (::read(wake_read_, drain, sizeof(drain)) > 0) {
      }
    }
    deliver_replies();
    for (std::size_t i = first_connection; i < fds.size(); ++i) {
      Connection& c = *polled[i - first_connection];
      if (fds[i].revents && !c.dead) on_ready(c, fds[i].revents);
    }
    expire_deadlines();
    for (std::size_t i = 1; i < first_connection; ++i) {
      if (fds[i].revents & POLLIN) accept_new(fds[i].fd);
    }
    // erase what was closed this round
    for (auto it = connections_.begin(); it != connections_.end();) {
      it = it->second->dead ? connections_.erase(it) : std::next(it);
    }
  }
  close_all();
}

int HttpServer::Loop::poll_timeout_ms(Clock::time_point now) const {
  Clock::time_point next = now + std::chrono::seconds(1);
  if (now < accept_paused_until_) next = std::min(next, accept_paused_until_);
  for (const auto& [id, c] : connections_) {
    if (c->phase != Phase::kHandling) next = std::min(next, c->deadline);
  }
  if (next <= now) return 0;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
  return static_cast<int>(ms) + 1;  // round up: never wake just before a deadline
}

void HttpServer::Loop::deliver_replies() {
  std::vector<std::pair<uint64_t, HttpResponse>> ready;
  {
    std::lock_guard lock(replies_mutex_);
    ready.swap(replies_);
  }
  for (auto& [id, response] : ready) {
    auto it = connections_.find(id);
    // the client may be gone, or displaced by a newer one
    if (it == connections_.end() || it->second->dead) continue;
    if (it->second->phase == Phase::kHandling) send_reply(*it->second, response, false);
  }
}

void HttpServer::Loop::on_ready(Connection& c, short revents) {
  switch (c.phase) {
    case Phase::kReading:
      return read_more(c);  // a hang-up or error shows as a failed read
    case Phase::kLingering:
      return linger(c);
    case Phase::kWriting:
      if (revents & (POLLERR | POLLHUP | POLLNVAL)) return mark_dead(c);
      return write_more(c);
    case Phase::kHandling:
      // nothing is read now: the only news is that the client is gone
      if (revents & (POLLERR | POLLHUP | POLLNVAL)) mark_dead(c);
      return;
  }
}

void HttpServer::Loop::read_more(Connection& c) {
  char buffer[16 * 1024];
  for (int round = 0; round < kReadsPerRound && c.phase == Phase::kReading && !c.dead; ++round) {
    ssize_t n = ::recv(c.fd, buffer, sizeof(buffer), 0);
    if (n > 0) {
      c.unparsed.append(buffer, static_cast<std::size_t>(n));
      parse(c);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    return mark_dead(c);  // closed by the client (a partial request is dropped) or failed
  }
}

void HttpServer::Loop::parse(Connection& c) {
  while (c.phase == Phase::kReading && !c.dead && !c.unparsed.empty()) {
    const bool was_started = c.parser.started();
    c.unparsed.erase(0, c.parser.feed(c.unparsed));
    const Clock::time_point now = Clock::now();
    if (!was_started && c.parser.started()) {
      if (c.between_requests) {
        // the first byte of a request on a kept-alive connection: the head deadline starts
        c.between_requests = false;
        c.deadline = now + seconds(options_.head_timeout_s);
      } else if (!c.spoke) {
        // the first byte on a new connection: the silent deadline gives way to the head's
        c.deadline = c.accepted + seconds(options_.head_timeout_s);
      }
      c.spoke = true;
    }
    const HttpRequestParser::State state = c.parser.state();
    if ((state == HttpRequestParser::State::kBody ||
         state == HttpRequestParser::State::kComplete) &&
        !c.head_checked && !check_head(c)) {
      return;  // refused: the reply is on its way, the body is never read
    }
    switch (state) {
      case HttpRequestParser::State::kHead:
        break;
      case HttpRequestParser::State::kBody:
        if (!c.body_deadline_set) {
          c.body_deadline_set = true;
          c.deadline = now + seconds(options_.body_timeout_s +
                                     static_cast<double>(c.parser.body_remaining()) /
                                         options_.min_bytes_per_s);
          if (c.parser.expects_continue()) {
            // 25 bytes into an idle socket: one send does it
            static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
            [[maybe_unused]] ssize_t n =
                ::send(c.fd, kContinue, sizeof(kContinue) - 1, MSG_NOSIGNAL);
          }
        }
        break;
      case HttpRequestParser::State::kComplete:
        dispatch(c);
        break;
      case HttpRequestParser::State::kError:
        c.head_only = false;
        send_reply(c, error_reply(c.parser.error_status(), c.parser.error_message()), true);
        break;
    }
  }
}

bool HttpServer::Loop::check_head(Connection& c) {
  c.head_checked = true;
  c.trusted = false;
  if (!options_.check_head) return true;
  HeadVerdict verdict;
  try {
    verdict = options_.check_head(c.parser.request());
  } catch (const std::exception& e) {
    log(std::string("check_head threw: ") + e.what());
    verdict.refusal = error_reply(500, "internal server error");
  }
  if (verdict.refusal) {
    c.head_only = c.parser.request().method == "HEAD";
    send_reply(c, *verdict.refusal, true);
    return false;
  }
  c.trusted = verdict.trusted;
  return true;
}

void HttpServer::Loop::dispatch(Connection& c) {
  auto request = std::make_shared<HttpRequest>(c.parser.take_request());
  request->client_address = c.client;
  c.head_only = request->method == "HEAD";
  c.keep_alive = request->keep_alive;
  c.body_deadline_set = false;
  c.head_checked = false;
  c.phase = Phase::kHandling;
  // the lane: urgent requests never wait behind blocked handlers
  bool urgent = false;
  if (is_urgent_) {
    try {
      urgent = is_urgent_(*request);
    } catch (const std::exception& e) {
      log(std::string("is_urgent threw: ") + e.what());
    }
  }
  auto job = [this, id = c.id, request] {
    HttpResponse response = run_handler(*request);
    {
      std::lock_guard lock(replies_mutex_);
      replies_.emplace_back(id, std::move(response));
    }
    wake();
  };
  if (!(urgent ? urgent_ : shared_).try_submit(std::move(job))) {
    send_reply(c, error_reply(503, "the server is busy; try again"), false);
  }
}

HttpResponse HttpServer::Loop::run_handler(const HttpRequest& request) {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    log(request.method + " " + request.path + " failed: " + e.what());
  } catch (...) {
    log(request.method + " " + request.path + " failed with an unknown exception");
  }
  return error_reply(500, "internal server error");
}

void HttpServer::Loop::send_reply(Connection& c, const HttpResponse& response, bool close) {
  const bool keep_alive = c.keep_alive && !close;
  c.close_after_write = !keep_alive;
  c.out = serialize_http_response(response, keep_alive, c.head_only);
  c.out_sent = 0;
  c.phase = Phase::kWriting;
  c.deadline = Clock::now() + seconds(options_.write_timeout_s +
                                      static_cast<double>(c.out.size()) / options_.min_bytes_per_s);
  write_more(c);
}

void HttpServer::Loop::write_more(Connection& c) {
  while (c.out_sent < c.out.size()) {
    ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // POLLOUT brings us back
    return mark_dead(c);
  }
  std::string().swap(c.out);
  const Clock::time_point now = Clock::now();
  if (c.close_after_write) {
    // close gently: a reset could destroy the reply before the client reads it
    ::shutdown(c.fd, SHUT_WR);
    c.phase = Phase::kLingering;
    c.deadline = now + seconds(kLingerSeconds);
    return;
  }
  // kept alive: wait for the next request, which may already be here
  c.phase = Phase::kReading;
  c.between_requests = true;
  c.waiting_since = now;
  c.deadline = now + seconds(options_.idle_timeout_s);
  parse(c);
}

void HttpServer::Loop::linger(Connection& c) {
  char buffer[16 * 1024];
  for (;;) {
    ssize_t n = ::recv(c.fd, buffer, sizeof(buffer), 0);
    if (n > 0) {
      c.lingered += static_cast<std::size_t>(n);
      if (c.lingered > kLingerBytes) return mark_dead(c);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    return mark_dead(c);  // the client closed its side too: done
  }
}

void HttpServer::Loop::expire_deadlines() {
  const Clock::time_point now = Clock::now();
  for (auto& [id, connection] : connections_) {
    Connection& c = *connection;
    if (c.dead || c.phase == Phase::kHandling || c.deadline > now) continue;
    if (c.phase != Phase::kReading) {
      mark_dead(c);  // a reply not taken in time, or a closing client that keeps sending
    } else if (c.parser.state() == HttpRequestParser::State::kBody) {
      c.head_only = false;
      send_reply(c, error_reply(408, "the request body took too long"), true);
    } else if (c.parser.started()) {
      c.head_only = false;
      send_reply(c, error_reply(408, "the request head took too long"), true);
    } else {
      mark_dead(c);  // not a byte sent: an idle kept-alive or an unused connection
    }
  }
}

void HttpServer::Loop::accept_new(int listener) {
  for (int i = 0; i < kAcceptsPerRound; ++i) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&address), &length,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // out of descriptors: stop accepting for a moment instead of spinning
        log(std::string("accept: ") + std::strerror(errno));
        accept_paused_until_ = Clock::now() + std::chrono::milliseconds(100);
      }
      return;
    }
    std::string client = peer_address(address);
    if (stopping_ || !make_room(client)) {
      // every connection is busy with a request: refuse this one
      static constexpr char kBusy[] =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
          "Content-Length: 21\r\nConnection: close\r\n\r\ntoo many connections\n";
      [[maybe_unused]] ssize_t n = ::send(fd, kBusy, sizeof(kBusy) - 1, MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto c = std::make_unique<Connection>(next_id_++, fd, client, limits_);
    const Clock::time_point now = Clock::now();
    c->accepted = now;
    c->waiting_since = now;
    c->deadline = now + seconds(std::min(options_.head_timeout_s, options_.silent_timeout_s));
    ++open_;
    ++open_per_client_[client];
    Connection& added = *connections_.emplace(c->id, std::move(c)).first->second;
    // a request that waited in the accept queue is often here already: read it now, before
    // newer connections from its address can displace this one
    read_more(added);
  }
}

bool HttpServer::Loop::make_room(const std::string& client) {
  auto count = open_per_client_.find(client);
  if (count != open_per_client_.end() && count->second >= options_.max_connections_per_client) {
    Connection* victim = oldest_waiting(&client);
    if (!victim) return false;
    mark_dead(*victim);
  }
  if (open_ >= options_.max_connections) {
    Connection* victim = oldest_waiting(nullptr);
    if (!victim) return false;
    mark_dead(*victim);
  }
  return true;
}

Connection* HttpServer::Loop::oldest_waiting(const std::string* client) {
  // closing connections first, then the one that has waited longest for its request head, then
  // the oldest sending an untrusted body; -1: never displaced
  auto rank = [](const Connection& c) {
    if (c.phase == Phase::kLingering) return 0;
    if (c.phase != Phase::kReading) return -1;
    if (c.parser.state() == HttpRequestParser::State::kHead) return 1;
    if (c.parser.state() == HttpRequestParser::State::kBody && !c.trusted) return 2;
    return -1;
  };
  Connection* oldest = nullptr;
  int oldest_rank = -1;
  for (auto& [id, connection] : connections_) {
    Connection& c = *connection;
    if (c.dead || (client && c.client != *client)) continue;
    const int r = rank(c);
    if (r < 0) continue;
    if (!oldest || r < oldest_rank ||
        (r == oldest_rank && c.waiting_since < oldest->waiting_since)) {
      oldest = &c;
      oldest_rank = r;
    }
  }
  return oldest;
}

void HttpServer::Loop::mark_dead(Connection& c) {
  if (c.dead) return;
  c.dead = true;
  ::close(c.fd);
  c.fd = -1;
  --open_;
  auto count = open_per_client_.find(c.client);
  if (count != open_per_client_.end() && --count->second <= 0) open_per_client_.erase(count);
}

void HttpServer::Loop::close_all() {
  for (auto& [id, c] : connections_) mark_dead(*c);
  connections_.clear();
  for (int listener : listeners_) ::close(listener);
  listeners_.clear();
}

HttpServer::HttpServer(const std::string& host, int port, Handler handler, UrgentTest is_urgent,
                       Options options)
    : loop_(std::make_unique<Loop>(std::move(handler), std::move(is_urgent), std::move(options))) {
  port_ = loop_->listen(host, port);
  io_thread_ = std::thread([this] { loop_->run(); });
}

int HttpServer::open_connections() const { return loop_->open_connections(); }

std::size_t HttpServer::waiting_requests() const { return loop_->waiting_requests(); }

HttpServer::~HttpServer() {
  loop_->stop();
  if (io_thread_.joinable()) io_thread_.join();
  loop_->close_lanes();
}

}  // namespace sinew
