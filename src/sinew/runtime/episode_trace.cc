#include "sinew/runtime/episode_trace.h"

#include <cmath>

#include "sinew/core/errors.h"
#include "sinew/serve/web_assets.h"

namespace sinew {

namespace {

double round4(double v) { return std::isfinite(v) ? std::round(v * 1e4) / 1e4 : 0.0; }

nlohmann::json rounded(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) out.push_back(round4(v));
  return out;
}

}  // namespace

nlohmann::json record_trace(Env& env, PolicyActor* actor, uint64_t seed) {
  const auto recorder = env.trace_recorder();
  if (!recorder) throw UserError(env.spec().name + " cannot be drawn: it has no trace recorder");
  const EnvSpec& spec = env.spec();
  std::vector<float> obs(spec.obs_dim), action(spec.action_dim, 0.0f);
  nlohmann::json frames = nlohmann::json::array(), contacts = nlohmann::json::array(),
                 center = nlohmann::json::array();
  std::vector<std::vector<double>> rows;
  std::vector<double> points, forces;
  auto record = [&] {
    double center_x = 0;
    recorder->record(&points, &forces, &center_x);
    frames.push_back(rounded(points));
    contacts.push_back(rounded(forces));
    center.push_back(round4(center_x));
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
  nlohmann::json skeleton = recorder->skeleton();
  skeleton["radii"] = rounded(skeleton["radii"].get<std::vector<double>>());
  trace["skeleton"] = std::move(skeleton);
  trace["frames"] = std::move(frames);
  trace["center"] = std::move(center);
  trace["contacts"] = std::move(contacts);
  const auto labels = env.motion_labels();
  nlohmann::json values = nlohmann::json::array();
  for (const auto& row : rows) values.push_back(rounded(row));
  trace["channels"] = {{"labels", labels}, {"values", std::move(values)}};
  auto summary = recorder->summary(labels, rows, spec.control_dt_s);
  if (summary.is_object()) trace.update(summary);
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
