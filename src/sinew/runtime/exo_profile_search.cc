#include "sinew/runtime/exo_profile_search.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "sinew/core/binary_io.h"
#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/runtime/evaluator.h"
#include "sinew/runtime/exo_study.h"
#include "sinew/sim/env_factory.h"
#include "sinew/sim/exo/exo_spec.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

constexpr const char* kStateMagic = "sinew exo profile search 2";
// the searched range of each parameter in [0, 1] (peak torque scales with exo.max_torque)
constexpr double kRiseMin = 0.02, kRiseMax = 0.6, kFallMin = 0.02, kFallMax = 0.4;
constexpr double kPeakTimeMax = 0.999;
constexpr double kOutsidePenalty = 10.0;  // J/(kg m) per unit of squared distance outside
constexpr double kFallPenalty = 100.0;    // J/(kg m) at a fall rate of 1

double number(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

ExoScore score_of(const nlohmann::json& eval) {
  ExoScore s;
  s.cost_of_transport = number(eval, "cost_of_transport");
  s.velocity = number(eval, "velocity");
  s.fall_rate = number(eval, "fall_rate");
  s.distance = number(eval, "distance");
  s.positive_work = number(eval, "exo/positive_work");
  s.negative_work = number(eval, "exo/negative_work");
  s.positive_work_per_stride = number(eval, "exo/positive_work_per_stride");
  s.person_mass_kg = number(eval, "exo/person_mass");
  s.similarity = {number(eval, "gait_similarity/hip"), number(eval, "gait_similarity/knee"),
                  number(eval, "gait_similarity/ankle")};
  return s;
}

void put_score(BinaryWriter* out, const ExoScore& s) {
  out->put(s.profile);
  for (double v :
       {s.score, s.cost_of_transport, s.velocity, s.fall_rate, s.distance, s.positive_work,
        s.positive_work_per_stride, s.negative_work, s.person_mass_kg}) {
    out->put(v);
  }
  out->put(s.similarity);
}

ExoScore get_score(BinaryReader* in) {
  ExoScore s;
  s.profile = in->get<std::array<double, 4>>();
  for (double* v :
       {&s.score, &s.cost_of_transport, &s.velocity, &s.fall_rate, &s.distance, &s.positive_work,
        &s.positive_work_per_stride, &s.negative_work, &s.person_mass_kg}) {
    *v = in->get<double>();
  }
  s.similarity = in->get<std::array<double, 3>>();
  return s;
}

std::string clock_text(double seconds) {
  const int s = static_cast<int>(seconds);
  return fmt::format("{:02d}:{:02d}:{:02d}", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

nlohmann::json ExoSearchOptions::to_json() const {
  return {{"generations", generations},
          {"population", population},
          {"episodes", episodes},
          {"seed", seed},
          {"threads", threads},
          {"sigma", sigma},
          {"speed_tolerance", speed_tolerance},
          {"speed_penalty", speed_penalty}};
}

ExoSearchOptions ExoSearchOptions::from_json(const nlohmann::json& j, const std::string& source) {
  ExoSearchOptions o;
  auto read = [&](const char* key, double low, double high) {
    if (!j.contains(key) || !j[key].is_number() || j[key].get<double>() < low ||
        j[key].get<double>() > high) {
      throw UserError(fmt::format("{}: '{}' must be a number in [{}, {}]", source, key, low, high));
    }
    return j[key].get<double>();
  };
  o.generations = static_cast<int>(read("generations", 1, 100000));
  o.population = static_cast<int>(read("population", 2, 1000));
  o.episodes = static_cast<int>(read("episodes", 1, 10000));
  o.seed = static_cast<uint64_t>(read("seed", 0, 9.0e15));
  o.threads = static_cast<int>(read("threads", 1, 256));
  o.sigma = read("sigma", 1e-6, 1);
  o.speed_tolerance = read("speed_tolerance", 0, 1);
  o.speed_penalty = read("speed_penalty", 0, 1e6);
  return o;
}

nlohmann::json ExoScore::to_json() const {
  return {
      {"profile",
       {{"peak_torque", profile[0]},
        {"peak_time", profile[1]},
        {"rise_time", profile[2]},
        {"fall_time", profile[3]}}},
      {"score", score},
      {"cost_of_transport", cost_of_transport},
      {"velocity", velocity},
      {"fall_rate", fall_rate},
      {"distance", distance},
      {"device_positive_work_j", positive_work},
      {"device_negative_work_j", negative_work},
      {"device_positive_work_j_per_stride", positive_work_per_stride},
      {"similarity", {{"hip", similarity[0]}, {"knee", similarity[1]}, {"ankle", similarity[2]}}}};
}

ExoProfileSearch::ExoProfileSearch(std::function<LoadedPolicy()> load, nlohmann::json description,
                                   fs::path folder, ExoSearchOptions options, bool resume)
    : description_(std::move(description)), folder_(std::move(folder)), options_(options) {
  for (int t = 0; t < std::max(options_.threads, 1); ++t) policies_.push_back(load());
  const Config& config = policies_.front().config;
  const auto exo = ExoSpec::read(config);
  if (!exo) {
    throw UserError("the profile search needs a device: add exo=<device> (ankle, hip, knee)");
  }
  if (exo->controller != "profile") {
    throw ConfigError("exo.controller", "the profile search tunes exo.controller=profile");
  }
  device_ = exo->name;
  max_torque_Nm_ = exo->max_torque_Nm;
  if (!config.has("env.name") || config.get_string("env.name") != "gait") {
    throw UserError("the profile search needs the gait env (env.name=gait)");
  }
  const AssistanceProfile& p = exo->profile;
  start_ = {std::clamp(p.peak_torque_Nm / max_torque_Nm_, 0.0, 1.0),
            std::clamp(p.peak_time / kPeakTimeMax, 0.0, 1.0),
            std::clamp((p.rise_time - kRiseMin) / (kRiseMax - kRiseMin), 0.0, 1.0),
            std::clamp((p.fall_time - kFallMin) / (kFallMax - kFallMin), 0.0, 1.0)};
  fs::create_directories(folder_);
  if (resume) {
    if (!load_state()) {
      throw UserError(fmt::format("{}: nothing to resume (no search.state)", folder_.string()));
    }
  } else {
    if (fs::exists(folder_ / "search.state")) {
      throw UserError(
          fmt::format("{}: holds a search already; --resume continues it, or choose another --out",
                      folder_.string()));
    }
    cma_ = std::make_unique<CmaEs>(start_, options_.sigma,
                                   CmaEs::Options{options_.population, options_.seed});
    nlohmann::json written = description_;
    written["options"] = options_.to_json();
    write_file_atomically(folder_ / "search.json", written.dump(2) + "\n");
    std::ofstream(folder_ / "history.csv")
        << "generation,candidate,peak_torque,peak_time,rise_time,fall_time,score,"
           "cost_of_transport,velocity,fall_rate,device_positive_work_j_per_stride\n";
  }
}

std::array<double, 4> ExoProfileSearch::profile_at(const std::vector<double>& u) const {
  auto c = [&](int i) { return std::clamp(u[i], 0.0, 1.0); };
  return {c(0) * max_torque_Nm_, c(1) * kPeakTimeMax, kRiseMin + c(2) * (kRiseMax - kRiseMin),
          kFallMin + c(3) * (kFallMax - kFallMin)};
}

std::vector<std::string> ExoProfileSearch::profile_overrides(const std::array<double, 4>& p) const {
  return {"exo.controller=profile", fmt::format("exo.profile.peak_torque={:.17g}", p[0]),
          fmt::format("exo.profile.peak_time={:.17g}", p[1]),
          fmt::format("exo.profile.rise_time={:.17g}", p[2]),
          fmt::format("exo.profile.fall_time={:.17g}", p[3])};
}

std::vector<ExoScore> ExoProfileSearch::score_all(
    const std::vector<std::vector<std::string>>& overrides) {
  std::vector<ExoScore> out(overrides.size());
  std::vector<std::exception_ptr> errors(policies_.size());
  std::atomic<std::size_t> next{0};
  auto work = [&](std::size_t worker) {
    try {
      for (std::size_t i = next++; i < overrides.size(); i = next++) {
        EvalOptions eval;
        eval.episodes = options_.episodes;
        eval.seed = options_.seed;
        eval.conditions = false;
        std::unique_ptr<EnvFactory> factory;
        {
          std::lock_guard<std::mutex> lock(model_loading_);
          factory = std::make_unique<EnvFactory>(
              evaluation_config(policies_[worker].config, overrides[i]));
        }
        out[i] = score_of(evaluate_in(policies_[worker], *factory, eval));
      }
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < policies_.size(); ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return out;
}

double ExoProfileSearch::penalized(const std::vector<double>& u, const ExoScore& s) const {
  double outside = 0;
  for (double v : u) outside += std::pow(v - std::clamp(v, 0.0, 1.0), 2);
  const double relative_speed =
      baseline_.velocity > 0 ? std::fabs(s.velocity - baseline_.velocity) / baseline_.velocity
                             : 0.0;
  return s.cost_of_transport + kOutsidePenalty * outside +
         options_.speed_penalty * std::max(0.0, relative_speed - options_.speed_tolerance) +
         kFallPenalty * s.fall_rate;
}

nlohmann::json ExoProfileSearch::run(const std::function<bool()>& stop,
                                     const std::function<void(const std::string&)>& progress) {
  torch::set_num_threads(1);  // the threads here are the parallelism
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  if (baseline_.cost_of_transport <= 0) {
    // the references: without the device, and worn at zero torque
    const auto refs = score_all({{"exo.name=none"}, {"exo.controller=zero"}});
    baseline_ = refs[0];
    baseline_.score = baseline_.cost_of_transport;
    zero_ = refs[1];
    zero_.score = penalized(start_, zero_);
    progress(fmt::format(
        "without the device: {:.3f} J/(kg m) at {:.2f} m/s; worn at zero torque: {:.3f} "
        "J/(kg m) ({:+.1f} %) at {:.2f} m/s",
        baseline_.cost_of_transport, baseline_.velocity, zero_.cost_of_transport,
        100 * (zero_.cost_of_transport / baseline_.cost_of_transport - 1), zero_.velocity));
    save_state();
  }
  while (cma_->generation() < options_.generations && !stop()) {
    const auto& candidates = cma_->ask();
    std::vector<std::vector<std::string>> overrides;
    for (const auto& u : candidates) overrides.push_back(profile_overrides(profile_at(u)));
    std::vector<ExoScore> scores = score_all(overrides);
    std::vector<double> values;
    std::ofstream history(folder_ / "history.csv", std::ios::app);
    for (std::size_t i = 0; i < scores.size(); ++i) {
      ExoScore& s = scores[i];
      s.profile = profile_at(candidates[i]);
      s.score = penalized(candidates[i], s);
      values.push_back(s.score);
      if (!has_best_ || s.score < best_.score) {
        best_ = s;
        has_best_ = true;
      }
      history << fmt::format(
          "{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g}\n",
          cma_->generation() + 1, i, s.profile[0], s.profile[1], s.profile[2], s.profile[3],
          s.score, s.cost_of_transport, s.velocity, s.fall_rate, s.positive_work_per_stride);
    }
    history.close();
    cma_->tell(values);
    save_state();
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    progress(fmt::format(
        "generation {}/{}: best {:.3f} J/(kg m) ({:+.1f} % vs without) at {:.1f} N m, peak "
        "{:.0f} %, rise {:.0f} %, fall {:.0f} %; this generation {:.3f}..{:.3f}; spread {:.3f}; "
        "{}",
        cma_->generation(), options_.generations, best_.cost_of_transport,
        100 * (best_.cost_of_transport / baseline_.cost_of_transport - 1), best_.profile[0],
        100 * best_.profile[1], 100 * best_.profile[2], 100 * best_.profile[3], *low, *high,
        cma_->spread(), clock_text(elapsed())));
  }
  nlohmann::json out = result();
  write_file_atomically(folder_ / "result.json", out.dump(2) + "\n");
  return out;
}

nlohmann::json ExoProfileSearch::result() const {
  nlohmann::json out;
  out["device"] = device_;
  out["controller"] = "profile (CMA-ES, the walker's policy fixed)";
  out["metabolic_model"] = "Wang2012 (sinew's MetabolicMeasure)";
  out["generations"] = cma_->generation();
  out["evaluations"] = cma_->generation() * cma_->population() + 2;
  out["episodes_per_candidate"] = options_.episodes;
  out["person_mass_kg"] = zero_.person_mass_kg;
  out["without_device"] = baseline_.to_json();
  out["zero_torque_device"] = zero_.to_json();
  if (!has_best_) return out;
  out["best"] = best_.to_json();
  const double base = baseline_.cost_of_transport;
  out["metabolic_change"] = base > 0 ? best_.cost_of_transport / base - 1 : 0.0;
  out["cost_of_transport"] = {{"with", best_.cost_of_transport}, {"without", base}};
  out["velocity"] = {{"with", best_.velocity}, {"without", baseline_.velocity}};
  out["similarity"] = best_.to_json()["similarity"];
  out["device_positive_work_j_per_stride"] = best_.positive_work_per_stride;
  out["energy_ratio"] =
      exo_energy_ratio(base, best_.cost_of_transport, best_.person_mass_kg, best_.positive_work,
                       best_.distance, best_.positive_work_per_stride);
  out["best_overrides"] = profile_overrides(best_.profile);
  return out;
}

void ExoProfileSearch::save_state() const {
  BinaryWriter out;
  out.put_string(kStateMagic);
  out.put_string(options_.to_json().dump());
  cma_->save(&out);
  put_score(&out, baseline_);
  put_score(&out, zero_);
  out.put<uint8_t>(has_best_);
  put_score(&out, best_);
  write_file_atomically(folder_ / "search.state", out.bytes());
}

bool ExoProfileSearch::load_state() {
  const fs::path path = folder_ / "search.state";
  if (!fs::exists(path)) return false;
  BinaryReader in(read_text_file(path), path.string());
  if (in.get_string() != kStateMagic) in.fail("not a sinew profile search state");
  ExoSearchOptions saved =
      ExoSearchOptions::from_json(nlohmann::json::parse(in.get_string()), path.string());
  saved.generations = options_.generations;  // a resumed search may run longer
  saved.threads = options_.threads;
  if (saved.to_json() != options_.to_json()) {
    throw UserError(fmt::format("{}: was searched with other options ({}); resume with those",
                                path.string(), saved.to_json().dump()));
  }
  cma_ = std::make_unique<CmaEs>(start_, options_.sigma,
                                 CmaEs::Options{options_.population, options_.seed});
  cma_->load(&in);
  baseline_ = get_score(&in);
  zero_ = get_score(&in);
  has_best_ = in.get<uint8_t>() != 0;
  best_ = get_score(&in);
  return true;
}

}  // namespace sinew
