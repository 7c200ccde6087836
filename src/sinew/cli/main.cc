// sinew: asynchronous reinforcement learning for embodied agents. See `sinew --help`.
#include <c10/util/Exception.h>
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "sinew/cli/commands.h"
#include "sinew/core/errors.h"
#include "sinew/sim/mujoco_handlers.h"

namespace {

// The learners allocate and free tensors of several MB every step (MPO: 5120-row activations).
// glibc would hand each back to the kernel (mmap/munmap, heap trimming) and fault its pages in
// again on the next step; keeping freed memory in the process made the MPO step ~30 % faster
// (`sinew bench --learner experiment=gait_walk`). Process-wide, so set once, here.
void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

constexpr const char* kOverridesHelp =
    "config overrides: key.sub=value, group=option (env=pendulum, experiment=pendulum_ppo), "
    "+new.key=value";

}  // namespace

int main(int argc, char** argv) {
  // MuJoCo's process-wide message handlers, once, before any thread runs MuJoCo: warnings to
  // stderr, fatal errors as exceptions reported below (see mujoco_handlers.h)
  sinew::install_mujoco_handlers();
  keep_freed_memory();
  CLI::App app{
      "sinew: asynchronous reinforcement learning of embodied agents (MuJoCo bodies, "
      "muscle-driven models, live worlds)"};
  app.set_version_flag("--version", "sinew 0.1.0");
  app.require_subcommand(1);
  app.footer(
      "Run `sinew <verb> --help` for a verb's options. Exit codes: 0 success, 2 bad input "
      "(config, file, arguments), 1 other failure.");

  std::vector<std::string> overrides;
  auto* train =
      app.add_subcommand("train", "train an agent; writes runs/<experiment>/<date_time>/");
  train->add_option("overrides", overrides, kOverridesHelp);
  train->footer(
      "Example: sinew train experiment=pendulum_ppo trainer.total_steps=2e5 "
      "runtime.actors=2\nCtrl-C stops the run and writes a final checkpoint.");

  std::string resume_path;
  auto* resume = app.add_subcommand(
      "resume", "continue a run from its newest checkpoint that verifies (or a given one)");
  resume->add_option("run", resume_path, "run folder or checkpoint folder")->required();
  resume->add_option("overrides", overrides,
                     "safe overrides (trainer.total_steps, algo.lr, checkpoint.*, logging.*, "
                     "serve.*); env, model and actor layout are fixed by the checkpoint");
  resume->footer(
      "Example: sinew resume runs/pendulum_ppo/2026-11-22_06-02-01 "
      "trainer.total_steps=6e5");

  std::string ctl_action, ctl_run, ctl_url, ctl_token;
  auto* ctl = app.add_subcommand("ctl", "control a running training through its HTTP API");
  ctl->add_option("action", ctl_action, "status | pause | resume | checkpoint | stop")
      ->required()
      ->check(CLI::IsMember({"status", "pause", "resume", "checkpoint", "stop"}));
  ctl->add_option("--run", ctl_run,
                  "run folder (reads its control.json); default: the newest "
                  "run under ./runs");
  ctl->add_option("--url", ctl_url, "the control API's URL, e.g. http://127.0.0.1:8123");
  ctl->add_option("--token", ctl_token, "bearer token (default: $SINEW_TOKEN)");

  std::string checkpoint;
  int episodes = 10;
  uint64_t seed = 12345;
  bool json = false, stochastic = false, no_conditions = false;
  auto* eval = app.add_subcommand("eval", "evaluate a checkpoint for whole episodes");
  eval->add_option("checkpoint", checkpoint,
                   "checkpoint folder (checkpoints/step_N), run folder "
                   "(uses its newest checkpoint) or store:<name>[:<tag>]")
      ->required();
  eval->add_option("--episodes", episodes, "episodes to run")->check(CLI::Range(1, 1000000));
  eval->add_option("--seed", seed, "seed of the first episode (episode i uses seed + i)");
  eval->add_flag("--json", json, "print one JSON object");
  eval->add_flag("--stochastic", stochastic, "sample actions instead of the deterministic mean");
  eval->add_flag(
      "--no-conditions", no_conditions,
      "run only the main condition, not the env's eval_conditions (gait: standing, push)");
  eval->add_option("overrides", overrides,
                   "env.* overrides for every episode, e.g. env.init_pose=stand");
  eval->footer("Example: sinew eval assets/policies/gait_walker env.init_pose=stand --json");

  std::string play_what, play_out;
  uint64_t play_seed = 1;
  auto* play = app.add_subcommand("play",
                                  "record one episode: OpenSim motion file (.sto/.mot), "
                                  "gait viewer page (.html) or its data (.json)");
  play->add_option("checkpoint", play_what,
                   "checkpoint or run folder, store:<name>[:<tag>], or "
                   "'none' for a passive body in the env given by the overrides")
      ->required();
  play->add_option("overrides", overrides,
                   "with 'none': config overrides, e.g. env=gait; with a checkpoint: env.* "
                   "overrides, e.g. env.init_pose=stand");
  play->add_option("--out", play_out,
                   "output file: .sto / .mot (time, joint angles in degrees, "
                   "muscle activations, foot contact forces), .html (self-contained gait viewer: "
                   "skeleton, joint curves vs normative bands, activation heat map) or .json")
      ->required();
  play->add_option("--seed", play_seed, "episode seed");
  play->footer(
      "Examples: sinew play none env=gait --out walk.sto\n"
      "          sinew play runs/gait_walk/<date_time> --out walk.html\n"
      "          sinew play assets/policies/gait_walker env.init_pose=stand --out start.html");

  std::string export_what, export_out, export_state_dict;
  auto* export_cmd = app.add_subcommand(
      "export", "write a checkpoint's policy as TorchScript for PyTorch (and a state_dict)");
  export_cmd
      ->add_option("checkpoint", export_what,
                   "checkpoint folder, run folder (uses its newest checkpoint that "
                   "verifies) or store:<name>[:<tag>]")
      ->required();
  export_cmd
      ->add_option("--out", export_out,
                   "TorchScript file to write, e.g. policy.pt; the "
                   "sidecar JSON goes beside it (policy.json)")
      ->required();
  export_cmd->add_option("--state-dict", export_state_dict,
                         "also write every network's tensors "
                         "and the observation statistics as a PyTorch state_dict file");
  export_cmd->footer(
      "Example: sinew export runs/gait_walk/<date_time> --out walker.pt\n"
      "Python:  policy = torch.jit.load(\"walker.pt\"); action = policy(obs)  # raw obs in, the\n"
      "         action sinew applies out (deterministic); policy.head(obs) gives the raw head.\n"
      "Start a run from it: sinew train ... init.from=walker.pt");

  sinew::ModelsArgs models_args;
  auto* models = app.add_subcommand(
      "models", "a versioned store of policies: push, pull, list, show, rm, gc, serve");
  models->require_subcommand(1);
  auto add_store = [&](CLI::App* sub) {
    sub->add_option("--store", models_args.store,
                    "the store: a folder or http://host:port "
                    "(default: $SINEW_MODEL_STORE, else ./models)");
    sub->add_option("--token", models_args.token,
                    "bearer token of a remote store "
                    "(default: $SINEW_STORE_TOKEN)");
  };
  auto* m_push = models->add_subcommand("push",
                                        "store a checkpoint, run or exported policy as "
                                        "the next version of a name");
  m_push
      ->add_option("what", models_args.what,
                   "checkpoint folder, run folder (its newest "
                   "checkpoint) or file (an exported policy travels with its .json, "
                   "checked against it)")
      ->required();
  m_push
      ->add_option("name", models_args.name,
                   "name or name:tag (the tag moves to the new "
                   "version)")
      ->required();
  m_push->add_flag("--unverified", models_args.unverified,
                   "push a file that has no sidecar checksum (e.g. a torch.save state_dict)");
  auto* m_pull = models->add_subcommand("pull", "copy a version's files into a new folder");
  m_pull->add_option("ref", models_args.what, "name, name:latest, name:<version> or name:<tag>")
      ->required();
  m_pull->add_option("destination", models_args.name, "folder to create")->required();
  auto* m_list = models->add_subcommand("list", "versions of every name, or of one");
  m_list->add_option("name", models_args.what, "only this name");
  m_list->add_flag("--json", models_args.json, "print one JSON array");
  auto* m_show = models->add_subcommand("show", "a version's metadata and files, verified");
  m_show->add_option("ref", models_args.what, "name[:latest|:<version>|:<tag>]")->required();
  auto* m_rm = models->add_subcommand("rm", "delete a version (name:<version> or name:<tag>)");
  m_rm->add_option("ref", models_args.what, "name:<version> or name:<tag>")->required();
  auto* m_gc = models->add_subcommand(
      "gc",
      "finish or remove what killed pushes, uploads and removals left in a store folder "
      "(also done at each push, list and rm of that name)");
  auto* m_serve = models->add_subcommand("serve",
                                         "serve a store folder over HTTP for other "
                                         "machines (uploads verified, written atomically)");
  m_serve->add_option("--host", models_args.host,
                      "address to bind; anything but loopback needs "
                      "--token");
  m_serve->add_option("--port", models_args.port, "port (0 = any free one)")
      ->check(CLI::Range(0, 65535));
  for (auto* sub : {m_push, m_pull, m_list, m_show, m_rm, m_gc, m_serve}) add_store(sub);
  models->footer(
      "Examples: sinew models push runs/gait_walk/<date_time> walker:best\n"
      "          sinew models list\n"
      "          sinew train experiment=gait_walk init.from=store:walker:best\n"
      "          sinew models serve --store /shared/models --host 0.0.0.0 --token ...");

  sinew::ExoOptimizeArgs exo_args;
  auto* exo_opt = app.add_subcommand(
      "exo-optimize",
      "tune an exoskeleton's assistance profile for a trained walker with CMA-ES (the walker's "
      "policy fixed), scored by the person's cost of transport at the walker's own speed");
  exo_opt->add_option("checkpoint", exo_args.checkpoint,
                      "the walker: checkpoint, run or policy folder (e.g. "
                      "assets/policies/gait_walker)");
  exo_opt->add_option("overrides", exo_args.overrides,
                      "exo=<device> (ankle, hip, knee or your own), exo.* and env.* overrides");
  exo_opt->add_option("--out", exo_args.out,
                      "folder of the search (default exo_<device>_<date_time>)");
  exo_opt->add_flag("--resume", exo_args.resume,
                    "continue the search in --out (its checkpoint and overrides; --generations "
                    "may extend it)");
  exo_opt->add_option("--generations", exo_args.options.generations, "CMA-ES generations")
      ->check(CLI::Range(1, 100000))
      ->each([&](const std::string&) { exo_args.generations_given = true; });
  exo_opt->add_option("--population", exo_args.options.population, "candidates per generation")
      ->check(CLI::Range(2, 1000));
  exo_opt
      ->add_option("--episodes", exo_args.options.episodes,
                   "10 s episodes per candidate (the same seeds for every candidate)")
      ->check(CLI::Range(1, 10000));
  exo_opt->add_option("--threads", exo_args.options.threads, "candidates scored at once")
      ->check(CLI::Range(1, 256));
  exo_opt->add_option("--seed", exo_args.options.seed, "seed of the first episode and of CMA-ES");
  exo_opt
      ->add_option("--sigma", exo_args.options.sigma,
                   "initial CMA-ES step, in the [0, 1] range of each parameter")
      ->check(CLI::Range(1e-4, 1.0));
  exo_opt->add_flag("--json", exo_args.json, "print result.json");
  exo_opt->footer(
      "Example: sinew exo-optimize assets/policies/gait_walker exo=ankle --generations 20\n"
      "Writes search.json, search.state, history.csv and result.json into --out.");

  sinew::ExoStudyArgs study_args;
  auto* exo_study = app.add_subcommand(
      "exo-study",
      "a trained walker with and without a device: metabolic change, device work, energy "
      "ratio, gait cycle curves; study.json, study.html and .sto motions");
  exo_study->add_option("checkpoint", study_args.checkpoint,
                        "the walker: checkpoint, run or policy folder");
  exo_study->add_option("overrides", study_args.overrides,
                        "exo=<device> (ankle, hip, knee or your own), exo.* and env.* overrides");
  exo_study->add_option("--from-search", study_args.from_search,
                        "an exo-optimize folder (or its result.json): study its best profile");
  exo_study->add_option("--out", study_args.out,
                        "folder of the report (default exo_study_<device>_<date_time>)");
  exo_study->add_option("--episodes", study_args.episodes, "10 s episodes with and without")
      ->check(CLI::Range(1, 10000));
  exo_study->add_option("--seed", study_args.seed, "seed of the first episode");
  exo_study->add_flag("--json", study_args.json, "print study.json");
  exo_study->footer(
      "Example: sinew exo-study assets/policies/gait_walker exo=ankle\n"
      "         sinew exo-study assets/policies/gait_walker --from-search exo_ankle_<date>");

  std::string dash_dir = "runs", dash_host = "127.0.0.1", dash_token;
  int dash_port = 8080;
  auto* dashboard = app.add_subcommand(
      "dashboard",
      "serve the web dashboard over the runs in a folder, to compare them side by side");
  dashboard->add_option("runs", dash_dir, "folder with run folders (default: runs)");
  dashboard->add_option("--host", dash_host,
                        "address to bind; anything but loopback needs --token");
  dashboard->add_option("--port", dash_port, "port (0 = any free one)")
      ->check(CLI::Range(0, 65535));
  dashboard->add_option("--token", dash_token,
                        "bearer token API clients must send "
                        "(open the page as http://host:port/#token=...; default: $SINEW_TOKEN)");
  std::string dash_store;
  dashboard->add_option("--store", dash_store,
                        "model store to list beside the runs (default: "
                        "$SINEW_MODEL_STORE, else ./models; a remote one reads "
                        "$SINEW_STORE_TOKEN)");
  dashboard->footer("Example: sinew dashboard runs --port 8080, then open http://127.0.0.1:8080/");

  auto* config = app.add_subcommand("config", "print the resolved config");
  config->add_option("overrides", overrides, kOverridesHelp);
  bool origins = false;
  config->add_flag("--origins", origins,
                   "one line per key: value and where it came from (base, group file, "
                   "experiment, command line)");
  config->footer(
      "Examples: sinew config env=mjcf algo=ppo\n"
      "          sinew config experiment=gait_walk --origins");

  auto* envs = app.add_subcommand("envs", "list environments and experiments");

  double seconds = 5.0;
  auto* bench = app.add_subcommand(
      "bench",
      "throughput as ratios: env steps/s vs raw mj_step, or (--learner) the learner "
      "(PPO or MPO) vs raw LibTorch");
  bench->add_option("overrides", overrides, kOverridesHelp + std::string(" (e.g. env=pendulum)"));
  bench->add_option("--seconds", seconds, "seconds per measured loop")
      ->check(CLI::Range(0.01, 3600.0));
  bench->add_flag("--json", json, "print one JSON object");
  bool learner = false;
  bench->add_flag("--learner", learner,
                  "benchmark the learner of algo.name (PPO or MPO) against raw LibTorch "
                  "forward/backward of the same networks instead");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (*train) return sinew::command_train(overrides);
    if (*resume) return sinew::command_resume(resume_path, overrides);
    if (*ctl) return sinew::command_ctl(ctl_action, ctl_run, ctl_url, ctl_token);
    if (*eval)
      return sinew::command_eval(checkpoint, overrides, episodes, seed, json, stochastic,
                                 !no_conditions);
    if (*play) return sinew::command_play(play_what, overrides, play_out, play_seed);
    if (*export_cmd) return sinew::command_export(export_what, export_out, export_state_dict);
    if (*models) {
      for (const auto* sub : models->get_subcommands()) models_args.action = sub->get_name();
      return sinew::command_models(models_args);
    }
    if (*dashboard) {
      return sinew::command_dashboard(dash_dir, dash_host, dash_port, dash_token, dash_store);
    }
    if (*exo_opt) return sinew::command_exo_optimize(exo_args);
    if (*exo_study) return sinew::command_exo_study(study_args);
    if (*config) return sinew::command_config(overrides, origins);
    if (*envs) return sinew::command_envs();
    if (*bench) return sinew::command_bench(overrides, seconds, json, learner);
  } catch (const sinew::UserError& e) {
    std::fprintf(stderr, "sinew: %s\n", e.what());
    return 2;
  } catch (const c10::Error& e) {
    std::fprintf(stderr, "sinew: torch error: %s\n", e.what_without_backtrace());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sinew: error: %s\n", e.what());
    return 1;
  }
  return 1;
}
