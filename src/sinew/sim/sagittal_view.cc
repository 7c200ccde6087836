#include "sinew/sim/sagittal_view.h"

#include <cmath>

namespace sinew {

namespace {
bool left_side(const char* name) {
  if (!name) return false;
  std::string s(name);
  return s.size() > 2 && s.compare(s.size() - 2, 2, "_l") == 0;
}
}  // namespace

SagittalView::SagittalView(const mjModel* m) : m_(m) {
  for (int g = 0; g < m->ngeom; ++g) {
    const int body = m->geom_bodyid[g];
    if (m->geom_type[g] == mjGEOM_PLANE || m->geom_type[g] == mjGEOM_HFIELD) continue;
    const char* geom_name = mj_id2name(m, mjOBJ_GEOM, g);
    const char* body_name = mj_id2name(m, mjOBJ_BODY, body);
    const std::string base =
        geom_name ? geom_name
                  : std::string(body_name ? body_name : "body") + "#" + std::to_string(g);
    const bool left = left_side(body_name);
    if (m->geom_type[g] == mjGEOM_CAPSULE || m->geom_type[g] == mjGEOM_CYLINDER) {
      const int a = static_cast<int>(names_.size());
      for (double end : {-1.0, 1.0}) {
        sources_.push_back({g, end});
        names_.push_back(base + (end < 0 ? ":a" : ":b"));
        radii_.push_back(0);
      }
      segments_.push_back({a, a + 1});
      left_.push_back(left);
    } else {
      sources_.push_back({g, 0});
      names_.push_back(base);
      radii_.push_back(m->geom_type[g] == mjGEOM_SPHERE ? m->geom_size[3 * g] : 0);
    }
  }
}

void SagittalView::points(const mjData* d, std::vector<double>* xz) const {
  for (const auto& s : sources_) {
    const double* p = d->geom_xpos + 3 * s.geom;
    const double* r = d->geom_xmat + 9 * s.geom;
    const double half = s.end == 0 ? 0 : s.end * m_->geom_size[3 * s.geom + 1];
    // the geom's local z axis is the third column of its rotation matrix
    xz->push_back(p[0] + half * r[2]);
    xz->push_back(p[2] + half * r[8]);
  }
}

void SagittalView::ground_forces(const mjData* d, std::vector<double>* out) const {
  for (int i = 0; i < d->ncon; ++i) {
    const mjContact& c = d->contact[i];
    const bool world1 = m_->geom_bodyid[c.geom1] == 0, world2 = m_->geom_bodyid[c.geom2] == 0;
    if (world1 == world2) continue;  // body-body or world-world
    double local[6];
    mj_contactForce(m_, d, i, local);
    // contact frame rows: normal, tangent 1, tangent 2
    double f[3];
    for (int k = 0; k < 3; ++k) {
      f[k] = local[0] * c.frame[k] + local[1] * c.frame[3 + k] + local[2] * c.frame[6 + k];
    }
    // the ground pushes: orient the force away from the ground
    const double sign = f[2] < 0 ? -1 : 1;
    out->insert(out->end(), {c.pos[0], c.pos[2], sign * f[0], sign * f[2]});
  }
}

double SagittalView::center_x(const mjData* d) const {
  // the first body's origin: the pelvis of a walker, the pivot of a pendulum
  return m_->nbody > 1 ? d->xpos[3] : 0.0;
}

}  // namespace sinew
