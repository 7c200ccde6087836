// The `sinew` command's verbs. Each returns the process exit code (0 success, 2 bad input,
// 1 other failure); bad input is thrown as UserError and mapped to 2 by main().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sinew/runtime/exo_profile_search.h"

namespace sinew {

int command_train(const std::vector<std::string>& overrides);
int command_resume(const std::string& path, const std::vector<std::string>& overrides);
int command_ctl(const std::string& action, const std::string& run_dir, const std::string& url,
                const std::string& token);
int command_eval(const std::string& checkpoint, const std::vector<std::string>& overrides,
                 int episodes, uint64_t seed, bool json, bool stochastic, bool conditions);
// Records one episode of a checkpoint's policy (or, with "none", a passive body in the env
// chosen by `overrides`) into a motion file (.sto/.mot), the self-contained gait viewer (.html)
// or the viewer's episode data (.json).
int command_play(const std::string& checkpoint, const std::vector<std::string>& overrides,
                 const std::string& out, uint64_t seed);
// Writes a checkpoint's policy as TorchScript with a JSON sidecar (policy_export.h), and with
// `state_dict` non-empty also a state_dict file.
int command_export(const std::string& checkpoint, const std::string& out,
                   const std::string& state_dict);
// `sinew models <action>`: push <what> <name[:tag]>, pull <what=ref> <name=destination>,
// list [what=name], show <what=ref>, rm <what=ref>, gc, serve (host, port).
struct ModelsArgs {
  std::string action;
  std::string what;
  std::string name;
  std::string store;  // --store: a folder or http://host:port ("" = default)
  std::string token;
  std::string host = "127.0.0.1";
  int port = 8765;
  bool json = false;
  bool unverified = false;  // push: a file without a sidecar checksum
};
int command_models(const ModelsArgs& args);
// `sinew exo-optimize <checkpoint> exo=<device> [exo.*=...] [env.*=...]`: tunes the device's
// assistance profile for the checkpoint's policy in folder `out` (default exo_<device>_<date>),
// or continues that folder's search with `resume`.
struct ExoOptimizeArgs {
  std::string checkpoint;
  std::vector<std::string> overrides;
  std::string out;
  bool resume = false;
  bool json = false;
  bool generations_given = false;  // --generations on the command line (resume extends)
  ExoSearchOptions options;
};
int command_exo_optimize(const ExoOptimizeArgs& args);
// `sinew exo-study <checkpoint> exo=<device> [exo.*=...] [env.*=...]`: the walker with and
// without the device (runtime/exo_study.h) in folder `out` (default exo_study_<device>_<date>);
// `from_search` (a search folder or its result.json) adds that search's best profile.
struct ExoStudyArgs {
  std::string checkpoint;
  std::vector<std::string> overrides;
  std::string out;
  std::string from_search;
  bool json = false;
  int episodes = 4;
  uint64_t seed = 12345;
};
int command_exo_study(const ExoStudyArgs& args);
// Serves the dashboard over the finished (or running) runs under `runs_dir`, side by side,
// from their files, until Ctrl-C.
// Also lists the model store at `store` (store_location()).
int command_dashboard(const std::string& runs_dir, const std::string& host, int port,
                      const std::string& token, const std::string& store);
int command_config(const std::vector<std::string>& overrides, bool origins);
int command_envs();
// Env throughput vs raw mj_step, or with `learner` the PPO update vs raw LibTorch work.
int command_bench(const std::vector<std::string>& overrides, double seconds, bool json,
                  bool learner);

}  // namespace sinew
