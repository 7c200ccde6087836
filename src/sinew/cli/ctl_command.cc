// `sinew ctl`: the command-line client of a running training's control API.
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "sinew/cli/commands.h"
#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// Whether the process that wrote a control.json is still alive (a run killed with SIGKILL
// leaves its control.json behind).
bool writer_alive(const fs::path& control) {
  try {
    auto pid = nlohmann::json::parse(read_text_file(control)).at("pid").get<int>();
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
  } catch (const std::exception&) {
    return false;
  }
}

// The control.json of the most recently started run under ./runs that is still going.
fs::path newest_control_file() {
  fs::path best;
  fs::file_time_type best_time;
  std::error_code ec;
  if (!fs::is_directory("runs")) return best;
  for (const auto& e : fs::recursive_directory_iterator("runs", ec)) {
    if (e.path().filename() != "control.json" || !writer_alive(e.path())) continue;
    auto t = fs::last_write_time(e.path(), ec);
    if (best.empty() || t > best_time) {
      best = e.path();
      best_time = t;
    }
  }
  return best;
}

}  // namespace

int command_ctl(const std::string& action, const std::string& run_dir, const std::string& url,
                const std::string& token_arg) {
  // where the run listens
  std::string base = url;
  if (base.empty()) {
    fs::path control = run_dir.empty() ? newest_control_file() : fs::path(run_dir) / "control.json";
    if (control.empty()) {
      throw UserError("no running training found under ./runs; pass --run <run-dir> or --url URL");
    }
    if (!fs::is_regular_file(control)) {
      throw UserError(fmt::format("{} has no control.json: is the run still going?", run_dir));
    }
    try {
      base = nlohmann::json::parse(read_text_file(control)).at("url").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
      throw UserError(fmt::format("{}: malformed: {}", control.string(), e.what()));
    }
  }
  std::string token = token_arg;
  if (token.empty()) {
    if (const char* env = std::getenv("SINEW_TOKEN")) token = env;
  }

  httplib::Client client(base);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(600, 0);  // a pause or checkpoint waits for the workers
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  const std::string path = "/api/" + action;
  auto result = action == "status" ? client.Get(path.c_str(), headers)
                                   : client.Post(path.c_str(), headers, "", "application/json");
  if (!result) {
    std::fprintf(stderr, "sinew: cannot reach %s (%s): is the run still going?\n", base.c_str(),
                 httplib::to_string(result.error()).c_str());
    return 1;
  }
  std::fputs(result->body.c_str(), stdout);
  if (result->status == 401) {
    std::fprintf(stderr, "sinew: the run wants a token: pass --token or set SINEW_TOKEN\n");
    return 2;
  }
  return result->status / 100 == 2 ? 0 : 1;
}

}  // namespace sinew
