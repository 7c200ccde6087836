// Integration tests of the run lifecycle: the `sinew` binary trained, paused, checkpointed,
// killed and resumed the way a user does it, through the CLI and the HTTP control API.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "run_fixtures.h"
#include "sinew/core/checkpoint.h"
#include "test_process.h"
#include "tfevents_reader.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::run_process;

// CPU seconds a process has used (user + system), from /proc.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) stime = std::stol(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// (step, name) rows of metrics.csv, checking the step column never decreases.
std::vector<std::pair<int64_t, std::string>> metric_rows(const fs::path& csv) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::pair<int64_t, std::string>> rows;
  while (std::getline(in, line)) {
    auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    rows.emplace_back(std::stoll(line.substr(0, a)), line.substr(b + 1, c - b - 1));
  }
  return rows;
}

TEST(Lifecycle, PauseResumeCheckpointAndStopThroughCtl) {
  fs::path root = test_dir();
  Background train(
      {"train", "trainer.total_steps=1e9", "checkpoint.every_steps=0", "checkpoint.every_minutes=0",
       "logging.every_seconds=0.2", "run.dir=" + root.string()},
      root);
  fs::path run = wait_for_run(root);
  ASSERT_FALSE(run.empty()) << train.err();
  auto status = wait_for_status(run, [](const auto& s) { return s.value("step", 0) > 0; });
  EXPECT_EQ(status["state"], "running");
  EXPECT_GT(status["step"].get<int64_t>(), 0);

  // paused: no steps, no busy threads
  auto paused = ctl("pause", run);
  EXPECT_EQ(paused["state"], "paused");
  EXPECT_LT(paused["pause_seconds"].get<double>(), 5.0);
  int64_t step = paused["step"];
  double cpu_before = cpu_seconds(train.pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));  // a window in which nothing may move
  double cpu_used = cpu_seconds(train.pid()) - cpu_before;
  auto still = ctl("status", run);
  EXPECT_EQ(still["state"], "paused");
  EXPECT_EQ(still["step"].get<int64_t>(), step);
  EXPECT_LT(cpu_used, 0.3) << "threads spin while paused";
  EXPECT_NEAR(still["elapsed_s"].get<double>(), paused["elapsed_s"].get<double>(), 0.05)
      << "the run clock runs while paused";

  // a checkpoint while paused, then resume and another while running
  auto saved = ctl("checkpoint", run);
  ASSERT_TRUE(saved.contains("checkpoint"));
  EXPECT_NO_THROW(read_manifest(saved["checkpoint"].get<std::string>(), true));
  EXPECT_EQ(read_manifest(saved["checkpoint"].get<std::string>(), false)["step"], step);
  EXPECT_EQ(ctl("resume", run)["state"], "running");
  EXPECT_GT(wait_for_status(
                run, [step](const auto& s) { return s.value("step", int64_t{0}) > step; })["step"]
                .get<int64_t>(),
            step);
  auto second = ctl("checkpoint", run);
  EXPECT_NE(second["checkpoint"], saved["checkpoint"]);

  // stop: graceful, with a final checkpoint
  EXPECT_EQ(ctl("stop", run)["state"], "stopping");
  EXPECT_EQ(train.wait(), 0) << train.err();
  EXPECT_FALSE(fs::exists(run / "control.json"));
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(read_manifest(all.back(), true)["reason"], "interrupted");
  // progress reports while paused wrote no (step, name) twice
  std::set<std::pair<int64_t, std::string>> seen;
  for (const auto& row : metric_rows(run / "metrics.csv")) {
    EXPECT_TRUE(seen.insert(row).second) << "duplicate " << row.first << " " << row.second;
  }
  // the run is gone: ctl says so
  ProcessResult gone = sinew_cmd({"ctl", "status", "--run", run.string()});
  EXPECT_NE(gone.exit_code, 0);
}

TEST(Lifecycle, MalformedHttpRequestsGet4xxAndTheRunSurvives) {
  fs::path root = test_dir();
  Background train({"train", "trainer.total_steps=1e9", "run.dir=" + root.string()}, root);
  fs::path run = wait_for_run(root);
  ASSERT_FALSE(run.empty()) << train.err();
  int port = nlohmann::json::parse(testing::read_file(run / "control.json"))["port"];
  auto raw = [port](const std::string& request) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return std::string();
    timeval timeout{15, 0};  // longer than the server's 10 s deadline for a request head
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    // the status line is all we need
    std::string reply;
    char buffer[4096];
    ssize_t n;
    while (reply.find("\r\n") == std::string::npos &&
           (n = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
      reply.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    return reply.substr(0, reply.find("\r\n"));
  };
  auto code = [](const std::string& status_line) {
    return status_line.size() >= 12 ? std::stoi(status_line.substr(9, 3)) : 0;
  };
  EXPECT_EQ(code(raw("GARBAGE\r\n\r\n")), 400);
  EXPECT_EQ(code(raw("GET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\n")), 404);
  EXPECT_EQ(code(raw("GET /api/stop HTTP/1.1\r\nHost: x\r\n\r\n")), 405);
  std::string huge = "POST /api/pause HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n" +
                     std::string(1000, 'x');
  int huge_code = code(raw(huge));
  EXPECT_GE(huge_code, 400);
  EXPECT_LT(huge_code, 500);
  EXPECT_EQ(code(raw(std::string(20000, 'A') + "\r\n\r\n")) / 100, 4);
  EXPECT_EQ(code(raw("GET /api/metrics?after=abc HTTP/1.1\r\nHost: x\r\n\r\n")), 400);
  // still alive and running
  EXPECT_EQ(ctl("status", run)["state"], "running");
  train.signal(SIGTERM);
  EXPECT_EQ(train.wait(), 0) << train.err();
}

// The read-only views a dashboard uses: config, checkpoints and metric history.
TEST(Lifecycle, ServesConfigCheckpointsAndMetricHistory) {
  fs::path root = test_dir();
  Background train({"train", "trainer.total_steps=1e9", "checkpoint.every_steps=20000",
                    "logging.every_seconds=0.2", "serve.token=abc", "run.dir=" + root.string()},
                   root);
  fs::path run = wait_for_run(root);
  ASSERT_FALSE(run.empty()) << train.err();
  int port = nlohmann::json::parse(testing::read_file(run / "control.json"))["port"];
  auto get = [port](const std::string& path) {
    std::string request = "GET " + path +
                          " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\r\n"
                          "Connection: close\r\n\r\n";
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{15, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return nlohmann::json();
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string reply;
    char buffer[65536];
    ssize_t n;
    while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) reply.append(buffer, n);
    close(fd);
    auto body = reply.find("\r\n\r\n");
    return body == std::string::npos ? nlohmann::json()
                                     : nlohmann::json::parse(reply.substr(body + 4));
  };
  auto config = get("/api/config");
  EXPECT_EQ(config["env"]["name"], "pendulum");
  EXPECT_EQ(config["trainer"]["total_steps"], 1000000000);
  EXPECT_EQ(config["serve"]["token"], "<redacted>");
  // the history once the first episodes have ended and their returns were written
  nlohmann::json rows;
  bool has_return = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
       !has_return && std::chrono::steady_clock::now() < deadline;) {
    rows = get("/api/metrics");
    if (!rows.is_array()) continue;
    for (const auto& r : rows) has_return |= r["name"] == "rollout/return";
    if (!has_return) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(has_return);
  ASSERT_TRUE(rows.is_array());
  ASSERT_FALSE(rows.empty());
  int64_t last = rows.back()["step"];
  for (const auto& r : get("/api/metrics?after=" + std::to_string(last))) {
    EXPECT_GT(r["step"].get<int64_t>(), last);
  }
  // the first checkpoint comes at 20k steps; a loaded machine may take a while
  nlohmann::json checkpoints;
  for (int i = 0; i < 120; ++i) {
    checkpoints = get("/api/checkpoints");
    if (checkpoints.is_array() && !checkpoints.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(checkpoints.is_array());
  ASSERT_FALSE(checkpoints.empty());
  EXPECT_EQ(checkpoints[0]["reason"], "every_steps");
  EXPECT_GT(checkpoints[0]["bytes"].get<int64_t>(), 0);
  train.signal(SIGTERM);
  EXPECT_EQ(train.wait(), 0) << train.err();
}

TEST(Lifecycle, NonLoopbackBindingNeedsAToken) {
  fs::path root = test_dir();
  ProcessResult refused = sinew_cmd({"train", "serve.host=0.0.0.0", "run.dir=" + root.string()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("serve.token"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(root / "pendulum_ppo")) << "a refused run must not leave a folder";

  Background train({"train", "trainer.total_steps=1e9", "serve.host=0.0.0.0", "serve.token=s3cret",
                    "run.dir=" + root.string()},
                   root);
  fs::path run = wait_for_run(root);
  ASSERT_FALSE(run.empty()) << train.err();
  int port = nlohmann::json::parse(testing::read_file(run / "control.json"))["port"];
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  ProcessResult no_token = sinew_cmd({"ctl", "status", "--url", url});
  EXPECT_EQ(no_token.exit_code, 2);
  EXPECT_NE(no_token.err.find("token"), std::string::npos);
  ProcessResult wrong = sinew_cmd({"ctl", "stop", "--url", url, "--token", "guess"});
  EXPECT_EQ(wrong.exit_code, 2);
  ProcessResult right = sinew_cmd({"ctl", "status", "--url", url, "--token", "s3cret"});
  EXPECT_EQ(right.exit_code, 0) << right.err;
  EXPECT_EQ(nlohmann::json::parse(right.out)["state"], "running");
  sinew_cmd({"ctl", "stop", "--url", url, "--token", "s3cret"});
  EXPECT_EQ(train.wait(), 0);
}

TEST(Lifecycle, ResumeContinuesCountersAndMetricsWithoutGaps) {
  fs::path root = test_dir();
  ProcessResult first = sinew_cmd({"train", "trainer.total_steps=40000",
                                   "checkpoint.every_steps=10000", "checkpoint.keep_last=0",
                                   "logging.every_seconds=0.2", "run.dir=" + root.string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  fs::path run =
      root / "pendulum_ppo" / fs::directory_iterator(root / "pendulum_ppo")->path().filename();
  auto before = list_checkpoints(run / "checkpoints");
  ASSERT_GE(before.size(), 4u);
  auto last = read_manifest(before.back(), true);
  int64_t step = last["counters"]["env_steps"];
  int64_t version = last["counters"]["learner_version"];
  int64_t episodes = last["counters"]["episodes"];

  // refused: shape-changing overrides; the folder is untouched
  ProcessResult refused =
      sinew_cmd({"resume", run.string(), "trainer.total_steps=80000", "model.hidden=[8]"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("model.hidden"), std::string::npos);

  ProcessResult second =
      sinew_cmd({"resume", run.string(), "trainer.total_steps=80000", "algo.lr=2e-4"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("restored"), std::string::npos);
  auto after = list_checkpoints(run / "checkpoints");
  auto final_manifest = read_manifest(after.back(), true);
  EXPECT_GE(final_manifest["counters"]["env_steps"].get<int64_t>(), 80000);
  EXPECT_GT(final_manifest["counters"]["learner_version"].get<int64_t>(), version);
  EXPECT_GT(final_manifest["counters"]["episodes"].get<int64_t>(), episodes);
  EXPECT_GT(final_manifest["wall_time_s"].get<double>(), last["wall_time_s"].get<double>());
  EXPECT_NE(testing::read_file(run / "config.yaml").find("lr: 2e-4"), std::string::npos);

  // metrics.csv: steps never go back, no (step, name) twice, rows before and after the resume
  auto rows = metric_rows(run / "metrics.csv");
  std::set<std::pair<int64_t, std::string>> seen;
  int64_t previous = 0;
  bool before_resume = false, after_resume = false;
  for (const auto& row : rows) {
    EXPECT_GE(row.first, previous);
    previous = row.first;
    EXPECT_TRUE(seen.insert(row).second) << "duplicate " << row.first << " " << row.second;
    before_resume |= row.first < step;
    after_resume |= row.first > step;
  }
  EXPECT_TRUE(before_resume && after_resume);

  // TensorBoard: one event file per session; the resumed one marks the restart at the
  // checkpoint step and carries on from there
  std::vector<fs::path> event_files;
  for (const auto& e : fs::directory_iterator(run)) {
    if (e.path().filename().string().rfind("events.out.tfevents.", 0) == 0) {
      event_files.push_back(e.path());
    }
  }
  ASSERT_EQ(event_files.size(), 2u);
  std::sort(event_files.begin(), event_files.end(), [](const fs::path& a, const fs::path& b) {
    return fs::last_write_time(a) < fs::last_write_time(b);
  });
  auto first_events = testing::read_events(event_files[0]);
  auto second_events = testing::read_events(event_files[1]);
  bool restart_marked = false, returns_logged = false;
  int64_t last_step = -1;
  for (const auto& e : second_events) {
    if (e.session_status == 1) {
      restart_marked = true;
      EXPECT_EQ(e.step, step);
    }
    for (const auto& v : e.values) {
      if (!v.has_simple_value) continue;
      EXPECT_GE(e.step, step);
      EXPECT_GE(e.step, last_step);
      last_step = e.step;
      returns_logged |= v.tag == "rollout/return";
    }
  }
  EXPECT_TRUE(restart_marked);
  EXPECT_TRUE(returns_logged);
  EXPECT_FALSE(first_events.empty());
}

// (step, value) rows of one metric in metrics.csv.
std::vector<std::pair<int64_t, double>> metric_values(const fs::path& csv,
                                                      const std::string& name) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::pair<int64_t, double>> values;
  while (std::getline(in, line)) {
    auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    if (line.substr(b + 1, c - b - 1) == name) {
      values.emplace_back(std::stoll(line.substr(0, a)), std::stod(line.substr(c + 1)));
    }
  }
  return values;
}

// runtime.synchronous: three actors feed batches of four blocks; every block is made by the
// learner's newest parameters (policy lag 0, nothing dropped), through pauses for checkpoints
// and a resume. An off-policy algorithm is refused.
TEST(Lifecycle, SynchronousActingHasNoPolicyLagAcrossCheckpointsAndResume) {
  fs::path root = test_dir();
  const std::vector<std::string> sync = {"runtime.synchronous=true", "runtime.actors=3",
                                         "runtime.envs_per_actor=4", "runtime.rollout_length=16",
                                         "algo.batch_steps=256",     "algo.minibatch_size=64",
                                         "logging.every_seconds=0.2"};
  std::vector<std::string> args = {"train", "trainer.total_steps=12800",
                                   "checkpoint.every_steps=4096", "checkpoint.keep_last=0",
                                   "run.dir=" + root.string()};
  args.insert(args.end(), sync.begin(), sync.end());
  ProcessResult first = sinew_cmd(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  fs::path run = fs::directory_iterator(root / "pendulum_ppo")->path();
  ASSERT_GE(list_checkpoints(run / "checkpoints").size(), 3u);
  ProcessResult second = sinew_cmd({"resume", run.string(), "trainer.total_steps=25600"});
  ASSERT_EQ(second.exit_code, 0) << second.err;

  auto lags = metric_values(run / "metrics.csv", "train/policy_lag");
  ASSERT_GT(lags.size(), 10u);
  for (const auto& [step, lag] : lags) EXPECT_EQ(lag, 0.0) << "at step " << step;
  EXPECT_TRUE(metric_values(run / "metrics.csv", "train/dropped_blocks").empty());
  auto final_manifest = read_manifest(list_checkpoints(run / "checkpoints").back(), true);
  EXPECT_EQ(final_manifest["counters"]["env_steps"].get<int64_t>(), 25600);
  EXPECT_EQ(final_manifest["counters"]["learner_version"].get<int64_t>(), 25600 / 256);

  ProcessResult mpo = sinew_cmd(
      {"train", "experiment=pendulum_mpo", "runtime.synchronous=true", "run.dir=" + root.string()});
  EXPECT_EQ(mpo.exit_code, 2) << mpo.err;
  EXPECT_NE(mpo.err.find("runtime.synchronous"), std::string::npos) << mpo.err;
  ProcessResult lead = sinew_cmd({"train", "runtime.lead_steps=1024", "run.dir=" + root.string()});
  EXPECT_EQ(lead.exit_code, 2) << lead.err;
  EXPECT_NE(lead.err.find("runtime.lead_steps"), std::string::npos) << lead.err;
}

// DEP-RL on the gait model, small: DEP acts alone before learning starts, the replay buffer,
// DEP controllers and energy cost go into checkpoints and a resumed run continues from them.
TEST(Lifecycle, DepRlGaitRunResumesWithReplayAndDepState) {
  fs::path root = test_dir();
  const std::vector<std::string> small = {
      "experiment=gait_walk",        "algo.learning_starts=3072", "algo.batch_iterations=2",
      "algo.replay_capacity=20000",  "model.hidden=[32,32]",      "runtime.envs_per_actor=8",
      "checkpoint.every_steps=4096", "checkpoint.keep_last=0",    "logging.every_seconds=0.2"};
  std::vector<std::string> args = {"train", "trainer.total_steps=6144", "run.dir=" + root.string()};
  args.insert(args.end(), small.begin(), small.end());
  ProcessResult first = sinew_cmd(args, 300);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  fs::path run = root / "gait_walk" / fs::directory_iterator(root / "gait_walk")->path().filename();
  auto checkpoints = list_checkpoints(run / "checkpoints");
  ASSERT_GE(checkpoints.size(), 2u);
  for (const char* file :
       {"data/replay.bin", "models/policy.pt", "models/critic.pt", "models/target_critic.pt",
        "models/mpo_duals.pt", "trainers/mpo_dual_optimizer.pt",
        "interaction/agent/energy_cost.json", "interaction/environment/actor_0.bin"}) {
    EXPECT_TRUE(fs::is_regular_file(checkpoints.back() / file)) << file;
  }
  const auto replay_before = fs::file_size(checkpoints.back() / "data/replay.bin");

  // DEP alone until learning starts; the learner's metrics appear after it
  std::ifstream csv(run / "metrics.csv");
  std::string line;
  std::vector<double> dep_before_learning;
  bool critic_logged = false;
  // a row's step is the env steps counted when it was flushed; an actor records a block's DEP
  // fraction before its steps are counted (it may still wait for room in the queue), so the row
  // stamped S can hold the block that starts at S. Blocks starting below learning_starts (3072)
  // are all DEP: rows stamped below it. (Under load, the row stamped 3072 once held the block
  // 3072..3583, policy with DEP interventions: 0.67.)
  while (std::getline(csv, line)) {
    if (line.find(",rollout/dep_fraction,") != std::string::npos &&
        std::stoll(line.substr(0, line.find(','))) < 3072) {
      dep_before_learning.push_back(std::stod(line.substr(line.rfind(',') + 1)));
    }
    critic_logged |= line.find(",train/loss/critic,") != std::string::npos;
  }
  ASSERT_FALSE(dep_before_learning.empty());
  for (double f : dep_before_learning) EXPECT_DOUBLE_EQ(f, 1.0);
  EXPECT_TRUE(critic_logged);

  ProcessResult second = sinew_cmd({"resume", run.string(), "trainer.total_steps=8192"}, 300);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("restored"), std::string::npos) << second.err;
  auto after = list_checkpoints(run / "checkpoints");
  auto manifest = read_manifest(after.back(), true);
  EXPECT_GE(manifest["counters"]["env_steps"].get<int64_t>(), 8192);
  EXPECT_GT(fs::file_size(after.back() / "data/replay.bin"), replay_before);

  ProcessResult eval = sinew_cmd({"eval", after.back().string(), "--episodes", "1", "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  auto j = nlohmann::json::parse(eval.out);
  for (const char* key : {"velocity", "fall_rate", "gait_similarity/hip", "gait_similarity/knee",
                          "gait_similarity/ankle"}) {
    EXPECT_TRUE(j.contains(key)) << key << " in " << eval.out;
  }
}

TEST(Lifecycle, CorruptNewestCheckpointFallsBackToThePreviousOne) {
  fs::path root = test_dir();
  ProcessResult first = sinew_cmd({"train", "trainer.total_steps=30000",
                                   "checkpoint.every_steps=10000", "run.dir=" + root.string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  fs::path run = fs::directory_iterator(root / "pendulum_ppo")->path();
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_GE(all.size(), 2u);
  // flip a byte in the newest, truncate a file of the one before
  {
    std::fstream f(all.back() / "data/learner_state.bin",
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(20);
    char c = 0;
    f.get(c);
    f.seekp(20);
    f.put(static_cast<char>(c ^ 1));
  }
  fs::resize_file(all[all.size() - 2] / "models/actor_critic.pt", 100);
  ProcessResult resumed = sinew_cmd({"resume", run.string(), "trainer.total_steps=50000"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("skipping " + all.back().filename().string()), std::string::npos)
      << resumed.err;
  EXPECT_NE(resumed.err.find("SHA-256"), std::string::npos);
  EXPECT_NE(resumed.err.find("wrong size"), std::string::npos);
  if (all.size() >= 3) {
    EXPECT_NE(resumed.err.find("restored " + all[all.size() - 3].string()), std::string::npos)
        << resumed.err;
  }
}

// Kills `sinew train` and then `sinew resume` with SIGKILL at random moments; every resume must
// start from the newest checkpoint, which must verify, and no half-written checkpoint may ever
// look complete.
TEST(Lifecycle, SurvivesRepeatedSigkillAtRandomMoments) {
  fs::path root = test_dir();
  std::mt19937 rng(2026);
  std::uniform_real_distribution<double> when(0.0, 1.5);  // after the restore is reported
  const std::vector<std::string> common = {"checkpoint.every_steps=4000", "checkpoint.keep_last=3",
                                           "logging.every_seconds=0.1"};
  fs::path run;
  int kills = 0, resumes = 0;
  for (int round = 0; round < 11; ++round) {
    std::vector<std::string> args;
    int64_t expected_step = -1;
    if (round == 0) {
      args = {"train", "trainer.total_steps=1e9", "run.dir=" + root.string()};
    } else {
      auto all = list_checkpoints(run / "checkpoints");
      ASSERT_FALSE(all.empty()) << "round " << round;
      expected_step = read_manifest(all.back(), true)["step"];
      args = {"resume", run.string()};
    }
    args.insert(args.end(), common.begin(), common.end());
    fs::path logs = root / ("round" + std::to_string(round));
    fs::create_directories(logs);
    Background process(args, logs);
    if (round == 0) {
      // the first run must leave a checkpoint, however slow start-up is on a loaded machine
      auto has_checkpoint = [&] {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(root / "pendulum_ppo", ec)) {
          if (!list_checkpoints(e.path() / "checkpoints").empty()) return true;
        }
        return false;
      };
      for (int i = 0; i < 600 && !has_checkpoint(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    if (round > 0) {
      // a loaded machine can take seconds to start: kill at a random moment after the restore
      for (int i = 0; i < 600 && process.err().find("restored") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    double delay = round == 0 ? 1.0 : when(rng);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    process.signal(SIGKILL);
    EXPECT_EQ(process.wait(), 128 + SIGKILL);
    ++kills;
    if (round == 0) run = fs::directory_iterator(root / "pendulum_ppo")->path();
    if (round > 0) {
      std::smatch m;
      std::string err = process.err();
      ASSERT_TRUE(std::regex_search(err, m, std::regex("restored \\S+step_(\\d+) \\(step")))
          << "round " << round << ": " << err;
      EXPECT_EQ(std::stoll(m[1]), expected_step) << "round " << round;
      ++resumes;
    }
    // every folder named step_N is complete
    for (const auto& c : list_checkpoints(run / "checkpoints")) {
      EXPECT_NO_THROW(read_manifest(c, true)) << c;
    }
  }
  EXPECT_GE(kills, 10);
  EXPECT_GE(resumes, 10);
  // and the run still finishes cleanly
  auto all = list_checkpoints(run / "checkpoints");
  int64_t step = read_manifest(all.back(), true)["step"];
  ProcessResult finish =
      sinew_cmd({"resume", run.string(), "trainer.total_steps=" + std::to_string(step + 20000)});
  EXPECT_EQ(finish.exit_code, 0) << finish.err;
  auto rows = metric_rows(run / "metrics.csv");
  for (std::size_t i = 1; i < rows.size(); ++i) ASSERT_GE(rows[i].first, rows[i - 1].first);
}

TEST(Lifecycle, WatchdogStopsAStuckRunWithACheckpoint) {
  fs::path root = test_dir();
  ProcessResult r = sinew_cmd(
      {"train", "trainer.total_steps=1e9", "runtime.actors=2", "runtime.watchdog_seconds=2",
       "debug.stall_actor=1", "checkpoint.every_steps=0", "run.dir=" + root.string()},
      /*timeout_s=*/120);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.err.find("watchdog: actor 1 made no progress"), std::string::npos) << r.err;
  fs::path run = fs::directory_iterator(root / "pendulum_ppo")->path();
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_EQ(all.size(), 1u) << r.err;
  auto manifest = read_manifest(all.back(), true);
  EXPECT_EQ(manifest["reason"], "watchdog");
  EXPECT_FALSE(manifest["actors_saved"][1].get<bool>());
  // and it resumes (the stuck actor's envs start new episodes)
  ProcessResult resumed =
      sinew_cmd({"resume", run.string(), "debug.stall_actor=-1",
                 "trainer.total_steps=" + std::to_string(manifest["step"].get<int64_t>() + 5000)});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("no saved state for actor 1"), std::string::npos);
}

// A stop does not wait behind a pause that waits on a stuck actor (the control thread is busy in
// it): the stop is answered at once, the pause gives up, and the run ends with a checkpoint of
// the learner and the actors that park after at most 10 s more, not the pause's own bound (the
// watchdog's 120 s, long enough that a loaded machine never reaches it before the stop).
TEST(Lifecycle, AStopCutsShortAPauseThatWaitsOnAStuckActor) {
  fs::path root = test_dir();
  Background train(
      {"train", "trainer.total_steps=1e9", "runtime.actors=2", "runtime.watchdog_seconds=120",
       "debug.stall_actor=1", "checkpoint.every_steps=0", "checkpoint.every_minutes=0",
       "run.dir=" + root.string()},
      root);
  fs::path run = wait_for_run(root);
  ASSERT_FALSE(run.empty()) << train.err();
  nlohmann::json paused;
  std::thread pauser([&] { paused = ctl("pause", run, /*expect_code=*/1); });
  // the pause is taken and waits: actor 1 never parks
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string state;
  do {
    nlohmann::json status = ctl("status", run);
    state = status.is_object() ? status.value("state", "") : "";
  } while (state != "pausing" && !state.empty() && std::chrono::steady_clock::now() < deadline);
  if (state != "pausing") {
    EXPECT_EQ(state, "pausing") << train.err();
    ctl("stop", run, -1);
    pauser.join();
    return;
  }
  const auto stop_sent = std::chrono::steady_clock::now();
  EXPECT_EQ(ctl("stop", run)["state"], "stopping");
  const double stop_answer_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stop_sent).count();
  EXPECT_LT(stop_answer_s, 2.0);
  pauser.join();
  EXPECT_NE(paused.dump().find("a stop came first"), std::string::npos) << paused.dump();
  train.wait();
  const double stopped_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stop_sent).count();
  EXPECT_LT(stopped_s, 20.0) << train.err();
  EXPECT_EQ(train.err().find("watchdog:"), std::string::npos) << train.err();
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_EQ(all.size(), 1u) << train.err();
  auto manifest = read_manifest(all.back(), true);
  EXPECT_EQ(manifest["reason"], "interrupted");
  EXPECT_TRUE(manifest["actors_saved"][0].get<bool>());
  EXPECT_FALSE(manifest["actors_saved"][1].get<bool>());
}

// An actor that throws (a fatal MuJoCo error, say) ends the run with exit 1 and its error, but
// not before the learner and the other actors are saved: the run resumes from there.
TEST(Lifecycle, AFailedActorLeavesACheckpointOfTheRest) {
  fs::path root = test_dir();
  ProcessResult r =
      sinew_cmd({"train", "trainer.total_steps=1e9", "runtime.actors=2", "debug.fail_actor=1",
                 "checkpoint.every_steps=0", "run.dir=" + root.string()},
                /*timeout_s=*/120);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.err.find("actor 1: injected failure"), std::string::npos) << r.err;
  fs::path run = fs::directory_iterator(root / "pendulum_ppo")->path();
  auto all = list_checkpoints(run / "checkpoints");
  ASSERT_EQ(all.size(), 1u) << r.err;
  auto manifest = read_manifest(all.back(), true);
  EXPECT_EQ(manifest["reason"], "worker_failed");
  // the failed actor's state is not saved (the other one's is when it parked in time)
  EXPECT_FALSE(manifest["actors_saved"][1].get<bool>());
  ProcessResult resumed =
      sinew_cmd({"resume", run.string(), "debug.fail_actor=-1",
                 "trainer.total_steps=" + std::to_string(manifest["step"].get<int64_t>() + 5000)});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("no saved state for actor 1"), std::string::npos);
}

}  // namespace
}  // namespace sinew
