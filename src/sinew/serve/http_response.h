// One HTTP/1.1 response as a handler of HttpServer returns it, and its bytes on the wire.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sinew {

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  // More header fields, e.g. {"Cache-Control", "no-cache"}. Content-Length and Connection are
  // written by the server and must not be set here.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // A text/plain response: `message` and a newline.
  static HttpResponse text(int status, const std::string& message);
};

// The reason phrase of a status code: "OK", "Not Found", ...; "Unknown" for codes not listed.
const char* http_reason_phrase(int status);

// The response as sent: status line, Content-Type, the extra headers, Content-Length (left out for
// 1xx and 204), "Connection: keep-alive" or "Connection: close", a blank line, then the body
// unless `head_only` (a reply to HEAD keeps the Content-Length of the body it leaves out).
// CR and LF inside header names and values are dropped, so a header cannot split the response.
std::string serialize_http_response(const HttpResponse& response, bool keep_alive, bool head_only);

}  // namespace sinew
