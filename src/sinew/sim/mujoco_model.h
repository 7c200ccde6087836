// A compiled MuJoCo model, loaded once and shared read-only by every env that uses it.
#pragma once

#include <mujoco/mujoco.h>

#include <filesystem>
#include <memory>
#include <string>

namespace sinew {

struct MjModelDeleter {
  void operator()(mjModel* m) const { mj_deleteModel(m); }
};
struct MjDataDeleter {
  void operator()(mjData* d) const { mj_deleteData(d); }
};
using MjDataPtr = std::unique_ptr<mjData, MjDataDeleter>;

class MujocoModel {
 public:
  // Loads and compiles an MJCF file. Throws UserError with the file and MuJoCo's message
  // (which names the line) when the file is missing or invalid.
  static std::shared_ptr<const MujocoModel> load(const std::filesystem::path& path);
  // Compiles MJCF text (for tests and generated models); `name` appears in errors.
  static std::shared_ptr<const MujocoModel> from_xml(const std::string& xml,
                                                     const std::string& name);

  const mjModel* get() const { return model_.get(); }
  const std::string& source() const { return source_; }
  // A fresh mjData for this model.
  MjDataPtr make_data() const;

  // Index of a named joint / actuator; throws UserError naming the model when absent.
  int joint_id(const std::string& name) const;
  int actuator_id(const std::string& name) const;

 private:
  MujocoModel(mjModel* model, std::string source) : model_(model), source_(std::move(source)) {}
  std::unique_ptr<mjModel, MjModelDeleter> model_;
  std::string source_;
};

// Resolves a model file name: absolute or existing relative to the working directory as given,
// otherwise under <resource_root>/assets/models/.
std::filesystem::path resolve_model_path(const std::string& name);
// The same for motion files, under <resource_root>/assets/motions/.
std::filesystem::path resolve_motion_path(const std::string& name);

}  // namespace sinew
