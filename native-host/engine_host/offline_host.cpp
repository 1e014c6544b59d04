#include "engine_host/offline_host.hpp"

#include <chrono>
#include <iostream>
#include <random>

namespace vario::host {

std::optional<std::string> OfflineHost::storage_read(std::string_view key) {
  const auto it = storage_.find(key);
  if (it == storage_.end()) return std::nullopt;
  return it->second;
}

void OfflineHost::storage_write(std::string_view key, std::string_view value, std::int64_t) {
  storage_[std::string(key)] = std::string(value);
}

void OfflineHost::storage_erase(std::string_view key) {
  if (const auto it = storage_.find(key); it != storage_.end()) storage_.erase(it);
}

bool OfflineHost::send(std::string_view url, std::string_view body) {
  sent_.emplace_back(std::string(url), std::string(body));
  return true;
}

double OfflineHost::now_ms() {
  using namespace std::chrono;
  return static_cast<double>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

void OfflineHost::random_bytes(std::span<std::uint8_t> out) {
  std::random_device device;  // the OS's random source, as the browser's crypto is
  for (auto& b : out) b = static_cast<std::uint8_t>(device());
}

void OfflineHost::log(LogLevel level, std::string_view message) {
  static constexpr const char* kNames[] = {"debug", "info", "warning", "error"};
  std::cerr << "vario: " << kNames[static_cast<int>(level)] << ": " << message << "\n";
}

}  // namespace vario::host
