// Checks a policy file a user hands to sinew (init.from=<file>, `sinew models push <file>`)
// against the checksum that travels with it, before a byte of it is used.
//
// The checksum is the sidecar `sinew export` writes beside the file: `<stem>.json` with format
// "sinew-policy" and, under "files", the file's SHA-256 and size. A file whose sidecar lists
// it with another SHA-256 or size (one flipped byte), or whose sidecar does not list it, is
// refused. A file without a sidecar (a state_dict from Python's torch.save, a DEP-RL
// checkpoint, any other file) is refused unless `allow_unverified` (the user's explicit flag:
// init.unverified=true, `models push --unverified`); a `.json` next to it that is not a sinew
// sidecar counts as none.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sinew {

struct PolicyFileCheck {
  std::optional<std::filesystem::path> sidecar;  // set: verified against it
  nlohmann::json sidecar_json;                   // its content, when set
};

// `bytes` is the file's content as read (checked, not read again). `flag` names the user's
// way to accept an unverified file in the error ("init.unverified=true"). Throws UserError
// naming the file and the sidecar.
PolicyFileCheck check_policy_file(const std::filesystem::path& file, const std::string& bytes,
                                  bool allow_unverified, const std::string& flag);

}  // namespace sinew
