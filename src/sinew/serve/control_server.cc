#include "sinew/serve/control_server.h"

#include <fmt/format.h>

#include <cstdio>
#include <system_error>

#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"
#include "sinew/serve/json_api.h"
#include "sinew/serve/web_assets.h"

namespace sinew {
namespace {

// the embedded asset a page path names, or null
const WebAsset* page_asset(const std::string& path) {
  if (path == "/" || path == "/index.html") return find_web_asset("index.html");
  if (path == "/app.js") return find_web_asset("app.js");
  if (path == "/app.css") return find_web_asset("app.css");
  return nullptr;
}

bool is_get(const HttpRequest& request) {
  return request.method == "GET" || request.method == "HEAD";
}

}  // namespace

bool ControlServer::is_loopback(const std::string& host) { return is_loopback_host(host); }

std::optional<int64_t> query_int(const QueryParams& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  auto value = parse_int(it->second);
  if (!value) throw BadQuery(key + " must be an integer");
  return value;
}

ControlServer::ControlServer(const std::string& host, int port, const std::string& token,
                             ApiRoutes routes)
    : ControlServer(host, port, token, std::move(routes), HttpServer::Options{}) {}

ControlServer::ControlServer(const std::string& host, int port, const std::string& token,
                             ApiRoutes routes, HttpServer::Options options)
    : routes_(std::move(routes)), token_(token), host_(host) {
  // the server's own refusals are JSON too
  options.error_reply = [](int status, const std::string& message) {
    return json_reply(status, {{"error", message}});
  };
  options.check_head = token_head_check(token);
  if (!is_loopback(host) && token.empty()) {
    throw UserError(
        fmt::format("serve.host={} is not a loopback address: set serve.token so "
                    "that only holders of the token can control the run",
                    host));
  }
  try {
    server_ = std::make_unique<HttpServer>(
        host, port, [this](const HttpRequest& r) { return handle(r); },
        [this](const HttpRequest& r) { return is_urgent(r); }, std::move(options));
  } catch (const std::system_error& e) {
    throw UserError(
        fmt::format("cannot serve the control API on {}:{} ({}; in use? set "
                    "serve.port, 0 picks a free one)",
                    host, port, e.what()));
  }
  port_ = server_->port();
}

ControlServer::~ControlServer() = default;

bool ControlServer::is_urgent(const HttpRequest& request) const {
  // status and stop must answer while pause or checkpoint handlers block
  if (request.path == "/api/status" || request.path == "/api/stop") return true;
  // every reply that runs no route handler is cheap
  const bool runs_handler = is_get(request)            ? routes_.get.count(request.path) > 0
                            : request.method == "POST" ? routes_.post.count(request.path) > 0
                                                       : false;
  return !runs_handler;
}

HttpResponse ControlServer::handle(const HttpRequest& request) const {
  // every API request: token check first
  const bool api = request.path.rfind("/api/", 0) == 0;
  if (api) {
    if (auto denied = refuse_without_token(request, token_)) return *denied;
  }
  // the API routes
  const auto& routes = is_get(request) ? routes_.get : routes_.post;
  auto route = routes.find(request.path);
  if ((is_get(request) || request.method == "POST") && route != routes.end()) {
    try {
      auto [status, body] = route->second(request.query);
      return json_reply(status, body);
    } catch (const BadQuery& e) {
      return json_reply(400, {{"error", e.what()}});
    } catch (const std::exception& e) {
      // the detail stays on the server
      std::fprintf(stderr, "sinew: %s %s failed: %s\n", request.method.c_str(),
                   request.path.c_str(), e.what());
      return json_reply(500, {{"error", "internal error"}});
    }
  }
  // a known path with the wrong method
  const bool get_path = routes_.get.count(request.path) > 0;
  const bool post_path = routes_.post.count(request.path) > 0;
  if (get_path || post_path) {
    HttpResponse wrong = json_reply(405, {{"error", get_path ? "use GET" : "use POST"}});
    wrong.headers.emplace_back("Allow", get_path && post_path ? "GET, HEAD, POST"
                                        : get_path            ? "GET, HEAD"
                                                              : "POST");
    return wrong;
  }
  // the page: only the embedded assets, by exact name
  if (const WebAsset* asset = api ? nullptr : page_asset(request.path)) {
    if (!is_get(request)) {
      HttpResponse wrong = json_reply(405, {{"error", "use GET"}});
      wrong.headers.emplace_back("Allow", "GET, HEAD");
      return wrong;
    }
    HttpResponse page;
    page.content_type = asset->content_type;
    page.headers = {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}};
    page.body.assign(asset->data, asset->size);
    return page;
  }
  return json_reply(404, {{"error", "no such endpoint; see /api/status"}});
}

std::string ControlServer::url() const {
  std::string shown = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return fmt::format("http://{}:{}", shown, port_);
}

}  // namespace sinew
