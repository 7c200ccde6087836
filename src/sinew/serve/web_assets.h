// The dashboard's built front end (web/dist: index.html, app.js, app.css), embedded into the
// binary at build time (cmake/embed_web.cmake), so the dashboard needs no files and no network.
#pragma once

#include <cstddef>
#include <string_view>

namespace sinew {

struct WebAsset {
  const char* name;  // "index.html", "app.js", ...
  const char* content_type;
  const char* data;
  std::size_t size;
};

// The asset with exactly this name, or null. Names have no folders: nothing else is reachable.
const WebAsset* find_web_asset(std::string_view name);

}  // namespace sinew
