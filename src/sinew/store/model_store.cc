#include "sinew/store/model_store.h"

#include "sinew/store/local_model_store.h"
#include "sinew/store/remote_model_store.h"

namespace sinew {

std::unique_ptr<ModelStore> open_model_store(const std::string& location, const std::string& token,
                                             const std::filesystem::path& cache_dir) {
  if (location.empty()) throw UserError("the model store location is empty");
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) {
    return std::make_unique<RemoteModelStore>(location, token, cache_dir);
  }
  return std::make_unique<LocalModelStore>(location);
}

}  // namespace sinew
