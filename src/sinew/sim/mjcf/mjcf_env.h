// The `mjcf` environment: any MuJoCo model a user brings (env.model=<path.xml>).
//
// Action: one value in [-1, 1] per actuator, scaled to its ctrlrange (passed through when the
//   actuator has no range). Observation: joint positions (a free root's x and y left out when
//   exclude_root_xy, and the positions of hidden_joints, e.g. a planar root's x slide) and
//   joint velocities clipped to +-velocity_clip.
// Reward: forward_weight x forward velocity [m/s] of `body`'s subtree centre of mass
//   (velocity_of: subtree_com) or of the body's origin (body) + alive_bonus (also on the step
//   that ends the episode with alive_bonus_on_end, as Gymnasium counts it)
//   - control_cost x sum(action^2). Termination (unhealthy): `body` height outside
//   [min_height, max_height], its z axis tilted more than max_tilt_deg from vertical (0 = no
//   tilt limit), or a joint of healthy_joints outside its range (slide [m], hinge [rad]).
// Gymnasium's Walker2d-v4 in these terms: experiment=walker2d_ppo.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sinew/sim/mujoco_env.h"

namespace sinew {

class MjcfEnv : public MujocoEnv {
 public:
  // Read by mjcf_entry.cc from the env.* keys named after the fields (a unit suffix aside;
  // defaults in configs/env/mjcf.yaml, where each key's meaning is written).
  struct Options {
    int frame_skip{};
    int max_episode_steps{};
    bool exclude_root_xy{};
    double velocity_clip{};
    std::string body;  // the body whose height, tilt and velocity count
    double forward_weight{};
    double alive_bonus{};
    double control_cost{};
    double min_height_m{};  // env.min_height
    double max_height_m{};  // env.max_height
    double max_tilt_deg{};
    double reset_noise{};     // uniform noise on qpos and qvel at reset
    bool velocity_of_body{};  // env.velocity_of=body: the body's origin, not its subtree
    bool alive_bonus_on_end{};
    std::vector<std::string> hidden_joints;
    struct Range {
      std::string joint;
      double low = 0, high = 0;
    };
    std::vector<Range> healthy_joints;
  };

  // Throws UserError naming the model when `body` or a named joint is missing, or the model has
  // no actuators.
  MjcfEnv(std::shared_ptr<const MujocoModel> model, const Options& options);

  void episode_metrics(std::map<std::string, double>* out) const override;

 protected:
  void initialize_episode(std::mt19937_64& rng, mjData* d) override;
  void apply_action(std::span<const float> action, mjData* d) override;
  void observe(const mjData* d, std::span<float> obs) const override;
  Outcome evaluate(const mjData* d, std::span<const float> action) override;
  void save_episode_stats(BinaryWriter* out) const override;
  void load_episode_stats(BinaryReader* in) override;

 private:
  static EnvSpec make_spec(const mjModel* m, const Options& options);
  // qpos entries the observation holds, in order; throws UserError for an unknown joint.
  static std::vector<int> observed_qpos(const mjModel* m, const Options& options);
  static int joint_id(const mjModel* m, const std::string& name, const char* key);
  // x of what moves forward: the body's subtree centre of mass or its origin [m]
  double forward_x(const mjData* d) const;

  Options options_;
  int body_;
  std::vector<int> observed_qpos_;
  std::vector<std::pair<int, Options::Range>> healthy_;  // qpos address, range
  double com_x_before_ = 0;
  double start_x_ = 0;
  double distance_ = 0;
};

}  // namespace sinew
