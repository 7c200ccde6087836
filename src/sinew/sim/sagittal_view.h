// What the gait viewer draws of a MuJoCo body, projected on the sagittal (x, z) plane: every
// capsule as a segment between its two end points, every sphere as a point with its radius
// (planes are the ground and are left out), and the contact forces the ground (world body)
// exerts, at their contact points. Works for any MJCF model; no neural-network library.
#pragma once

#include <mujoco/mujoco.h>

#include <array>
#include <string>
#include <vector>

namespace sinew {

class SagittalView {
 public:
  explicit SagittalView(const mjModel* m);

  // One name and radius per point (capsule ends are named <geom>:a / <geom>:b).
  const std::vector<std::string>& point_names() const { return names_; }
  const std::vector<double>& radii() const { return radii_; }
  // Point index pairs drawn as lines, and whether each belongs to a left-side body (*_l).
  const std::vector<std::array<int, 2>>& segments() const { return segments_; }
  const std::vector<bool>& left() const { return left_; }

  // Appends x, z of every point [m].
  void points(const mjData* d, std::vector<double>* xz) const;
  // Appends px, pz, fx, fz per contact between the world body and another body: the contact
  // point [m] and the force on the body [N] (world frame).
  void ground_forces(const mjData* d, std::vector<double>* out) const;
  // x of the first body's origin [m] (the viewer's camera follows it).
  double center_x(const mjData* d) const;

 private:
  const mjModel* m_;
  struct Source {
    int geom;
    double end;  // -1, +1: capsule ends; 0: the geom's centre
  };
  std::vector<Source> sources_;
  std::vector<std::string> names_;
  std::vector<double> radii_;
  std::vector<std::array<int, 2>> segments_;
  std::vector<bool> left_;
};

}  // namespace sinew
