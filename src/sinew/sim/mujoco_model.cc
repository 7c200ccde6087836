#include "sinew/sim/mujoco_model.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// MuJoCo's XML errors span lines ("XML parse error 6:\nError=... Line number=1: ..."); an
// error message is one line.
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += out.back() == ':' ? " " : "; ";
    } else {
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

}  // namespace

std::shared_ptr<const MujocoModel> MujocoModel::load(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    throw UserError(fmt::format("model file {} does not exist", path.string()));
  }
  if (!fs::is_regular_file(status)) {
    throw UserError(fmt::format("model file {} is {}, not a MuJoCo XML file", path.string(),
                                fs::is_directory(status) ? "a folder" : "a device or pipe"));
  }
  char error[1024] = "";
  mjModel* model = mj_loadXML(path.c_str(), nullptr, error, sizeof(error));
  if (!model) throw UserError(fmt::format("{}: {}", path.string(), one_line(error)));
  return std::shared_ptr<const MujocoModel>(new MujocoModel(model, path.string()));
}

std::shared_ptr<const MujocoModel> MujocoModel::from_xml(const std::string& xml,
                                                         const std::string& name) {
  // MuJoCo 2.2.2 loads XML from files only: go through a private temporary file
  char path[] = "/tmp/sinew_model_XXXXXX.xml";
  int fd = mkstemps(path, 4);
  if (fd < 0) throw std::runtime_error("cannot create a temporary model file");
  {
    std::ofstream out(path);
    out << xml;
  }
  ::close(fd);
  char error[1024] = "";
  mjModel* model = mj_loadXML(path, nullptr, error, sizeof(error));
  std::remove(path);
  if (!model) throw UserError(fmt::format("{}: {}", name, one_line(error)));
  return std::shared_ptr<const MujocoModel>(new MujocoModel(model, name));
}

MjDataPtr MujocoModel::make_data() const { return MjDataPtr(mj_makeData(model_.get())); }

int MujocoModel::joint_id(const std::string& name) const {
  int id = mj_name2id(model_.get(), mjOBJ_JOINT, name.c_str());
  if (id < 0) throw UserError(fmt::format("{}: no joint named '{}'", source_, name));
  return id;
}

int MujocoModel::actuator_id(const std::string& name) const {
  int id = mj_name2id(model_.get(), mjOBJ_ACTUATOR, name.c_str());
  if (id < 0) throw UserError(fmt::format("{}: no actuator named '{}'", source_, name));
  return id;
}

fs::path resolve_model_path(const std::string& name) {
  fs::path given(name);
  if (given.is_absolute() || fs::exists(given)) return given;
  return resource_root() / "assets" / "models" / given;
}

fs::path resolve_motion_path(const std::string& name) {
  fs::path given(name);
  if (given.is_absolute() || fs::exists(given)) return given;
  return resource_root() / "assets" / "motions" / given;
}

}  // namespace sinew
