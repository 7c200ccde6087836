// StoreServer and RemoteModelStore against a real server on 127.0.0.1: the round trip, uploads
// that are truncated, tampered or escape the version, tokens, and concurrent pushes.
#include "sinew/store/store_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <thread>

#include "http_test_client.h"
#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/serve/http_server.h"
#include "sinew/store/remote_model_store.h"
#include "store_test_util.h"

namespace sinew {
namespace {

namespace fs = std::filesystem;
using testing::entries_under;
using testing::make_artifact;
using testing::read_bytes;
using testing::ScratchDir;
using testing::write_bytes;

template <typename F>
std::string user_error_of(F action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no UserError)";
}

StoreServer::Options small_pieces() {
  StoreServer::Options options;
  options.max_chunk_bytes = 4096;
  return options;
}

// A store folder, a server on it and a client with a small piece size (several per file).
struct ServedStore : ::testing::Test {
  explicit ServedStore(const std::string& token = "")
      : server("127.0.0.1", 0, token, root, small_pieces()),
        remote(server.url(), token, scratch / "cache", client_options()) {}
  static RemoteModelStore::Options client_options() {
    RemoteModelStore::Options options;
    options.chunk_bytes = 1000;
    return options;
  }
  // a raw client for the HTTP API
  httplib::Client http() const {
    httplib::Client client(server.url());
    client.set_read_timeout(10, 0);
    return client;
  }
  // opens an upload of `name` declaring `files`; returns the reply
  httplib::Result open_upload(httplib::Client& client, const std::string& name,
                              const nlohmann::json& files) const {
    return client.Post(("/api/models/" + name + "/uploads").c_str(),
                       nlohmann::json{{"files", files}}.dump(), "application/json");
  }
  // the hidden and visible entries under the store's folder of `name`, claims aside
  std::vector<std::string> leftovers(const std::string& name) const {
    std::vector<std::string> out;
    if (!fs::exists(root / name)) return out;
    for (const auto& e : fs::directory_iterator(root / name)) out.push_back(e.path().filename());
    return out;
  }

  ScratchDir scratch{"store_server"};
  fs::path root = scratch / "store";
  StoreServer server;
  RemoteModelStore remote;
};

TEST_F(ServedStore, PushShowListPullAndRemoveOverHttp) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  ModelVersion pushed = remote.push(artifact, "walker", "best", {{"env", "walker2d"}});
  EXPECT_EQ(pushed.version, 1);
  EXPECT_EQ(pushed.tags, std::vector<std::string>{"best"});
  EXPECT_EQ(pushed.files.size(), 3u);

  // the server's folder holds it like a local push
  LocalModelStore local(root);
  EXPECT_EQ(local.show(ModelRef::parse("walker:best")).manifest_sha256, pushed.manifest_sha256);

  ModelVersion shown = remote.show(ModelRef::parse("walker:best"));
  EXPECT_EQ(shown.metadata["env"], "walker2d");
  EXPECT_EQ(shown.manifest_sha256, pushed.manifest_sha256);

  // pull and local_path reproduce the artifact (files of several pieces each)
  const fs::path pulled = remote.pull(ModelRef::parse("walker"), scratch / "out");
  EXPECT_EQ(entries_under(pulled), entries_under(artifact));
  EXPECT_EQ(read_bytes(pulled / "models/policy.pt"), read_bytes(artifact / "models/policy.pt"));
  const fs::path cached = remote.local_path(ModelRef::parse("walker:1"));
  EXPECT_EQ(read_bytes(cached / "models/policy.pt"), read_bytes(artifact / "models/policy.pt"));
  EXPECT_TRUE(cached.string().rfind((scratch / "cache").string(), 0) == 0) << cached;

  // a tampered cache entry is fetched again, never used
  write_bytes(cached / "models/policy.pt", "tampered");
  const fs::path again = remote.local_path(ModelRef::parse("walker:1"));
  EXPECT_EQ(read_bytes(again / "models/policy.pt"), read_bytes(artifact / "models/policy.pt"));

  // an empty file and a single file
  write_bytes(scratch / "empty.bin", "");
  EXPECT_EQ(remote.push(scratch / "empty.bin", "walker", std::nullopt, {}).version, 2);
  EXPECT_EQ(read_bytes(remote.local_path(ModelRef::parse("walker:2")) / "empty.bin"), "");

  auto all = remote.list(std::nullopt);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].version, 2);
  EXPECT_TRUE(remote.list("nobody").empty());

  // removal by tag, then by number
  EXPECT_THROW(remote.remove(ModelRef::parse("walker")), UserError);
  EXPECT_EQ(remote.remove(ModelRef::parse("walker:best")), 1);
  EXPECT_THROW(remote.show(ModelRef::parse("walker:1")), ModelNotFound);
  EXPECT_EQ(remote.remove(ModelRef::parse("walker:2")), 2);
  EXPECT_TRUE(remote.list("walker").empty());
  EXPECT_THROW(remote.show(ModelRef::parse("walker")), ModelNotFound);
}

TEST_F(ServedStore, TruncatedUploadIsRefusedAndLeavesNothing) {
  const std::string bytes(100, 'x');
  auto client = http();
  auto opened = open_upload(
      client, "walker", {{{"path", "policy.pt"}, {"size", 100}, {"sha256", sha256_hex(bytes)}}});
  ASSERT_TRUE(opened);
  ASSERT_EQ(opened->status, 201) << opened->body;
  const std::string id = nlohmann::json::parse(opened->body)["upload"];
  const std::string upload = "/api/models/walker/uploads/" + id;
  auto piece = client.Put((upload + "/files/policy.pt?offset=0").c_str(), bytes.substr(0, 50),
                          "application/octet-stream");
  ASSERT_TRUE(piece);
  EXPECT_EQ(piece->status, 200) << piece->body;

  // a body cut short on the wire never reaches the upload
  {
    testing::TestConnection raw(server.port());
    ASSERT_TRUE(raw.connected());
    raw.send("PUT " + upload +
             "/files/policy.pt?offset=50 HTTP/1.1\r\nHost: x\r\n"
             "Content-Length: 50\r\n\r\n" +
             bytes.substr(0, 20));
  }  // closed mid-body

  auto commit = client.Post((upload + "/commit").c_str(), "", "application/json");
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->status, 422);
  EXPECT_NE(commit->body.find("policy.pt has 50 bytes, not the 100 declared"), std::string::npos)
      << commit->body;
  EXPECT_TRUE(remote.list("walker").empty());
  EXPECT_EQ(leftovers("walker"), std::vector<std::string>{});
  // the upload is gone
  auto late = client.Post((upload + "/commit").c_str(), "", "application/json");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 404);
}

TEST_F(ServedStore, TamperedUploadIsRefusedAndLeavesNothing) {
  const std::string bytes(100, 'x');
  auto client = http();
  auto opened = open_upload(
      client, "walker", {{{"path", "a/policy.pt"}, {"size", 100}, {"sha256", sha256_hex(bytes)}}});
  ASSERT_TRUE(opened);
  const std::string upload = "/api/models/walker/uploads/" +
                             nlohmann::json::parse(opened->body)["upload"].get<std::string>();
  std::string tampered = bytes;
  tampered[99] = 'y';
  auto piece =
      client.Put((upload + "/files/a/policy.pt").c_str(), tampered, "application/octet-stream");
  ASSERT_TRUE(piece);
  EXPECT_EQ(piece->status, 200);
  auto commit = client.Post((upload + "/commit").c_str(), "", "application/json");
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->status, 422);
  EXPECT_NE(commit->body.find("a/policy.pt does not match its declared SHA-256"), std::string::npos)
      << commit->body;
  EXPECT_TRUE(remote.list("walker").empty());
  EXPECT_EQ(leftovers("walker"), std::vector<std::string>{});
}

TEST_F(ServedStore, PiecesMustContinueTheirFileAndStayWithinIt) {
  auto client = http();
  auto opened = open_upload(
      client, "walker", {{{"path", "p.bin"}, {"size", 10}, {"sha256", sha256_hex("0123456789")}}});
  ASSERT_TRUE(opened);
  const std::string upload = "/api/models/walker/uploads/" +
                             nlohmann::json::parse(opened->body)["upload"].get<std::string>();
  auto put = [&](const std::string& query, const std::string& body) {
    auto reply = client.Put((upload + "/files/p.bin" + query).c_str(), body, "text/plain");
    return reply ? reply->status : 0;
  };
  EXPECT_EQ(put("?offset=0", "0123"), 200);
  EXPECT_EQ(put("?offset=2", "23"), 409);        // not where the file stands
  EXPECT_EQ(put("?offset=4", "456789XX"), 400);  // past the declared size
  EXPECT_EQ(put("?offset=-1", "4"), 400);
  auto undeclared = client.Put((upload + "/files/q.bin").c_str(), "x", "text/plain");
  ASSERT_TRUE(undeclared);
  EXPECT_EQ(undeclared->status, 400);
  EXPECT_EQ(put("?offset=4", "456789"), 200);
  auto commit = client.Post((upload + "/commit").c_str(), "", "application/json");
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->status, 201) << commit->body;
  EXPECT_EQ(read_bytes(remote.local_path(ModelRef::parse("walker")) / "p.bin"), "0123456789");
}

TEST_F(ServedStore, PathTraversalIsRefusedEverywhere) {
  auto client = http();
  const std::string sum = sha256_hex("x");
  for (const std::string bad : {"../x", "/etc/passwd", "a/../../x", "a//b", "./a", "a\\b"}) {
    auto reply = open_upload(client, "walker", {{{"path", bad}, {"size", 1}, {"sha256", sum}}});
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << bad << ": " << reply->body;
  }
  // names and refs in the URL (percent-encoded slashes and dots decode before the check)
  for (const std::string path : {"/api/models/..%2F..%2Fetc/uploads", "/api/models/.hidden/uploads",
                                 "/api/models/a%2Fb/uploads"}) {
    auto reply = client.Post(path.c_str(), "{\"files\": []}", "application/json");
    ASSERT_TRUE(reply);
    EXPECT_TRUE(reply->status == 400 || reply->status == 404) << path << ": " << reply->status;
  }
  for (const std::string path : {"/api/models/walker/..%2F..",
                                 "/api/models/walker/1/files/..%2F"
                                 "version.json",
                                 "/api/models/walker/1/files/../version.json"}) {
    auto reply = client.Get(path.c_str());
    ASSERT_TRUE(reply);
    EXPECT_TRUE(reply->status == 400 || reply->status == 404) << path << ": " << reply->status;
  }
  EXPECT_FALSE(fs::exists(root));  // nothing was created anywhere
  EXPECT_FALSE(fs::exists(scratch.path().parent_path() / "x"));
  EXPECT_THROW(remote.push(make_artifact(scratch / "ckpt"), "../x", std::nullopt, {}), UserError);
}

TEST_F(ServedStore, TamperedStoredFileIsReportedToTheClient) {
  remote.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  write_bytes(root / "walker/v1/files/models/policy.pt", std::string(3001, 'q'));
  const std::string message =
      user_error_of([&] { remote.pull(ModelRef::parse("walker:1"), scratch / "out"); });
  EXPECT_NE(message.find("models/policy.pt fails its SHA-256 check"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(scratch / "out"));
  EXPECT_THROW(remote.local_path(ModelRef::parse("walker:1")), UserError);
}

TEST_F(ServedStore, LimitsOnFilesAndRanges) {
  auto client = http();
  auto huge = open_upload(
      client, "walker",
      {{{"path", "big"}, {"size", std::uint64_t{1} << 40}, {"sha256", sha256_hex("")}}});
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 400);
  EXPECT_NE(huge->body.find("more than the"), std::string::npos) << huge->body;
  // a whole file above the piece size must be fetched in ranges
  write_bytes(scratch / "big.bin", std::string(5000, 'b'));
  remote.push(scratch / "big.bin", "walker", std::nullopt, {});
  auto whole = client.Get("/api/models/walker/1/files/big.bin");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 413);
  auto range = client.Get("/api/models/walker/1/files/big.bin?offset=4990&length=100");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->status, 200);
  EXPECT_EQ(range->body, std::string(10, 'b'));
  // a body above the limit is refused before it is read
  auto large = client.Put("/api/models/walker/uploads/x/files/a", std::string(2 << 20, 'z'),
                          "application/octet-stream");
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);
}

TEST_F(ServedStore, ConcurrentRemotePushesGetDistinctVersions) {
  const fs::path artifact = make_artifact(scratch / "ckpt");
  constexpr int kThreads = 6;
  std::vector<int64_t> got(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        got[i] = remote.push(artifact, "walker", std::nullopt, {{"thread", i}}).version;
      } catch (const std::exception&) {
        got[i] = -1;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
}

struct TokenStore : ServedStore {
  TokenStore() : ServedStore("s3cret") {}
};

TEST_F(TokenStore, EveryApiRequestNeedsTheToken) {
  remote.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  auto client = http();
  auto denied = client.Get("/api/models");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  auto wrong = client.Get("/api/models", {{"Authorization", "Bearer s3cre"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto upload = open_upload(client, "walker", nlohmann::json::array());
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload->status, 401);
  auto allowed = client.Get("/api/models", {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);

  RemoteModelStore without(server.url(), "", scratch / "cache2");
  std::string message = user_error_of([&] { without.list(std::nullopt); });
  EXPECT_NE(message.find("refused the token"), std::string::npos) << message;
  RemoteModelStore wrong_token(server.url(), "nope", scratch / "cache2");
  EXPECT_THROW(wrong_token.pull(ModelRef::parse("walker"), scratch / "out"), UserError);
  EXPECT_FALSE(fs::exists(scratch / "out"));
  EXPECT_EQ(remote.list("walker").size(), 1u);
}

// 32 connections (a client's cap) that each send the head of a large upload piece and then
// nothing, as a client without the token could
std::vector<std::unique_ptr<testing::TestConnection>> stall_uploads(int port,
                                                                    const std::string& auth) {
  std::vector<std::unique_ptr<testing::TestConnection>> stalled;
  for (int i = 0; i < 32; ++i) {
    stalled.push_back(std::make_unique<testing::TestConnection>(port));
    stalled.back()->send("PUT /api/models/walker/uploads/x/files/f HTTP/1.1\r\n" + auth +
                         "Content-Length: 1000000\r\n\r\n");
  }
  return stalled;
}

TEST_F(TokenStore, StalledUploadsWithoutTheTokenLockNoOneOut) {
  remote.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  auto stalled = stall_uploads(server.port(), "");
  // each is refused at its head, before a byte of body
  for (auto& c : stalled) EXPECT_EQ(c->read_reply().status, 401);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(remote.pull(ModelRef::parse("walker"), scratch / "out"));
  EXPECT_LT(testing::seconds_since(start), 1.0);
}

TEST_F(ServedStore, StalledUploadsMakeRoomForAFreshClientWhenThereIsNoToken) {
  remote.push(make_artifact(scratch / "ckpt"), "walker", std::nullopt, {});
  auto stalled = stall_uploads(server.port(), "");
  // their heads are read (the first reply of one of them would be a 408, seconds later)
  EXPECT_FALSE(stalled.back()->closed_within(0.3));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(remote.pull(ModelRef::parse("walker"), scratch / "out"));
  EXPECT_LT(testing::seconds_since(start), 1.0);
}

TEST(StoreServer, NonLoopbackBindNeedsAToken) {
  ScratchDir scratch("store_bind");
  EXPECT_THROW(StoreServer("0.0.0.0", 0, "", scratch / "store", StoreServer::Options{}), UserError);
  StoreServer with_token("0.0.0.0", 0, "t", scratch / "store", StoreServer::Options{});
  EXPECT_GT(with_token.port(), 0);
}

TEST(StoreServer, UnreachableServerIsAUserError) {
  ScratchDir scratch("store_unreachable");
  int port = 0;
  {
    StoreServer gone("127.0.0.1", 0, "", scratch / "store", StoreServer::Options{});
    port = gone.port();
  }
  RemoteModelStore remote("http://127.0.0.1:" + std::to_string(port), "", scratch / "cache");
  const std::string message = user_error_of([&] { remote.list(std::nullopt); });
  EXPECT_NE(message.find("cannot reach the model store"), std::string::npos) << message;
}

// A server's own trouble is not bad input: a 5xx is a std::runtime_error (exit 1), not a
// UserError (exit 2).
TEST(StoreServer, AServerErrorIsNotAUserError) {
  ScratchDir scratch("store_busy");
  HttpServer busy(
      "127.0.0.1", 0,
      [](const HttpRequest&) { return HttpResponse::text(503, "too many connections"); }, nullptr,
      HttpServer::Options{});
  RemoteModelStore remote("http://127.0.0.1:" + std::to_string(busy.port()), "", scratch / "cache");
  try {
    remote.list(std::nullopt);
    FAIL() << "a 503 was taken as a listing";
  } catch (const UserError& e) {
    FAIL() << "a 503 is not bad input: " << e.what();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("HTTP 503"), std::string::npos) << e.what();
  }
}

TEST(OpenModelStore, PicksLocalOrRemoteByLocation) {
  ScratchDir scratch("store_open");
  auto local = open_model_store((scratch / "store").string(), "", scratch / "cache");
  EXPECT_NE(dynamic_cast<LocalModelStore*>(local.get()), nullptr);
  auto remote = open_model_store("http://127.0.0.1:1", "", scratch / "cache");
  EXPECT_NE(dynamic_cast<RemoteModelStore*>(remote.get()), nullptr);
  EXPECT_THROW(open_model_store("https://example.org", "", scratch / "cache"), UserError);
  EXPECT_THROW(open_model_store("http://host:1/path", "", scratch / "cache"), UserError);
  EXPECT_THROW(open_model_store("", "", scratch / "cache"), UserError);
}

}  // namespace
}  // namespace sinew
