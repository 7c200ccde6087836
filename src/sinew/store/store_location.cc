#include "sinew/store/store_location.h"

#include <cstdlib>

#include "sinew/store/model_store.h"

namespace sinew {
namespace fs = std::filesystem;

std::string store_location(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("SINEW_MODEL_STORE");
  return env && *env ? env : "models";
}

std::string store_token(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("SINEW_STORE_TOKEN");
  return env ? env : "";
}

fs::path model_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return fs::path(xdg) / "sinew" / "models";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / ".cache" / "sinew" / "models";
}

fs::path resolve_store_ref(const std::string& ref_text, const std::string& location,
                           const std::string& token) {
  auto store = open_model_store(store_location(location), store_token(token), model_cache_dir());
  return store->local_path(ModelRef::parse(ref_text));
}

}  // namespace sinew
