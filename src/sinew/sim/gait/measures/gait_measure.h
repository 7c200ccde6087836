// The interface of gait reward terms (SCONE-style measures); one per header in measures/.
#pragma once

#include <string>
#include <vector>

#include "sinew/sim/gait/measures/gait_sample.h"

namespace sinew {

class GaitMeasure {
 public:
  virtual ~GaitMeasure() = default;
  // The unweighted value of this step (may update the measure's own episode state).
  virtual double value(const GaitSample& s) = 0;
  // One line saying what is measured, for logs and --help.
  virtual std::string what() const = 0;
  // Called when an episode starts.
  virtual void reset() {}
  // True when the last value() asks to end the episode (e.g. mimic error limits).
  virtual bool terminate() const { return false; }
  // Per-episode state, for saving a simulation mid-episode.
  virtual std::vector<double> episode_state() const { return {}; }
  virtual void set_episode_state(const std::vector<double>& state) {}
};

}  // namespace sinew
