// `sinew export`: a checkpoint's policy as TorchScript, its sidecar, and a state_dict.
#include <fmt/format.h>

#include <cstdio>

#include "sinew/cli/commands.h"
#include "sinew/core/errors.h"
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
  if (!state_dict.empty() &&
      (fs::path(state_dict) == out_path || fs::path(state_dict) == sidecar)) {
    throw UserError(fmt::format("--state-dict {}: choose a file other than {} and {}", state_dict,
                                out, sidecar.string()));
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
    export_state_dict(source, state_dict);
    std::printf("  %s  state_dict: torch.load(path) -> {name: tensor}\n", state_dict.c_str());
  }
  return 0;
}

}  // namespace sinew
