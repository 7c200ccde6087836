#include "sinew/serve/json_api.h"

#include <string_view>

namespace sinew {
namespace {

// compares in time that depends on the lengths only, not on where the first difference is
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

HttpResponse json_reply(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  if (status == 204) return r;  // no content
  r.content_type = "application/json";
  r.body = body.dump() + "\n";
  return r;
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::optional<HttpResponse> refuse_without_token(const HttpRequest& request,
                                                 const std::string& token) {
  if (token.empty() || same_secret(request.header("authorization"), "Bearer " + token)) {
    return std::nullopt;
  }
  HttpResponse denied = json_reply(401, {{"error", "missing or wrong bearer token"}});
  denied.headers.emplace_back("WWW-Authenticate", "Bearer");
  return denied;
}

std::function<HttpServer::HeadVerdict(const HttpRequest&)> token_head_check(std::string token) {
  return [token = std::move(token)](const HttpRequest& head) {
    HttpServer::HeadVerdict verdict;
    if (head.path.rfind("/api/", 0) != 0) return verdict;
    verdict.refusal = refuse_without_token(head, token);
    verdict.trusted = !verdict.refusal && !token.empty();
    return verdict;
  };
}

}  // namespace sinew
