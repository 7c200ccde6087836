// The runtime settings of a training run, read (and validated) from the config at once.
#pragma once

#include <cstdint>
#include <string>

#include "sinew/core/config.h"
#include "sinew/core/errors.h"

namespace sinew {

struct RunOptions {
  int64_t total_steps;
  uint64_t seed;
  int actors;
  int envs_per_actor;
  int rollout_length;
  int queue_capacity;
  bool synchronous;
  int64_t lead_steps;
  int learner_threads;
  int64_t checkpoint_every_steps;
  double checkpoint_every_minutes;
  int keep_last;
  double log_every_s;
  double episode_every_minutes;
  double watchdog_s;
  double pause_envs_after_s;
  int stall_actor;
  int fail_actor;
  std::string serve_host;
  int serve_port;
  std::string serve_token;
  std::string experiment;  // what ran: names the run folder

  explicit RunOptions(const Config& c)
      : total_steps(c.get_int("trainer.total_steps", 1)),
        seed(static_cast<uint64_t>(c.get_int("trainer.seed", 0))),
        actors(static_cast<int>(c.get_int("runtime.actors", 1, 1024))),
        envs_per_actor(static_cast<int>(c.get_int("runtime.envs_per_actor", 1, 1 << 16))),
        rollout_length(static_cast<int>(c.get_int("runtime.rollout_length", 1, 1 << 20))),
        queue_capacity(static_cast<int>(c.get_int("runtime.queue_capacity", 1, 1 << 16))),
        // runs saved before the key existed were asynchronous
        synchronous(c.has("runtime.synchronous") && c.get_bool("runtime.synchronous")),
        lead_steps(c.has("runtime.lead_steps") ? c.get_int("runtime.lead_steps", 0, 1LL << 40) : 0),
        learner_threads(static_cast<int>(c.get_int("runtime.learner_threads", 1, 1024))),
        checkpoint_every_steps(c.get_int("checkpoint.every_steps", 0)),
        checkpoint_every_minutes(c.get_double("checkpoint.every_minutes", 0, 1e9)),
        keep_last(static_cast<int>(c.get_int("checkpoint.keep_last", 0, 1 << 20))),
        log_every_s(c.get_double("logging.every_seconds", 0.1, 3600)),
        episode_every_minutes(c.get_double("logging.episode_every_minutes", 0, 1e6)),
        watchdog_s(c.get_double("runtime.watchdog_seconds", 0, 1e9)),
        // runs saved before the key existed: its default
        pause_envs_after_s(c.has("runtime.pause_envs_after_s")
                               ? c.get_double("runtime.pause_envs_after_s", 0, 1e9)
                               : 0.5),
        stall_actor(static_cast<int>(c.get_int("debug.stall_actor", -1, 1024))),
        fail_actor(c.has("debug.fail_actor")
                       ? static_cast<int>(c.get_int("debug.fail_actor", -1, 1024))
                       : -1),
        serve_host(c.get_string("serve.host")),
        serve_port(static_cast<int>(c.get_int("serve.port", 0, 65535))),
        serve_token(c.get_string("serve.token")),
        experiment(c.get_string("experiment")) {
    if (lead_steps > 0 && !synchronous) {
      throw ConfigError("runtime.lead_steps",
                        "runtime.lead_steps bounds how far actors run ahead of the learner under "
                        "runtime.synchronous=true; set that too (without it the queue bounds it)");
    }
    if (serve_token == Config::kRedacted) {
      throw ConfigError("serve.token",
                        "this run was started with a token, and tokens are never saved with a "
                        "run: pass serve.token=<token> again (serve.token='' serves without one "
                        "on a loopback host)");
    }
  }
};

}  // namespace sinew
