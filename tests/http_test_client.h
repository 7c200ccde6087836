// A blocking HTTP test client over a real TCP socket: sends raw bytes, reads replies. For tests of
// the HTTP server only; every wait is bounded by the timeout given at connect.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sinew::testing {

struct HttpReply {
  int status = 0;                              // 0: no complete reply (closed or timed out)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class TestConnection {
 public:
  // Connects to `ip` (IPv4 or IPv6 text) on `port`; every read waits at most `timeout_s`.
  explicit TestConnection(int port, const std::string& ip = "127.0.0.1", double timeout_s = 5)
      : timeout_s_(timeout_s) {
    sockaddr_storage address{};
    socklen_t length = 0;
    if (ip.find(':') != std::string::npos) {
      auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
      v6.sin6_family = AF_INET6;
      v6.sin6_port = htons(static_cast<uint16_t>(port));
      inet_pton(AF_INET6, ip.c_str(), &v6.sin6_addr);
      length = sizeof(v6);
    } else {
      auto& v4 = reinterpret_cast<sockaddr_in&>(address);
      v4.sin_family = AF_INET;
      v4.sin_port = htons(static_cast<uint16_t>(port));
      inet_pton(AF_INET, ip.c_str(), &v4.sin_addr);
      length = sizeof(v4);
    }
    fd_ = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~TestConnection() {
    if (fd_ >= 0) close(fd_);
  }
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends all of `bytes`; false when the connection is gone.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one reply: the head, then Content-Length bytes of body (none when `head_only`, as for
  // a HEAD request, or for 1xx and 204). status 0 when the connection closed or timed out first.
  HttpReply read_reply(bool head_only = false) {
    HttpReply reply;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return reply;
    }
    std::string head = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return reply;
    int status = std::atoi(head.c_str() + 9);
    for (std::size_t at = head.find("\r\n") + 2; at < head.size();) {
      std::size_t line_end = head.find("\r\n", at);
      std::string line = head.substr(at, line_end - at);
      at = line_end + 2;
      std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t value_at = line.find_first_not_of(' ', colon + 1);
      reply.headers[name] = value_at == std::string::npos ? "" : line.substr(value_at);
    }
    std::size_t length = 0;
    if (!head_only && status >= 200 && status != 204 && reply.headers.count("content-length")) {
      length = std::stoul(reply.headers["content-length"]);
    }
    while (buffer_.size() < length) {
      if (!fill()) return reply;
    }
    reply.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    reply.status = status;
    return reply;
  }

  // True when the server closes the connection (end of stream or reset) within `seconds`;
  // whatever it sends before is dropped.
  bool closed_within(double seconds) {
    const auto until = deadline(seconds);
    char chunk[4096];
    while (auto n = recv_until(until, chunk, sizeof(chunk))) {
      if (*n == 0 || (*n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
    }
    return false;
  }

  // Bytes received and not yet read as a reply, after waiting up to `seconds` for more.
  std::string read_available(double seconds) {
    const auto until = deadline(seconds);
    char chunk[4096];
    while (auto n = recv_until(until, chunk, sizeof(chunk))) {
      if (*n <= 0) break;
      buffer_.append(chunk, static_cast<std::size_t>(*n));
    }
    std::string out;
    out.swap(buffer_);
    return out;
  }

 private:
  static std::chrono::steady_clock::time_point deadline(double seconds) {
    return std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(seconds));
  }
  // recv() of what arrives before `until` (0: closed, < 0: error); nullopt when nothing did.
  std::optional<ssize_t> recv_until(std::chrono::steady_clock::time_point until, char* chunk,
                                    std::size_t size) {
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      return recv(fd_, chunk, size, MSG_DONTWAIT);
    }
    return std::nullopt;
  }

  // reads more into buffer_; false on close, error or timeout
  bool fill() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout_s_ * 1000)) <= 0) return false;
    char chunk[16384];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  double timeout_s_;
  std::string buffer_;  // received, not yet read as a reply
};

// One request on a fresh connection; the reply (status 0 when none came).
inline HttpReply http_exchange(int port, const std::string& request, bool head_only = false,
                               double timeout_s = 5) {
  TestConnection connection(port, "127.0.0.1", timeout_s);
  if (!connection.connected() || !connection.send(request)) return {};
  return connection.read_reply(head_only);
}

// Seconds since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace sinew::testing
