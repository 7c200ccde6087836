// Pieces shared by sinew's JSON APIs on HttpServer (the control API of control_server.h, the
// model store of store/store_server.h): JSON replies and the bearer-token rule.
//
// The rule: a server bound to anything but a loopback address must have a token, and with a
// token every /api/ request must carry `Authorization: Bearer <token>` (401 otherwise).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sinew/serve/http_request.h"
#include "sinew/serve/http_response.h"
#include "sinew/serve/http_server.h"

namespace sinew {

// An application/json reply of `body` (and a newline); 204 carries no body.
HttpResponse json_reply(int status, const nlohmann::json& body);

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

// nullopt when `token` is empty or `request` carries "Authorization: Bearer <token>"; otherwise
// the 401 JSON reply (with WWW-Authenticate: Bearer). Compares in time that depends on the
// lengths only.
std::optional<HttpResponse> refuse_without_token(const HttpRequest& request,
                                                 const std::string& token);

// The rule as HttpServer's head check, so a request without the token is refused before its
// body is read or a lane is taken: an /api/ request refused by refuse_without_token gets its
// 401; one that carries a non-empty token is trusted; anything else is taken untrusted.
std::function<HttpServer::HeadVerdict(const HttpRequest&)> token_head_check(std::string token);

}  // namespace sinew
