#include "input_file.hpp"

#include <fstream>
#include <system_error>

namespace vario::host {

std::optional<std::string> folder_instead_of(const std::filesystem::path& file,
                                             std::string_view kind) {
  std::error_code ec;
  if (!std::filesystem::is_directory(file, ec)) return std::nullopt;
  return file.string() + " is a folder, not " + std::string(kind);
}

std::optional<std::string> read_input_file(const std::filesystem::path& file, std::string_view kind,
                                           std::string* why) {
  // A folder opens as a stream that reads nothing, which would pass for an empty file.
  if (auto folder = folder_instead_of(file, kind)) {
    *why = std::move(*folder);
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::string text;
  // Chunks rather than the size the file claims: a pipe or /dev/stdin claims none.
  char chunk[64 * 1024];
  while (in && text.size() <= kMaxInputBytes) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (!in.is_open() || in.bad()) {
    *why = file.string() + ": cannot be read";
    return std::nullopt;
  }
  if (text.size() > kMaxInputBytes) {
    *why = file.string() + ": is larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB (" +
           std::to_string(kMaxInputBytes) + " bytes), the most " + std::string(kind) + " may be";
    return std::nullopt;
  }
  return text;
}

}  // namespace vario::host
