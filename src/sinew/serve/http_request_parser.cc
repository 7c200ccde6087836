#include "sinew/serve/http_request_parser.h"

#include <algorithm>
#include <cctype>

namespace sinew {
namespace {

// tchar of RFC 9110: the characters of methods and header names
bool is_token_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "a=1&b=x+y" -> {a: "1", b: "x y"}; false on a bad escape
bool parse_query(std::string_view query, std::map<std::string, std::string>& out) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string key(pair.substr(0, eq));
    std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    std::replace(key.begin(), key.end(), '+', ' ');
    std::replace(value.begin(), value.end(), '+', ' ');
    std::string key_decoded, value_decoded;
    if (!percent_decode(key, key_decoded) || !percent_decode(value, value_decoded)) return false;
    out[key_decoded] = value_decoded;
  }
  return true;
}

// a visible-ASCII target; no spaces, controls or raw bytes above 0x7e
bool is_target_text(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

// field values: visible characters, blanks and obs-text; no controls
bool is_field_value(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

// "close" among the comma-separated options of a Connection field
bool has_close_option(std::string_view value) {
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    if (lower(trim_blanks(value.substr(0, comma))) == "close") return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

HttpRequestParser::HttpRequestParser(Limits limits) : limits_(limits) {}

std::size_t HttpRequestParser::feed(std::string_view data) {
  std::size_t used = 0;
  while (used < data.size() && (state_ == State::kHead || state_ == State::kBody)) {
    if (state_ == State::kBody) {
      // the body: exactly Content-Length bytes
      std::size_t take =
          static_cast<std::size_t>(std::min<std::uint64_t>(body_remaining_, data.size() - used));
      request_.body.append(data.substr(used, take));
      used += take;
      body_remaining_ -= take;
      if (body_remaining_ == 0) state_ = State::kComplete;
      continue;
    }
    // the head, one line at a time, never more than max_head_bytes
    std::size_t newline = data.find('\n', used);
    std::size_t end = newline == std::string_view::npos ? data.size() : newline + 1;
    std::size_t take = end - used;
    if (head_bytes_ + take > limits_.max_head_bytes) {
      if (have_request_line_) {
        fail(431, "request header fields too large");
      } else {
        fail(414, "request line too long");
      }
      return used;
    }
    line_.append(data.substr(used, take));
    head_bytes_ += take;
    used = end;
    if (newline != std::string_view::npos) {
      std::string line = std::move(line_);
      line_.clear();
      on_line(line);
    }
  }
  return used;
}

void HttpRequestParser::on_line(std::string_view line) {
  // drop the line end: LF or CRLF; a CR anywhere else is malformed
  line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find('\r') != std::string_view::npos) return fail(400, "stray CR in the request head");
  if (!have_request_line_) {
    if (line.empty()) return;  // blank lines before a request are skipped
    return parse_request_line(line);
  }
  if (line.empty()) return finish_head();
  parse_header_line(line);
}

void HttpRequestParser::parse_request_line(std::string_view line) {
  // METHOD SP target SP HTTP/1.x, single spaces
  std::size_t first = line.find(' ');
  std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return fail(400, "malformed request line");
  }
  std::string_view method = line.substr(0, first);
  std::string_view target = line.substr(first + 1, second - first - 1);
  std::string_view version = line.substr(second + 1);
  if (!is_token(method)) return fail(400, "malformed method");
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !digit(version[5]) ||
      version[6] != '.' || !digit(version[7])) {
    return fail(400, "malformed HTTP version");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
  }
  if (target.empty() || target.front() != '/' || !is_target_text(target)) {
    return fail(400, "the request target must be a path starting with /");
  }
  // path and query, percent-decoded
  std::size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  std::string path;
  if (!percent_decode(raw_path, path) || path.find('\0') != std::string::npos) {
    return fail(400, "malformed percent-escape in the path");
  }
  if (question != std::string_view::npos &&
      !parse_query(target.substr(question + 1), request_.query)) {
    return fail(400, "malformed percent-escape in the query");
  }
  request_.method = std::string(method);
  request_.target = std::string(target);
  request_.path = std::move(path);
  request_.version_minor = version[7] - '0';
  have_request_line_ = true;
}

void HttpRequestParser::parse_header_line(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') return fail(400, "obsolete header folding");
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    return fail(400, "malformed header field");
  }
  std::string_view value = trim_blanks(line.substr(colon + 1));
  if (!is_field_value(value)) return fail(400, "control character in a header field");
  if (request_.headers.size() >= limits_.max_header_count) {
    return fail(431, "too many header fields");
  }
  request_.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
}

void HttpRequestParser::finish_head() {
  // the body's length: one plain decimal Content-Length, or none (empty body)
  int lengths = 0;
  std::string_view length_text;
  for (const auto& [name, value] : request_.headers) {
    if (name == "transfer-encoding") {
      return fail(411, "Transfer-Encoding is not supported; send a Content-Length");
    }
    if (name == "content-length") {
      ++lengths;
      length_text = value;
    }
  }
  if (lengths > 1) return fail(400, "more than one Content-Length");
  std::uint64_t length = 0;
  if (lengths == 1) {
    if (length_text.empty() || length_text.size() > 18 ||
        !std::all_of(length_text.begin(), length_text.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(400, "Content-Length must be a non-negative decimal number");
    }
    for (char c : length_text) length = length * 10 + static_cast<std::uint64_t>(c - '0');
    if (length > limits_.max_body_bytes) {
      return fail(413,
                  "the body is larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
    }
  }
  // keep-alive: HTTP/1.1 unless "Connection: close"; HTTP/1.0 always closes
  request_.keep_alive = request_.version_minor == 1;
  for (const auto& [name, value] : request_.headers) {
    if (name == "connection" && has_close_option(value)) request_.keep_alive = false;
  }
  // Expect: only 100-continue
  std::string_view expect = request_.header("expect");
  if (!expect.empty()) {
    if (lower(expect) != "100-continue") return fail(417, "only Expect: 100-continue is supported");
    expects_continue_ = length > 0 && request_.version_minor == 1;
  }
  body_remaining_ = length;
  // reserve what a small body needs; a large one grows as its bytes arrive
  request_.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(length, 64 * 1024)));
  state_ = length > 0 ? State::kBody : State::kComplete;
}

void HttpRequestParser::fail(int status, std::string message) {
  state_ = State::kError;
  error_status_ = status;
  error_message_ = std::move(message);
}

HttpRequest HttpRequestParser::take_request() {
  HttpRequest done = std::move(request_);
  request_ = HttpRequest();
  state_ = State::kHead;
  line_.clear();
  head_bytes_ = 0;
  have_request_line_ = false;
  expects_continue_ = false;
  body_remaining_ = 0;
  return done;
}

}  // namespace sinew
