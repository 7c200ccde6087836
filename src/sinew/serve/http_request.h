// One HTTP/1.x request as HttpRequestParser reads it and HttpServer hands it to a handler.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sinew {

struct HttpRequest {
  std::string method;  // as sent (methods are case-sensitive): "GET", "POST", "HEAD", ...
  std::string target;  // the raw request target: "/api/metrics?after=10"
  std::string path;    // the target's path, percent-decoded: "/api/metrics"
  // The target's query, percent-decoded, '+' read as a space; a repeated key keeps its last
  // value, a key without '=' has the value "".
  std::map<std::string, std::string> query;
  int version_minor = 1;  // HTTP/1.<version_minor>: 0 or 1
  // Header fields in the order sent; names lower-cased, values without surrounding blanks.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // exactly Content-Length bytes; empty without a Content-Length
  // Whether the connection stays open after the reply: HTTP/1.1 without "Connection: close".
  // HTTP/1.0 always closes.
  bool keep_alive = true;
  std::string client_address;  // the peer's IP address ("127.0.0.1", "::1"); set by HttpServer

  // The value of the first header field named `name` (lower-case), or "" when there is none.
  std::string_view header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
};

}  // namespace sinew
