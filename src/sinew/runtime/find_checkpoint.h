// Finding the checkpoint a user means: a checkpoint folder, a run folder (or its checkpoints/
// folder), whose newest checkpoint that verifies is taken, or store:<name>[:<ref>], a
// checkpoint pushed to the model store ($SINEW_MODEL_STORE, else ./models).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

namespace sinew {

// The checkpoint `given` names, with its verified manifest; newer checkpoints that fail to
// verify are reported on stderr. Throws UserError when `given` is neither, or none verifies.
std::pair<std::filesystem::path, nlohmann::json> find_checkpoint(
    const std::filesystem::path& given);

}  // namespace sinew
