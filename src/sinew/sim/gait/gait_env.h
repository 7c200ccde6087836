// The `gait` environment: sinew's 9-DOF, 18-muscle sagittal human (gait9dof18musc.xml) driven by
// sinew's Hill-type muscles, with sconegym-style observations and a reward composed of
// weighted measures (gait_measures.h).
//
// Action (18): muscle excitations in [0, max_excitation], right leg then left, each leg
//   hamstrings, bifemsh, glut_max, iliopsoas, rect_fem, vasti, gastroc, soleus, tib_ant.
// Observation (121): per muscle normalized fiber length, fiber velocity, force (F / F_max) and
//   excitation (4 x 18); head orientation quaternion (4) and angular velocity (3); feet
//   positions relative to the pelvis (2 x 3); DOF positions (9, pelvis_tx zeroed; pelvis_ty is
//   the pelvis height) and velocities (9); activations (18).
//   With phase_observation, two more: sin and cos of the reference motion's phase (123).
// Episode: control step frame_skip x 2 ms physics, at most max_episode_steps steps; it ends
//   (terminated) when the centre of mass drops below min_com_height_m, the head below
//   min_head_height_m, the torso leans more than max_torso_lean_deg from vertical, or a reward
//   term asks (tracking error). It starts standing or, with start_from_reference, in the state
//   of the reference motion at a random phase (reference state initialization, with its joint
//   velocities and forward speed; standing_start_fraction of those episodes start standing);
//   resets add Gaussian noise to joint angles and velocities and may swap the legs. With
//   start_ramp_s, the tracking terms of a standing start blend from the standing pose into the
//   reference over that time (gait initiation, tracking_measure.h).
// Soft joint limits (default hip -30..120, knee -120..-5, ankle -60..25 deg; stiffness and
//   damping per joint) are one-sided spring-dampers, as OpenSim's CoordinateLimitForce; their
//   torques feed the limit measure.
// Push: with push.impulse_Ns != 0, a horizontal force (+ forward) on the pelvis for
//   push.duration_s, from the first right-leg mid-stance (right foot loaded over 0.8 body
//   weight, left foot unloaded) after push.after_s, once per episode.
// Exoskeleton: with `exo`, the model must carry the device (add_exo_to_mjcf) and the env wears
//   it (ExoDevice): its controller sets the device torque each control step from what the
//   device senses; the action stays the 18 excitations. Its work and energy are episode metrics
//   (exo/...), its torques motion channels; metabolic cost and cost of transport are of the
//   person (the body's mass without the device), and the device's mass is carried.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <vector>

#include "sinew/sim/exo/exo_device.h"
#include "sinew/sim/gait/gait_cycle_analysis.h"
#include "sinew/sim/gait/measures/all_measures.h"
#include "sinew/sim/gait/muscle_tendon_unit.h"
#include "sinew/sim/gait/reference_motion.h"
#include "sinew/sim/mujoco_env.h"

namespace sinew {

class GaitEnv : public MujocoEnv {
 public:
  struct RewardTerm {
    std::string name;  // logged as reward/<name>
    double weight = 0;
    MeasureShaping shaping;
    // makes this env's own instance (measures keep per-episode state)
    std::function<std::unique_ptr<GaitMeasure>()> make;
  };
  // Read by gait_entry.cc from the env.* keys named in the comments (defaults and meanings in
  // configs/env/gait.yaml; the fields carry SI unit suffixes the keys do not).
  struct Options {
    int frame_skip{};               // physics steps (2 ms) per control step
    int max_episode_steps{};        // control steps per episode
    double max_excitation{};        // upper bound of the actions
    TendonModel tendon{};           // muscle.tendon
    double position_noise_rad{};    // env.position_noise: sd of the initial joint angles
    double velocity_noise_radps{};  // env.velocity_noise: sd of the initial joint velocities
    bool random_swap{};             // swap the legs' initial states at random
    double min_com_height_m{};      // env.min_com_height
    double min_head_height_m{};     // env.min_head_height
    double max_torso_lean_deg{};    // 0 = no lean termination
    bool measure_termination{};     // reward terms may end episodes (tracking error)
    // env.joint_limits.{hip,knee,ankle}: soft limits of both legs, range [deg], stiffness
    // [N m/rad], damping [N m s/rad] (Hyfydy's H0918 knee: 115 and 2.9)
    struct JointLimit {
      double lower_deg, upper_deg, stiffness_Nm_per_rad, damping_Nms_per_rad;
    };
    std::array<JointLimit, 3> joint_limits{};
    std::vector<RewardTerm> reward;  // env.reward
    // env.reference: initial states, phase observation and tracking terms read it
    std::shared_ptr<const ReferenceMotion> reference;
    bool start_from_reference{};       // env.init_pose=motion: from the reference at random phases
    double standing_start_fraction{};  // ... except this share, which start standing
    // env.start_ramp [s]: after a standing start, tracked targets move from the standing pose to
    // the reference over this time (gait initiation); 0 = the reference from the first step
    double start_ramp_s{};
    bool phase_observation{};  // append sin, cos of the reference phase
    struct Push {              // env.push
      double impulse_Ns{};     // horizontal, + forward; 0 = no push
      double after_s{};        // earliest time in the episode
      double duration_s{};
    } push;
    // env.normative: curves for the gait_similarity/{hip,knee,ankle} episode metrics (right leg)
    std::shared_ptr<const NormativeGait> normative;
    std::optional<ExoSpec> exo;  // exo.* (exo=<device>): the device worn, if any
  };

  // `model` must be gait9dof18musc.xml or a body with the same names. Throws UserError.
  GaitEnv(std::shared_ptr<const MujocoModel> model, Options options);

  void episode_metrics(std::map<std::string, double>* out) const override;
  // Joints (pelvis_ty as the pelvis height), activations, excitations and the feet's vertical
  // ground reaction forces (grf_r, grf_l, N).
  std::vector<std::string> motion_labels() const override;
  void motion_values(std::vector<double>* out) const override;
  // kSensorMuscleFiberLength [m] and kSensorMuscleForce [N] per muscle, in action order.
  bool read_sensor(std::string_view name, std::vector<double>* out) const override;
  // The sagittal drawing with the gait section (heel strikes, normative bands).
  std::unique_ptr<TraceRecorder> trace_recorder() const override;

  // The published H0918 muscle parameters in action order (REFERENCE.md section 2).
  static std::vector<MuscleParameters> h0918_muscles();
  static constexpr int kMuscles = 18;

  const std::vector<MuscleTendonUnit>& muscles() const { return muscles_; }
  // Ground reaction force [N] (vertical) on the right and left foot at the last step.
  std::array<double, 2> foot_loads_N() const;
  // Soft-limit torque per limited DOF at the last physics step, [N m].
  const std::vector<double>& limit_torques_Nm() const { return limit_torques_; }
  double com_height_m() const;
  // The weight the feet carry: the person's and the device's [N].
  double body_weight_N() const { return body_weight_N_; }
  // The person's mass, without the device [kg].
  double person_mass_kg() const { return person_mass_kg_; }
  // The device worn, or null.
  const ExoDevice* exo() const { return exo_.get(); }
  // The normative curves the gait_similarity metrics compare with (null when none).
  const NormativeGait* normative() const { return options_.normative.get(); }
  double head_height_m() const;

 protected:
  void initialize_episode(std::mt19937_64& rng, mjData* d) override;
  void apply_action(std::span<const float> action, mjData* d) override;
  void physics_step(const mjModel* m, mjData* d) override;
  void observe(const mjData* d, std::span<float> obs) const override;
  Outcome evaluate(const mjData* d, std::span<const float> action) override;
  void save_episode_stats(BinaryWriter* out) const override;
  void load_episode_stats(BinaryReader* in) override;

 private:
  static EnvSpec make_spec(const Options& options);
  void apply_limit_torques(const mjModel* m, mjData* d);
  // Sets joint angles and velocities from the reference at reference time t.
  void set_pose_from_reference(double t, mjData* d);
  double torso_lean_rad(const mjData* d) const;
  void apply_push(mjData* d);

  Options options_;
  std::vector<MuscleTendonUnit> muscles_;
  std::vector<int> tendon_ids_, actuator_ids_;
  struct SoftLimit {
    int qpos, dof;
    double lower_rad, upper_rad;
    double stiffness, damping;  // [N m/rad], [N m s/rad]
  };
  std::vector<SoftLimit> limits_;
  std::vector<double> limit_torques_;
  std::vector<int> dof_qpos_, dof_dofs_;        // the 9 DOFs in observation order
  std::array<std::vector<int>, 2> leg_joints_;  // hip, knee, ankle joint ids per leg
  int pelvis_body_, torso_body_, head_site_;
  std::array<int, 2> calcn_body_;
  std::array<std::vector<int>, 2> foot_geoms_;
  double body_weight_N_ = 0;
  double person_mass_kg_ = 0;
  std::unique_ptr<ExoDevice> exo_;
  std::vector<double> excitation_, previous_excitation_, activation_scratch_;
  // episode statistics
  double start_x_m_ = 0;
  double com_x_before_ = 0;  // COM x at the end of the previous control step
  std::vector<double> reward_sums_;
  std::vector<std::unique_ptr<GaitMeasure>> measures_;  // one per reward term
  std::vector<std::string> dof_names_;
  std::vector<double> dof_positions_, dof_velocities_;
  double reference_start_s_ = 0;            // the reference time the episode started at
  bool standing_start_ = false;             // the episode started standing (start_ramp applies)
  std::vector<double> standing_positions_;  // the 9 DOFs at the model's standing pose
  double push_started_s_ = -1;              // episode time the push started; -1: not yet
  double metabolic_energy_J_ = 0;
  GaitCycleAnalysis cycles_;
  bool fell_ = false;
};

}  // namespace sinew
