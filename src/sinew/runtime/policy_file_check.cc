#include "sinew/runtime/policy_file_check.h"

#include <fmt/format.h>

#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// The sinew sidecar of `file`, if there is one.
std::optional<nlohmann::json> read_sidecar(const fs::path& sidecar) {
  if (!fs::is_regular_file(sidecar)) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(read_text_file(sidecar), nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "sinew-policy") {
    return std::nullopt;
  }
  return j;
}

}  // namespace

PolicyFileCheck check_policy_file(const fs::path& file, const std::string& bytes,
                                  bool allow_unverified, const std::string& flag) {
  fs::path sidecar = file;
  sidecar.replace_extension(".json");
  std::optional<nlohmann::json> side;
  if (sidecar != file) side = read_sidecar(sidecar);
  if (!side) {
    if (allow_unverified) return {};
    throw UserError(fmt::format(
        "{}: no checksum travels with it (no sinew sidecar {} from `sinew export`); pass {} "
        "to use it unverified",
        file.string(), sidecar.filename().string(), flag));
  }
  const std::string name = file.filename().string();
  const nlohmann::json* entry = nullptr;
  if (side->contains("files") && (*side)["files"].is_object() && (*side)["files"].contains(name)) {
    entry = &(*side)["files"][name];
  }
  if (!entry || !entry->is_object() || !entry->contains("sha256")) {
    throw UserError(
        fmt::format("{}: its sidecar {} records no checksum of {} (not the sidecar "
                    "of this file, or written by an older sinew: export it again)",
                    file.string(), sidecar.string(), name));
  }
  const std::string want = entry->value("sha256", "");
  const std::string have = sha256_hex(bytes);
  const bool size_ok =
      !entry->contains("size") || ((*entry)["size"].is_number_unsigned() &&
                                   (*entry)["size"].get<std::uint64_t>() == bytes.size());
  if (have != want || !size_ok) {
    throw UserError(fmt::format(
        "{}: altered since it was exported: its SHA-256 is {}, its sidecar {} records {} ({} "
        "bytes, {} recorded)",
        file.string(), have.substr(0, 16), sidecar.string(), want.substr(0, 16), bytes.size(),
        entry->contains("size") ? (*entry)["size"].dump() : "none"));
  }
  return {sidecar, *side};
}

}  // namespace sinew
