#include "sinew/serve/http_request_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace sinew {
namespace {

using State = HttpRequestParser::State;

HttpRequestParser::Limits small_limits() {
  HttpRequestParser::Limits limits;
  limits.max_head_bytes = 1024;
  limits.max_header_count = 8;
  limits.max_body_bytes = 100;
  return limits;
}

// Feeds all of `bytes`; the parser's final state.
State parse_all(HttpRequestParser& parser, const std::string& bytes) {
  parser.feed(bytes);
  return parser.state();
}

TEST(HttpRequestParser, ReadsRequestLineHeadersAndBody) {
  HttpRequestParser parser(small_limits());
  ASSERT_EQ(parse_all(parser,
                      "POST /api/pause?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type:  text/x  "
                      "\r\nContent-Length: 5\r\n\r\nhello"),
            State::kComplete);
  HttpRequest r = parser.take_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/api/pause?x=1");
  EXPECT_EQ(r.path, "/api/pause");
  EXPECT_EQ(r.query.at("x"), "1");
  EXPECT_EQ(r.version_minor, 1);
  EXPECT_EQ(r.header("host"), "a");
  EXPECT_EQ(r.header("content-type"), "text/x");
  EXPECT_EQ(r.body, "hello");
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(parser.state(), State::kHead);
  EXPECT_FALSE(parser.started());
}

TEST(HttpRequestParser, GivesTheSameRequestFedOneByteAtATime) {
  const std::string bytes =
      "GET /a%20b?k=v+w&empty&z=%41 HTTP/1.0\nX-One: 1\nContent-Length: 3\n\nabc";
  HttpRequestParser parser(small_limits());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    ASSERT_NE(parser.state(), State::kComplete) << "complete before byte " << i;
    ASSERT_EQ(parser.feed(std::string_view(bytes).substr(i, 1)), 1u);
  }
  ASSERT_EQ(parser.state(), State::kComplete);
  HttpRequest r = parser.take_request();
  EXPECT_EQ(r.path, "/a b");
  EXPECT_EQ(r.query.at("k"), "v w");
  EXPECT_EQ(r.query.at("empty"), "");
  EXPECT_EQ(r.query.at("z"), "A");
  EXPECT_EQ(r.body, "abc");
  EXPECT_EQ(r.version_minor, 0);
  EXPECT_FALSE(r.keep_alive) << "HTTP/1.0 closes";
}

TEST(HttpRequestParser, StopsAtTheEndOfARequestSoPipelinedOnesWait) {
  const std::string first = "GET /1 HTTP/1.1\r\n\r\n";
  const std::string second = "GET /2 HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n";
  HttpRequestParser parser(small_limits());
  EXPECT_EQ(parser.feed(first + second), first.size());
  EXPECT_EQ(parser.take_request().path, "/1");
  EXPECT_EQ(parser.feed(second), second.size());
  HttpRequest r = parser.take_request();
  EXPECT_EQ(r.path, "/2");
  EXPECT_FALSE(r.keep_alive) << "Connection: close among other options";
}

TEST(HttpRequestParser, PostWithoutContentLengthHasAnEmptyBody) {
  HttpRequestParser parser(small_limits());
  ASSERT_EQ(parse_all(parser, "POST /api/stop HTTP/1.1\r\nHost: x\r\n\r\n"), State::kComplete);
  EXPECT_EQ(parser.take_request().body, "");
}

TEST(HttpRequestParser, SkipsBlankLinesBeforeARequest) {
  HttpRequestParser parser(small_limits());
  ASSERT_EQ(parse_all(parser, "\r\n\r\nGET / HTTP/1.1\r\n\r\n"), State::kComplete);
  EXPECT_EQ(parser.take_request().path, "/");
}

TEST(HttpRequestParser, KeepsTheLastValueOfARepeatedQueryKey) {
  HttpRequestParser parser(small_limits());
  ASSERT_EQ(parse_all(parser, "GET /m?after=1&after=2 HTTP/1.1\r\n\r\n"), State::kComplete);
  EXPECT_EQ(parser.take_request().query.at("after"), "2");
}

TEST(HttpRequestParser, AsksForContinueOnlyWhenABodyIsExpected) {
  HttpRequestParser parser(small_limits());
  ASSERT_EQ(
      parse_all(parser, "POST /u HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"),
      State::kBody);
  EXPECT_TRUE(parser.expects_continue());
  EXPECT_EQ(parser.body_remaining(), 4u);
  ASSERT_EQ(parse_all(parser, "data"), State::kComplete);
}

struct Refusal {
  const char* bytes;
  int status;
};

class HttpRequestParserRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(HttpRequestParserRefuses, WithTheRightStatus) {
  HttpRequestParser parser(small_limits());
  ASSERT_EQ(parse_all(parser, GetParam().bytes), State::kError) << GetParam().bytes;
  EXPECT_EQ(parser.error_status(), GetParam().status) << GetParam().bytes;
  EXPECT_FALSE(parser.error_message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpRequestParserRefuses,
    ::testing::Values(
        // the request line, refused when its line ends: no blank line needed
        Refusal{"GARBAGE\r\n", 400}, Refusal{"GET /\r\n", 400}, Refusal{"GET  / HTTP/1.1\r\n", 400},
        Refusal{"GET / HTTP/1.1 x\r\n", 400}, Refusal{"G(T / HTTP/1.1\r\n", 400},
        Refusal{"GET http://a/ HTTP/1.1\r\n", 400}, Refusal{"GET * HTTP/1.1\r\n", 400},
        Refusal{"GET / HTTP/2.0\r\n", 505}, Refusal{"GET / HTTP/1.1x\r\n", 400},
        Refusal{"GET / http/1.1\r\n", 400}, Refusal{"GET /%zz HTTP/1.1\r\n", 400},
        Refusal{"GET /%4 HTTP/1.1\r\n", 400}, Refusal{"GET /a%00b HTTP/1.1\r\n", 400},
        Refusal{"GET /?a=%g1 HTTP/1.1\r\n", 400}, Refusal{"GET /\x01 HTTP/1.1\r\n", 400},
        Refusal{"GET /\xc3\xa9 HTTP/1.1\r\n", 400}, Refusal{"GET / HTTP/1.1\rX\r\n", 400},
        // header fields
        Refusal{"GET / HTTP/1.1\r\nNo colon\r\n\r\n", 400},
        Refusal{"GET / HTTP/1.1\r\nName : v\r\n\r\n", 400},
        Refusal{"GET / HTTP/1.1\r\n: v\r\n\r\n", 400},
        Refusal{"GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", 400},
        Refusal{"GET / HTTP/1.1\r\nA: 1\x01\r\n\r\n", 400},
        Refusal{
            "GET / HTTP/1.1\r\nA:1\r\nB:1\r\nC:1\r\nD:1\r\nE:1\r\nF:1\r\nG:1\r\nH:1\r\nI:1\r\n\r\n",
            431},
        // the body's length
        Refusal{"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 4\r\n\r\nabc", 400},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413},
        Refusal{"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413},
        Refusal{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411},
        Refusal{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 411},
        Refusal{"POST / HTTP/1.1\r\nExpect: something\r\n\r\n", 417}));

TEST(HttpRequestParser, RefusesALongRequestLineWith414BeforeItEnds) {
  HttpRequestParser parser(small_limits());
  EXPECT_EQ(parse_all(parser, std::string(5000, 'A')), State::kError);
  EXPECT_EQ(parser.error_status(), 414);
}

TEST(HttpRequestParser, RefusesALargeHeadWith431BeforeItEnds) {
  HttpRequestParser parser(small_limits());
  EXPECT_EQ(parse_all(parser, "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a')), State::kError);
  EXPECT_EQ(parser.error_status(), 431);
}

TEST(HttpRequestParser, AcceptsAHeadOfExactlyTheLimit) {
  HttpRequestParser parser(small_limits());
  std::string head = "GET / HTTP/1.1\r\nX: ";
  const std::string end = "\r\n\r\n";
  head += std::string(1024 - head.size() - end.size(), 'a') + end;
  ASSERT_EQ(head.size(), 1024u);
  EXPECT_EQ(parse_all(parser, head), State::kComplete);
}

TEST(HttpRequestParser, ReadsNothingAfterAnError) {
  HttpRequestParser parser(small_limits());
  EXPECT_EQ(parser.feed("GARBAGE\r\nmore"), 9u);
  EXPECT_EQ(parser.feed("GET / HTTP/1.1\r\n\r\n"), 0u);
  EXPECT_EQ(parser.state(), State::kError);
}

// Mutated requests (bytes flipped, cut, repeated) fed whole and in random pieces: the verdict and
// the request never depend on how the bytes arrive, and nothing crashes.
TEST(HttpRequestParser, GivesTheSameVerdictHoweverTheBytesAreSplit) {
  const std::vector<std::string> seeds = {
      "GET /api/metrics?after=1&run=a%20b HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /api/stop HTTP/1.1\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody",
      "HEAD / HTTP/1.0\nExpect: 100-continue\nContent-Length: 2\n\nab"};
  const std::string alphabet = "\r\n :%/?&=-0123456789AaZz\t\x01\x7f\xff";
  std::mt19937 rng(/*seed=*/14);
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = seeds[rng() % seeds.size()];
    for (int edits = 1 + rng() % 4; edits > 0; --edits) {
      std::size_t at = rng() % (bytes.size() + 1);
      switch (rng() % 3) {
        case 0:
          bytes.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          if (at < bytes.size()) bytes.erase(at, 1 + rng() % 8);
          break;
        case 2:
          if (at < bytes.size()) bytes[at] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    HttpRequestParser whole(small_limits()), pieces(small_limits());
    std::size_t used_whole = whole.feed(bytes);
    std::size_t used_pieces = 0;
    while (used_pieces < bytes.size()) {
      std::size_t n = 1 + rng() % 7;
      std::size_t used = pieces.feed(std::string_view(bytes).substr(used_pieces, n));
      used_pieces += used;
      if (used < n) break;  // stopped: complete or refused
    }
    ASSERT_EQ(whole.state(), pieces.state()) << bytes;
    if (whole.state() != State::kError) {
      EXPECT_EQ(used_whole, used_pieces) << bytes;
    }
    if (whole.state() == State::kError) {
      EXPECT_EQ(whole.error_status(), pieces.error_status()) << bytes;
    }
    if (whole.state() == State::kComplete) {
      HttpRequest a = whole.take_request(), b = pieces.take_request();
      EXPECT_EQ(a.path, b.path);
      EXPECT_EQ(a.query, b.query);
      EXPECT_EQ(a.headers, b.headers);
      EXPECT_EQ(a.body, b.body);
    }
  }
}

TEST(HttpRequestParser, PercentDecodesEscapesAndRefusesBrokenOnes) {
  std::string out;
  EXPECT_TRUE(percent_decode("a%2Fb%2fc+d", out));
  EXPECT_EQ(out, "a/b/c+d");
  EXPECT_FALSE(percent_decode("%", out));
  EXPECT_FALSE(percent_decode("%a", out));
  EXPECT_FALSE(percent_decode("%xy", out));
}

}  // namespace
}  // namespace sinew
