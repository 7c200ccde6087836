// Where `sinew models` and `init.from=store:<name>[:<ref>]` find the model store, and the
// client's download cache.
#pragma once

#include <filesystem>
#include <string>

namespace sinew {

// `given` (--store, models.store) when not empty, else $SINEW_MODEL_STORE, else "models" (a
// folder beside runs/). A folder or http://host:port.
std::string store_location(const std::string& given);

// The token a store client sends: `given` when not empty, else $SINEW_STORE_TOKEN.
std::string store_token(const std::string& given);

// $XDG_CACHE_HOME/sinew/models, else ~/.cache/sinew/models: verified downloads of a remote store.
std::filesystem::path model_cache_dir();

// A verified local folder with the files of `ref_text` (name, name:3, name:tag, name:latest) in
// the store at store_location(location). Throws UserError (unknown model, tampered version,
// unreachable server).
std::filesystem::path resolve_store_ref(const std::string& ref_text, const std::string& location,
                                        const std::string& token);

}  // namespace sinew
