// One episode recorded for the gait viewer (the dashboard, `sinew play --out walk.html`), as
// JSON:
//   format "sinew-trace-1", env, dt_s, seed, return, length, terminated,
//   skeleton {points, radii, segments [[a, b]], left}      the env's TraceRecorder::skeleton(),
//   frames [[x, z per point]], center [x], contacts [[px, pz, fx, fz, ...]]   per control step,
//   channels {labels, values [[...]]}                      the env's motion channels per step,
//   gait (gait env only: its recorder's summary) {heel_strikes_r, joints {hip|knee|ankle: {label,
//   sign}},
//                          normative {hip|knee|ankle: {min, mean, max}}}
// Values are rounded to 4 decimals. Frame 0 is the initial state.
#pragma once

#include <nlohmann/json.hpp>

#include "sinew/runtime/evaluator.h"

namespace sinew {

// Runs one episode from `seed` with `actor` (null: zero actions, a passive body), drawn by the
// env's trace recorder (throws UserError for an env that has none).
nlohmann::json record_trace(Env& env, PolicyActor* actor, uint64_t seed);

// The viewer page with `trace` embedded: one self-contained HTML file (scripts and styles
// inline, no network access).
std::string trace_html(const nlohmann::json& trace, const std::string& title);

}  // namespace sinew
