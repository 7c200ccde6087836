#include "sinew/sim/exo/exo_model.h"

#include <fmt/format.h>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

// the offset just past the start tag of the one element `<tag name="name"` in `xml`, or npos
std::size_t after_start_tag(const std::string& xml, const std::string& tag,
                            const std::string& name) {
  const std::string needle = fmt::format("<{} name=\"{}\"", tag, name);
  const std::size_t at = xml.find(needle);
  if (at == std::string::npos || xml.find(needle, at + 1) != std::string::npos) {
    return std::string::npos;
  }
  const std::size_t end = xml.find('>', at);
  if (end == std::string::npos || xml[end - 1] == '/') return std::string::npos;  // <body/>
  return end + 1;
}

}  // namespace

std::string add_exo_to_mjcf(const std::string& body_xml, const ExoSpec& exo,
                            const std::string& source) {
  std::string xml = body_xml;
  std::string motors;
  for (int side = 0; side < 2; ++side) {
    const std::string joint = exo.joint_name(side);
    if (xml.find(fmt::format("<joint name=\"{}\"", joint)) == std::string::npos) {
      throw ConfigError(
          "exo.joint", fmt::format("exo.joint={}: {} has no joint '{}'", exo.joint, source, joint));
    }
    motors += fmt::format(
        "    <motor name=\"{}\" joint=\"{}\" gear=\"1\" ctrllimited=\"true\" "
        "ctrlrange=\"{} {}\"/>\n",
        exo.actuator_name(side), joint, -exo.max_torque_Nm, exo.max_torque_Nm);
  }
  // the masses, each a body welded to its segment
  const char* sides[] = {"r", "l"};
  for (const auto& mass : exo.masses) {
    if (mass.mass_kg <= 0) continue;
    const int legs = mass.segment == "pelvis" ? 1 : 2;
    for (int side = 0; side < legs; ++side) {
      const std::string segment =
          mass.segment == "pelvis" ? "pelvis" : fmt::format("{}_{}", mass.segment, sides[side]);
      const std::size_t at = after_start_tag(xml, "body", segment);
      if (at == std::string::npos) {
        throw ConfigError("exo.masses." + mass.name + ".segment",
                          fmt::format("exo.masses.{}.segment={}: {} has no single body '{}'",
                                      mass.name, mass.segment, source, segment));
      }
      // a left-leg mass mirrors the right one across the sagittal plane
      const double y = side == 1 ? -mass.pos_m[1] : mass.pos_m[1];
      xml.insert(
          at,
          fmt::format("\n      <body name=\"{}\" pos=\"{} {} {}\"><inertial pos=\"0 0 0\" "
                      "mass=\"{}\" diaginertia=\"{} {} {}\"/></body>",
                      exo.mass_body_name(mass, side), mass.pos_m[0], y, mass.pos_m[2], mass.mass_kg,
                      mass.inertia_kg_m2[0], mass.inertia_kg_m2[1], mass.inertia_kg_m2[2]));
    }
  }
  // the motors, at the end of the actuators (or in a new <actuator> section)
  const std::size_t actuators_end = xml.find("</actuator>");
  if (actuators_end != std::string::npos) {
    xml.insert(actuators_end, motors + "  ");
  } else {
    const std::size_t end = xml.rfind("</mujoco>");
    if (end == std::string::npos) throw UserError(fmt::format("{}: no </mujoco> end tag", source));
    xml.insert(end, "  <actuator>\n" + motors + "  </actuator>\n");
  }
  return xml;
}

}  // namespace sinew
