#include "sinew/serve/http_response.h"

#include <algorithm>

namespace sinew {
namespace {

// `text` without CR and LF
std::string one_line(std::string text) {
  text.erase(
      std::remove_if(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }),
      text.end());
  return text;
}

}  // namespace

HttpResponse HttpResponse::text(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = message + "\n";
  return r;
}

const char* http_reason_phrase(int status) {
  // clang-format off
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
  // clang-format on
}

std::string serialize_http_response(const HttpResponse& response, bool keep_alive, bool head_only) {
  const bool has_body = response.status >= 200 && response.status != 204;
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                    http_reason_phrase(response.status) + "\r\n";
  if (!response.content_type.empty()) {
    out += "Content-Type: " + one_line(response.content_type) + "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    out += one_line(name) + ": " + one_line(value) + "\r\n";
  }
  if (has_body) out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  if (has_body && !head_only) out += response.body;
  return out;
}

}  // namespace sinew
