#include "sinew/runtime/episode_trace.h"

#include <cmath>

#include "sinew/core/errors.h"
#include "sinew/serve/web_assets.h"
#include "sinew/sim/gait_cycle_analysis.h"
#include "sinew/sim/gait_env.h"
#include "sinew/sim/sagittal_view.h"

namespace sinew {

namespace {

double round4(double v) { return std::isfinite(v) ? std::round(v * 1e4) / 1e4 : 0.0; }

nlohmann::json rounded(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) out.push_back(round4(v));
  return out;
}

int label_index(const std::vector<std::string>& labels, const std::string& name) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// Heel strikes of the right leg and the normative bands, for the joint-curve plots.
nlohmann::json gait_section(const GaitEnv& gait, const std::vector<std::string>& labels,
                            const std::vector<std::vector<double>>& rows, double dt_s) {
  const int hip = label_index(labels, "hip_flexion_r"), knee = label_index(labels, "knee_angle_r"),
            ankle = label_index(labels, "ankle_angle_r"), grf = label_index(labels, "grf_r");
  if (hip < 0 || knee < 0 || ankle < 0 || grf < 0) return nullptr;
  GaitCycleAnalysis cycles;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    cycles.add(i * dt_s, rows[i][hip], -rows[i][knee], rows[i][ankle],
               rows[i][grf] / gait.body_weight_N());
  }
  nlohmann::json g;
  g["heel_strikes_r"] = cycles.heel_strikes();
  g["joints"] = {{"hip", {{"label", "hip_flexion_r"}, {"sign", 1}}},
                 {"knee", {{"label", "knee_angle_r"}, {"sign", -1}}},
                 {"ankle", {{"label", "ankle_angle_r"}, {"sign", 1}}}};
  if (const NormativeGait* n = gait.normative()) {
    const char* names[] = {"hip", "knee", "ankle"};
    for (int k = 0; k < 3; ++k) {
      g["normative"][names[k]] = {{"min", n->min[k]}, {"mean", n->mean[k]}, {"max", n->max[k]}};
    }
  }
  return g;
}

}  // namespace

nlohmann::json record_trace(Env& env, PolicyActor* actor, uint64_t seed) {
  auto* mujoco = dynamic_cast<MujocoEnv*>(&env);
  if (!mujoco) throw UserError(env.spec().name + " is not a MuJoCo env: nothing to draw");
  const EnvSpec& spec = env.spec();
  SagittalView view(mujoco->model());
  std::vector<float> obs(spec.obs_dim), action(spec.action_dim, 0.0f);
  nlohmann::json frames = nlohmann::json::array(), contacts = nlohmann::json::array(),
                 center = nlohmann::json::array();
  std::vector<std::vector<double>> rows;
  std::vector<double> scratch;
  auto record = [&] {
    scratch.clear();
    view.points(mujoco->data(), &scratch);
    frames.push_back(rounded(scratch));
    scratch.clear();
    view.ground_forces(mujoco->data(), &scratch);
    contacts.push_back(rounded(scratch));
    center.push_back(round4(view.center_x(mujoco->data())));
    rows.emplace_back();
    env.motion_values(&rows.back());
  };
  env.reset(seed, obs);
  record();
  double episode_return = 0;
  bool terminated = false;
  for (;;) {
    if (actor) actor->act(obs, action);
    StepResult r = env.step(action, obs);
    if (r.diverged) break;
    episode_return += r.reward;
    record();
    terminated = r.terminated;
    if (r.done()) break;
  }

  nlohmann::json trace;
  trace["format"] = "sinew-trace-1";
  trace["env"] = spec.name;
  trace["dt_s"] = spec.control_dt_s;
  trace["seed"] = seed;
  trace["return"] = episode_return;
  trace["length"] = static_cast<int64_t>(rows.size()) - 1;
  trace["terminated"] = terminated;
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& s : view.segments()) segments.push_back({s[0], s[1]});
  trace["skeleton"] = {{"points", view.point_names()}, {"radii", rounded(view.radii())},
                       {"segments", segments}, {"left", view.left()}};
  trace["frames"] = std::move(frames);
  trace["center"] = std::move(center);
  trace["contacts"] = std::move(contacts);
  const auto labels = env.motion_labels();
  nlohmann::json values = nlohmann::json::array();
  for (const auto& row : rows) values.push_back(rounded(row));
  trace["channels"] = {{"labels", labels}, {"values", std::move(values)}};
  if (const auto* gait = dynamic_cast<const GaitEnv*>(&env)) {
    auto g = gait_section(*gait, labels, rows, spec.control_dt_s);
    if (!g.is_null()) trace["gait"] = std::move(g);
  }
  return trace;
}

std::string trace_html(const nlohmann::json& trace, const std::string& title) {
  // </script> inside the JSON would end the element early: escape every '<'
  std::string data = trace.dump();
  std::string safe;
  safe.reserve(data.size());
  for (char c : data) {
    if (c == '<') {
      safe += "\\u003c";
    } else {
      safe += c;
    }
  }
  const WebAsset* css = find_web_asset("app.css");
  const WebAsset* js = find_web_asset("app.js");
  if (!css || !js) throw std::logic_error("the web assets are not embedded in this build");
  std::string html;
  html += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>sinew - " + title + "</title>\n<style>\n";
  html.append(css->data, css->size);
  html += "\n</style>\n</head>\n<body>\n";
  // the same page body as the dashboard, then the trace and the script
  const WebAsset* index = find_web_asset("index.html");
  std::string page(index->data, index->size);
  auto body_start = page.find("<body>"), script = page.find("<script src=");
  html += page.substr(body_start + 6, script - body_start - 6);
  html += "<script type=\"application/json\" id=\"sinew-trace\">" + safe + "</script>\n<script>\n";
  html.append(js->data, js->size);
  html += "\n</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace sinew
