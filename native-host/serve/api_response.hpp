// How every /v1/ route answers: JSON bodies, errors as {"error": "<sentence>"}.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace vario::host {

inline void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

inline void send_error(httplib::Response& res, int status, const std::string& sentence) {
  send_json(res, status, nlohmann::json{{"error", sentence}});
}

}  // namespace vario::host
