#include "sinew/serve/tcp_sockets.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sinew {

// The peer's IP address as text; an IPv4-mapped IPv6 address as plain IPv4.
std::string peer_address(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
      inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof(text));
    } else {
      inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
    }
  }
  return text;
}

std::vector<int> listen_tcp(const std::string& host, int port, int& bound_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    throw std::system_error(EADDRNOTAVAIL, std::generic_category(),
                            "cannot resolve " + host + ": " + gai_strerror(rc));
  }
  // every address the host names, all on the port the first one got
  std::vector<int> listeners;
  bound_port = port;
  int last_error = EADDRNOTAVAIL;
  for (addrinfo* a = found; a; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    if (a->ai_family == AF_INET) {
      reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_port = htons(bound_port);
    } else {
      reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_port = htons(bound_port);
    }
    int fd = ::socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (a->ai_family == AF_INET6) {
      // "::" takes IPv4 too; a specific IPv6 address only itself
      const auto& v6 = reinterpret_cast<const sockaddr_in6&>(*a->ai_addr);
      int v6_only = IN6_IS_ADDR_UNSPECIFIED(&v6.sin6_addr) ? 0 : 1;
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6_only, sizeof(v6_only));
    }
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      last_error = errno;
      ::close(fd);
      continue;
    }
    if (bound_port == 0) {
      sockaddr_storage address{};
      socklen_t length = sizeof(address);
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
      bound_port = address.ss_family == AF_INET
                       ? ntohs(reinterpret_cast<sockaddr_in&>(address).sin_port)
                       : ntohs(reinterpret_cast<sockaddr_in6&>(address).sin6_port);
    }
    listeners.push_back(fd);
  }
  freeaddrinfo(found);
  if (listeners.empty()) {
    throw std::system_error(last_error, std::generic_category(),
                            "cannot listen on " + host + ":" + service);
  }
  return listeners;
}

}  // namespace sinew
