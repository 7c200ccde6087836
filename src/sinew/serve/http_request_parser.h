// An incremental parser of HTTP/1.0 and 1.1 requests: bytes in, a whole HttpRequest or a 4xx/5xx
// verdict out. Pure (no sockets, no clock), so every rule is unit-tested by feeding bytes.
//
// What it accepts:
//   - a request line "METHOD SP origin-form-target SP HTTP/1.x", lines ending in CRLF or LF;
//     blank lines before a request are skipped (they count towards the head limit);
//   - header fields "name: value" with a token name; names are lower-cased;
//   - a body of exactly Content-Length bytes; no Content-Length means an empty body, for every
//     method (so `curl -X POST` is an empty POST).
// What it refuses (state kError, then the connection must be closed):
//   400  malformed request line, target not starting with '/', bad percent-escape in the target,
//        control characters, a header line without a token name or with whitespace before ':',
//        obsolete line folding, a Content-Length that is not a plain decimal (e.g. "-1") and
//        more than one Content-Length field (even with equal values);
//   411  any Transfer-Encoding (chunked bodies are not supported: send a Content-Length);
//   413  Content-Length above Limits::max_body_bytes (decided from the header, before any body
//        byte arrives);
//   414  a request line longer than Limits::max_head_bytes;
//   417  an Expect other than "100-continue";
//   431  a head (request line + fields) above max_head_bytes, or more than max_header_count fields;
//   505  an HTTP version other than 1.0 and 1.1.
// A malformed request line is refused as soon as its line ends, without waiting for the head.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sinew/serve/http_request.h"

namespace sinew {

class HttpRequestParser {
 public:
  struct Limits {
    std::size_t max_head_bytes = 16 * 1024;  // request line + header fields + blank line [bytes]
    std::size_t max_header_count = 100;
    std::uint64_t max_body_bytes = 64 * 1024;  // [bytes]
  };
  enum class State {
    kHead,      // reading the request line and the header fields (also: nothing read yet)
    kBody,      // head complete; reading Content-Length bytes of body
    kComplete,  // a whole request: take_request()
    kError,     // refused: error_status(), error_message(); later bytes are not read
  };

  explicit HttpRequestParser(Limits limits);

  // Reads from `data` up to the end of one request; returns how many bytes it used. Bytes after
  // a complete request (a pipelined next request) are left for the next call after
  // take_request(). In kComplete and kError it reads nothing and returns 0.
  std::size_t feed(std::string_view data);

  State state() const { return state_; }
  // True once any byte of the current request was read (the head deadline starts then on a
  // kept-alive connection).
  bool started() const { return head_bytes_ > 0; }
  // In kBody: whether the client waits for "100 Continue" before sending the body.
  bool expects_continue() const { return expects_continue_; }
  // Body bytes still to come in kBody.
  std::uint64_t body_remaining() const { return body_remaining_; }
  // The request; its head fields are valid from kBody on, the body in kComplete.
  const HttpRequest& request() const { return request_; }
  // In kComplete: moves the request out and starts over for the next one (state kHead).
  HttpRequest take_request();
  // In kError: the status to reply with (400, 411, 413, ...) and a short reason for the client.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

 private:
  void on_line(std::string_view line);
  void parse_request_line(std::string_view line);
  void parse_header_line(std::string_view line);
  void finish_head();
  void fail(int status, std::string message);

  Limits limits_;
  State state_ = State::kHead;
  HttpRequest request_;
  std::string line_;            // the head line being read
  std::size_t head_bytes_ = 0;  // bytes of the head read so far
  bool have_request_line_ = false;
  bool expects_continue_ = false;
  std::uint64_t body_remaining_ = 0;
  int error_status_ = 0;
  std::string error_message_;
};

// Percent-decodes `text` into `out` ('+' stays '+'). Returns false, `out` then unspecified, when
// an escape is not '%' and two hex digits.
bool percent_decode(std::string_view text, std::string& out);

}  // namespace sinew
