#include "sinew/serve/control_server.h"

#include <fmt/format.h>
#include <httplib.h>

#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {

bool ControlServer::is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

ControlServer::ControlServer(const std::string& host, int port, const std::string& token,
                             ControlHandlers handlers)
    : server_(std::make_unique<httplib::Server>()), host_(host) {
  if (!is_loopback(host) && token.empty()) {
    throw UserError(fmt::format("serve.host={} is not a loopback address: set serve.token so "
                                "that only holders of the token can control the run",
                                host));
  }
  auto json_reply = [](httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump() + "\n", "application/json");
  };
  // every request: token check first
  server_->set_pre_routing_handler([token, json_reply](const httplib::Request& req,
                                                       httplib::Response& res) {
    if (token.empty() || req.get_header_value("Authorization") == "Bearer " + token) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    json_reply(res, 401, {{"error", "missing or wrong bearer token"}});
    return httplib::Server::HandlerResponse::Handled;
  });
  auto route = [json_reply](std::function<std::pair<int, nlohmann::json>()> handler) {
    return [handler, json_reply](const httplib::Request&, httplib::Response& res) {
      try {
        auto [status, body] = handler();
        json_reply(res, status, body);
      } catch (const std::exception& e) {
        json_reply(res, 500, {{"error", e.what()}});
      }
    };
  };
  server_->Get("/api/status", route(handlers.status));
  server_->Post("/api/pause", route(handlers.pause));
  server_->Post("/api/resume", route(handlers.resume));
  server_->Post("/api/checkpoint", route(handlers.checkpoint));
  server_->Post("/api/stop", route(handlers.stop));
  if (handlers.config) server_->Get("/api/config", route(handlers.config));
  if (handlers.checkpoints) server_->Get("/api/checkpoints", route(handlers.checkpoints));
  if (handlers.metrics) {
    auto metrics = handlers.metrics;
    server_->Get("/api/metrics", [metrics, json_reply](const httplib::Request& req,
                                                       httplib::Response& res) {
      int64_t after = -1;
      if (req.has_param("after")) {
        auto value = parse_int(req.get_param_value("after"));
        if (!value) {
          json_reply(res, 400, {{"error", "after must be an integer step"}});
          return;
        }
        after = *value;
      }
      auto [status, body] = metrics(after);
      json_reply(res, status, body);
    });
  }
  // a known path with the wrong method: 405 instead of 404
  for (const char* path : {"/api/pause", "/api/resume", "/api/checkpoint", "/api/stop"}) {
    server_->Get(path, [json_reply](const httplib::Request&, httplib::Response& res) {
      json_reply(res, 405, {{"error", "use POST"}});
    });
  }
  server_->Post("/api/status", [json_reply](const httplib::Request&, httplib::Response& res) {
    json_reply(res, 405, {{"error", "use GET"}});
  });
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
