// The socket calls HttpServer needs that are not about HTTP: listening on a host's addresses and
// naming a peer.
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

namespace sinew {

// Non-blocking listening sockets on every address `host` resolves to (an IPv4 or IPv6 address, or
// a name such as "localhost"), all on one port: `port`, or when it is 0 the free port the first
// address got, which is stored in `bound_port`. An address that cannot be bound is skipped; "::"
// takes IPv4 connections too. Throws std::system_error when the host does not resolve or no
// address can be bound.
std::vector<int> listen_tcp(const std::string& host, int port, int& bound_port);

// The IP address of a peer as text ("127.0.0.1", "::1"); an IPv4-mapped IPv6 address as IPv4.
std::string peer_address(const sockaddr_storage& address);

}  // namespace sinew
