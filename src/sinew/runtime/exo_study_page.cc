#include "sinew/runtime/exo_study_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace sinew {
namespace {

struct Series {
  std::string name, color;
  std::vector<double> values;  // over 0..100 % of the stride
  bool dashed = false;
};

std::vector<double> numbers(const nlohmann::json& j) {
  std::vector<double> out;
  if (j.is_array()) {
    for (const auto& v : j) out.push_back(v.is_number() ? v.get<double>() : 0.0);
  }
  return out;
}

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

// one plot over the stride; `band` (min, max) is drawn shaded behind the series
std::string chart(const std::string& title, const std::string& unit,
                  const std::vector<Series>& series, const std::vector<double>& band_min = {},
                  const std::vector<double>& band_max = {}) {
  constexpr double kW = 440, kH = 250, kLeft = 48, kRight = 22, kTop = 26, kBottom = 34;
  double low = std::numeric_limits<double>::infinity(), high = -low;
  auto widen = [&](const std::vector<double>& v) {
    for (double x : v) {
      low = std::min(low, x);
      high = std::max(high, x);
    }
  };
  for (const auto& s : series) widen(s.values);
  widen(band_min);
  widen(band_max);
  if (!std::isfinite(low)) low = 0, high = 1;
  if (high - low < 1e-9) high = low + 1;
  const double pad = 0.05 * (high - low);
  low -= pad;
  high += pad;
  auto x = [&](double i, std::size_t n) {
    return kLeft + (kW - kLeft - kRight) * i / std::max<double>(n - 1, 1);
  };
  auto y = [&](double v) { return kTop + (kH - kTop - kBottom) * (high - v) / (high - low); };
  std::string svg = fmt::format(
      "<svg viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\"><title>{2}</title>"
      "<text x=\"{3}\" y=\"16\" class=\"t\">{2} [{4}]</text>",
      kW, kH, escaped(title), kLeft, escaped(unit));
  // grid: 5 levels, 0/25/50/75/100 %
  for (int k = 0; k <= 4; ++k) {
    const double v = low + (high - low) * k / 4;
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" class=\"g\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" class=\"l\" text-anchor=\"end\">{5:.3g}</text>",
        kLeft, kW - kRight, y(v), kLeft - 4, y(v) + 4, v);
    const double px = kLeft + (kW - kLeft - kRight) * k / 4;
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" class=\"g\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" class=\"l\" text-anchor=\"middle\">{4} %</text>",
        px, kTop, kH - kBottom, kH - kBottom + 14, 25 * k);
  }
  svg += fmt::format(
      "<text x=\"{:.1f}\" y=\"{}\" class=\"l\" text-anchor=\"middle\">gait cycle "
      "from right heel strike</text>",
      (kW + kLeft) / 2, kH - 4);
  if (!band_min.empty() && band_min.size() == band_max.size()) {
    std::string points;
    for (std::size_t i = 0; i < band_max.size(); ++i) {
      points += fmt::format("{:.1f},{:.1f} ", x(i, band_max.size()), y(band_max[i]));
    }
    for (std::size_t i = band_min.size(); i-- > 0;) {
      points += fmt::format("{:.1f},{:.1f} ", x(i, band_min.size()), y(band_min[i]));
    }
    svg += fmt::format("<polygon points=\"{}\" class=\"b\"/>", points);
  }
  int legend = 0;
  for (const auto& s : series) {
    if (s.values.empty()) continue;
    std::string points;
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      points += fmt::format("{:.1f},{:.1f} ", x(i, s.values.size()), y(s.values[i]));
    }
    svg += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>"
        "<text x=\"{}\" y=\"{}\" class=\"l\" fill=\"{}\">{}</text>",
        points, s.color, s.dashed ? " stroke-dasharray=\"5 3\"" : "", kW - kRight - 130,
        kTop + 14 + 14 * legend, s.color, escaped(s.name));
    ++legend;
  }
  return svg + "</svg>";
}

std::string cell(const nlohmann::json& v, const char* format = "{:.3f}") {
  if (!v.is_number()) return "n/a";
  return fmt::format(fmt::runtime(format), v.get<double>());
}

}  // namespace

std::string exo_study_html(const nlohmann::json& r) {
  const nlohmann::json& cycle = r["gait_cycle"];
  const nlohmann::json& with = cycle["with"];
  const nlohmann::json& without = cycle["without"];
  const bool normative = cycle.contains("normative");
  std::string plots;
  const struct {
    const char* key;
    const char* title;
  } joints[] = {
      {"hip", "hip flexion"}, {"knee_flexion", "knee flexion"}, {"ankle", "ankle dorsiflexion"}};
  for (const auto& joint : joints) {
    std::vector<double> band_min, band_max;
    if (normative) {
      band_min = numbers(cycle["normative"][joint.key]["min"]);
      band_max = numbers(cycle["normative"][joint.key]["max"]);
    }
    plots += chart(joint.title, "deg",
                   {{"with the device", "#c0392b", numbers(with[joint.key]), false},
                    {"without", "#2c3e50", numbers(without[joint.key]), true}},
                   band_min, band_max);
  }
  plots += chart("device torque, right", "N m",
                 {{"torque", "#c0392b", numbers(with["device_torque_nm"]), false}});
  plots += chart("device power, right", "W",
                 {{"power", "#8e44ad", numbers(with["device_power_w"]), false}});
  const double change = r.value("metabolic_change", 0.0);
  std::string rows;
  auto row = [&](const std::string& what, const std::string& value) {
    rows += fmt::format("<tr><th>{}</th><td>{}</td></tr>", escaped(what), value);
  };
  row("metabolic change (cost of transport, with vs without)",
      fmt::format("<b>{:+.1f} %</b>", 100 * change));
  row("cost of transport with / without [J/(kg m)]",
      cell(r["cost_of_transport"]["with"]) + " / " + cell(r["cost_of_transport"]["without"]));
  row("velocity with / without [m/s]",
      cell(r["velocity"]["with"], "{:.2f}") + " / " + cell(r["velocity"]["without"], "{:.2f}"));
  row("fall rate with / without",
      cell(r["fall_rate"]["with"], "{:.2f}") + " / " + cell(r["fall_rate"]["without"], "{:.2f}"));
  row("device positive / negative work per stride [J]",
      cell(r["device_positive_work_j_per_stride"], "{:.1f}") + " / " +
          cell(r["device_negative_work_j_per_stride"], "{:.1f}"));
  row("battery energy per stride [J]", cell(r["device_electrical_energy_j_per_stride"], "{:.1f}"));
  row("energy ratio (metabolic saving / positive device work)",
      r["energy_ratio"].is_number() ? cell(r["energy_ratio"], "{:.2f}")
                                    : "none (under 1 J of device work per stride)");
  row("device peak torque [N m]", cell(r["device_peak_torque_nm"], "{:.1f}"));
  row("gait similarity with (hip, knee, ankle)",
      cell(r["similarity"]["hip"], "{:.2f}") + ", " + cell(r["similarity"]["knee"], "{:.2f}") +
          ", " + cell(r["similarity"]["ankle"], "{:.2f}"));
  row("strides in the recorded episodes (with, without)",
      fmt::format("{}, {}", with.value("strides", 0), without.value("strides", 0)));
  const nlohmann::json& p = r["profile"];
  const std::string device = fmt::format(
      "{} device on the {} ({:.1f} kg), controller {}: {:.1f} N m peak at {:.1f} % of the "
      "stride, rise {:.1f} %, fall {:.1f} %",
      r.value("device", ""), r.value("joint", ""), r.value("device_mass_kg", 0.0),
      r.value("controller", ""), p.value("peak_torque", 0.0), 100 * p.value("peak_time", 0.0),
      100 * p.value("rise_time", 0.0), 100 * p.value("fall_time", 0.0));
  return fmt::format(
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>sinew exo-study: {0}</title>"
      "<style>body{{font:14px system-ui,sans-serif;margin:24px;color:#222}}"
      "table{{border-collapse:collapse;margin:12px 0}}th,td{{padding:4px 10px;border-bottom:1px "
      "solid #ddd;text-align:left}}th{{font-weight:normal;color:#555}}svg{{margin:6px}}"
      ".t{{font-size:13px;font-weight:600}}.l{{font-size:11px;fill:#555}}.g{{stroke:#eee}}"
      ".b{{fill:#95a5a6;opacity:.25}}</style></head><body>"
      "<h1>Exoskeleton study: {0}</h1><p>{1}</p><p>The walker's policy from step {2}, {3} "
      "episodes per arm from seed {4}; metabolic model {5}. Curves: the mean stride of one "
      "recorded episode each; grey bands: normative walking (min to max).</p>"
      "<table>{6}</table><div>{7}</div></body></html>",
      escaped(r.value("device", "")), escaped(device), r.value("step", int64_t{0}),
      r.value("episodes", 0), r.value("seed", uint64_t{0}), escaped(r.value("metabolic_model", "")),
      rows, plots);
}

}  // namespace sinew
