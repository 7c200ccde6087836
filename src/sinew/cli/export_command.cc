// `sinew export`: a checkpoint's policy as TorchScript, its sidecar, and a state_dict.
#include <fmt/format.h>

#include <cstdio>

#include "sinew/cli/commands.h"
#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/runtime/find_checkpoint.h"
#include "sinew/runtime/policy_export.h"

namespace sinew {
namespace fs = std::filesystem;

int command_export(const std::string& checkpoint, const std::string& out,
                   const std::string& state_dict) {
  const fs::path out_path(out);
  fs::path sidecar = out_path;
  sidecar.replace_extension(".json");
  if (sidecar == out_path) {
    throw UserError(
        fmt::format("--out {}: the TorchScript file needs another extension than "
                    ".json (its sidecar is {})",
                    out, sidecar.string()));
  }
  fs::path state_sidecar = state_dict;
  state_sidecar.replace_extension(".json");
  if (!state_dict.empty() && (fs::path(state_dict) == out_path || fs::path(state_dict) == sidecar ||
                              state_sidecar == fs::path(state_dict))) {
    throw UserError(
        fmt::format("--state-dict {}: choose a file other than {} and {}, not ending "
                    "in .json (its sidecar)",
                    state_dict, out, sidecar.string()));
  }
  auto [dir, manifest] = find_checkpoint(checkpoint);
  const ExportSource source = read_export_source(dir, std::move(manifest));
  nlohmann::json sidecar_json = export_torchscript(source, out_path, sidecar);
  std::printf("exported %s (step %lld, %s on %s)\n", dir.string().c_str(),
              static_cast<long long>(sidecar_json["source"]["step"].get<int64_t>()),
              sidecar_json["algorithm"].get<std::string>().c_str(), source.spec.name.c_str());
  std::printf("  %s  TorchScript: torch.jit.load(path)(obs) -> %s\n", out.c_str(),
              sidecar_json["action"].get<std::string>().c_str());
  std::printf("  %s  sidecar: env, sizes, action names and bounds, source\n",
              sidecar.string().c_str());
  if (!state_dict.empty()) {
    const nlohmann::json entry = export_state_dict(source, state_dict);
    const std::string name = fs::path(state_dict).filename().string();
    // its checksum travels with it: in the policy's sidecar when they share a stem, else in a
    // sidecar of its own
    if (state_sidecar == sidecar) {
      sidecar_json["files"][name] = entry;
      write_file(sidecar, sidecar_json.dump(2) + "\n");
    } else {
      nlohmann::json own = sidecar_json;
      own["kind"] = "state_dict";
      own["files"] = {{name, entry}};
      write_file(state_sidecar, own.dump(2) + "\n");
    }
    std::printf("  %s  state_dict: torch.load(path) -> {name: tensor}; sidecar %s\n",
                state_dict.c_str(), state_sidecar.string().c_str());
  }
  return 0;
}

}  // namespace sinew
