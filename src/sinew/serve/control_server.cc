#include "sinew/serve/control_server.h"

#include <fmt/format.h>
#include <httplib.h>

#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"
#include "sinew/serve/web_assets.h"

namespace sinew {

bool ControlServer::is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::optional<int64_t> query_int(const QueryParams& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  auto value = parse_int(it->second);
  if (!value) throw BadQuery(key + " must be an integer");
  return value;
}

ControlServer::ControlServer(const std::string& host, int port, const std::string& token,
                             ApiRoutes routes)
    : server_(std::make_unique<httplib::Server>()), host_(host) {
  if (!is_loopback(host) && token.empty()) {
    throw UserError(fmt::format("serve.host={} is not a loopback address: set serve.token so "
                                "that only holders of the token can control the run",
                                host));
  }
  auto json_reply = [](httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    if (status == 204) return;  // no content
    res.set_content(body.dump() + "\n", "application/json");
  };
  // every API request: token check first
  server_->set_pre_routing_handler([token, json_reply](const httplib::Request& req,
                                                       httplib::Response& res) {
    if (token.empty() || req.path.rfind("/api/", 0) != 0 ||
        req.get_header_value("Authorization") == "Bearer " + token) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    json_reply(res, 401, {{"error", "missing or wrong bearer token"}});
    return httplib::Server::HandlerResponse::Handled;
  });
  auto route = [json_reply](ApiHandler handler) {
    return [handler, json_reply](const httplib::Request& req, httplib::Response& res) {
      QueryParams params;
      for (const auto& [key, value] : req.params) params[key] = value;
      try {
        auto [status, body] = handler(params);
        json_reply(res, status, body);
      } catch (const BadQuery& e) {
        json_reply(res, 400, {{"error", e.what()}});
      } catch (const std::exception& e) {
        json_reply(res, 500, {{"error", e.what()}});
      }
    };
  };
  auto wrong_method = [json_reply](const char* use) {
    return [json_reply, use](const httplib::Request&, httplib::Response& res) {
      json_reply(res, 405, {{"error", std::string("use ") + use}});
    };
  };
  for (const auto& [path, handler] : routes.get) {
    server_->Get(path, route(handler));
    if (!routes.post.count(path)) server_->Post(path, wrong_method("GET"));
  }
  for (const auto& [path, handler] : routes.post) {
    server_->Post(path, route(handler));
    if (!routes.get.count(path)) server_->Get(path, wrong_method("POST"));
  }
  // the page: only the embedded assets, by exact name
  auto asset = [](const std::string& name) {
    return [name](const httplib::Request&, httplib::Response& res) {
      const WebAsset* a = find_web_asset(name);
      if (!a) {
        res.status = 404;
        return;
      }
      res.set_header("Cache-Control", "no-cache");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_content(a->data, a->size, a->content_type);
    };
  };
  server_->Get("/", asset("index.html"));
  server_->Get("/index.html", asset("index.html"));
  server_->Get("/app.js", asset("app.js"));
  server_->Get("/app.css", asset("app.css"));
  server_->set_error_handler([json_reply](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    json_reply(res, res.status,
               {{"error", res.status == 404 ? "no such endpoint; see /api/status" : "bad request"}});
  });
  server_->set_payload_max_length(1 << 16);
  server_->set_read_timeout(5, 0);

  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) {
    throw UserError(fmt::format("cannot serve the control API on {}:{} (in use? set serve.port, "
                                "0 picks a free one)",
                                host, port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

ControlServer::~ControlServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string ControlServer::url() const {
  std::string shown = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return fmt::format("http://{}:{}", shown, port_);
}

}  // namespace sinew
