// A small HTTP/1.1 server built to stay answerable when clients are slow or hostile.
//
// Threads: one I/O thread runs poll() over non-blocking sockets; it accepts, reads and parses
// requests (HttpRequestParser) and writes responses, so a slow client costs a socket and a
// buffer, never a thread. A complete request goes to one of two HandlerLanes:
//   - the urgent lane (Options::urgent_workers threads) for requests `is_urgent` picks: cheap
//     requests that must answer while other handlers block (sinew: GET /api/status,
//     POST /api/stop, the page, and every reply that runs no route handler);
//   - the shared lane (Options::workers threads, at most Options::max_waiting requests waiting)
//     for the rest; beyond that a request gets 503 at once.
// A connection carries one request at a time: the next one is not read until the reply is sent.
//
// The head check: once a request's head is complete, before a byte of its body is read or a lane
// is taken, Options::check_head may refuse it (a missing token: 401 and close, the body never
// read) or mark the connection trusted (the request proved who sent it).
//
// Deadlines, each a total, not per read:
//   silent Options::silent_timeout_s from accept for the first byte; then the connection closes;
//   head   Options::head_timeout_s from accept, or from the first byte of a request that follows
//          another on a kept-alive connection, to the end of the head; then 408 and close;
//   idle   a kept-alive connection with no new byte within idle_timeout_s is closed;
//   body   body_timeout_s + Content-Length / min_bytes_per_s from the end of the head; then 408;
//   write  write_timeout_s + response size / min_bytes_per_s; then the connection is closed.
// A handler's own run time is not limited here (sinew's pause and checkpoint block for seconds).
//
// Caps: at most max_connections open connections, and max_connections_per_client from one IP
// address. A connection over a cap displaces one (of that address, or of all) that is waiting on
// its client: first one that is closing, then the one that has waited longest for a request
// head, then the oldest one sending the body of a request the head check did not trust. So
// stalled or unauthenticated clients cannot lock out a fresh one from the same address (all
// local clients share 127.0.0.1). Connections running handlers, sending replies or sending a
// trusted body are never displaced; when nothing can be, the new one gets 503 and is closed.
//
// Requests: see HttpRequestParser for what is refused (400, 411 for any Transfer-Encoding, 413,
// 414, 431, 505); refusals close the connection. HTTP/1.1 keeps connections alive unless the
// client sends "Connection: close"; HTTP/1.0 closes after the reply. A reply to HEAD carries the
// headers and Content-Length of the handler's reply without its body. "Expect: 100-continue" is
// answered with 100 Continue. A handler that throws gives 500 "internal server error"; the
// exception's text goes to Options::log, never to the client.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "sinew/serve/http_request.h"
#include "sinew/serve/http_response.h"

namespace sinew {

class HttpServer {
 public:
  // What the head check decides about a request.
  struct HeadVerdict {
    std::optional<HttpResponse> refusal;  // set: sent at once, the connection then closed
    bool trusted = false;                 // the request proved who sent it (e.g. a token)
  };
  struct Options {
    std::size_t max_head_bytes = 16 * 1024;    // request line + header fields [bytes]
    std::uint64_t max_body_bytes = 64 * 1024;  // larger bodies get 413 [bytes]
    double silent_timeout_s = 3;               // see "Deadlines" above [s]
    double head_timeout_s = 10;                // [s]
    double idle_timeout_s = 5;                 // [s]
    double body_timeout_s = 10;                // plus the body at min_bytes_per_s [s]
    double write_timeout_s = 10;               // plus the reply at min_bytes_per_s [s]
    double min_bytes_per_s = 64 * 1024;        // the slowest body upload / reply download allowed
    int max_connections = 256;
    int max_connections_per_client = 32;  // per client IP address
    int workers = 4;                      // threads of the shared lane
    int max_waiting = 32;                 // requests waiting for the shared lane; then 503
    int urgent_workers = 4;               // threads of the urgent lane
    // Where server-side detail goes (a handler's exception text, failed accepts). Null: stderr.
    std::function<void(const std::string&)> log;
    // The server's own replies (refusals, 408, 500, 503) from a status and a short reason. Null:
    // HttpResponse::text. Called on the I/O thread and the lanes: must not block or throw.
    std::function<HttpResponse(int status, const std::string& message)> error_reply;
    // The head check (see above). Called on the I/O thread with the request's head (no body):
    // must be quick, must not block or throw. Null: every request is taken, none trusted.
    std::function<HeadVerdict(const HttpRequest& head)> check_head;
  };
  // Returns the reply to a request; called on a lane thread, may block, may throw.
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // True for requests that run on the urgent lane. Called on the I/O thread: must be quick and
  // must not block. Null: every request runs on the shared lane.
  using UrgentTest = std::function<bool(const HttpRequest&)>;

  // Binds `host` (an IPv4 or IPv6 address, or a name such as "localhost": then every address it
  // resolves to that can be bound, on one port) and `port` (0: any free port), listens, and
  // starts serving. Throws std::system_error when the host does not resolve or nothing can be
  // bound.
  HttpServer(const std::string& host, int port, Handler handler, UrgentTest is_urgent,
             Options options);
  // Stops accepting and reading, closes every connection at once, drops requests still waiting
  // for a lane, and waits for handlers already running to return.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // What the server holds now, callable from any thread (for tests and status pages): the open
  // connections (accepted, not yet closed), and the requests waiting for a thread of the shared
  // lane.
  int open_connections() const;
  std::size_t waiting_requests() const;

 private:
  class Loop;  // the I/O thread's state: listeners, connections, lanes (http_server.cc)
  std::unique_ptr<Loop> loop_;
  int port_ = 0;
  std::thread io_thread_;
};

}  // namespace sinew
