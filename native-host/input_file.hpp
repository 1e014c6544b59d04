// The files the commands read (campaigns, visitors, attribute profiles, the preview key): read
// whole, and only up to a bound, since what parses them costs a multiple of their size.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace vario::host {

// 16 MiB. Campaigns files that visitors' tags are built from weigh kilobytes, and a visitors
// file of this size already holds tens of thousands of visitors.
inline constexpr std::size_t kMaxInputBytes = 16 * 1024 * 1024;

// "FILE is a folder, not KIND" when `file` is a folder, else nullopt. `kind` is what the
// command wanted instead: "a campaigns file", "an attributes file".
std::optional<std::string> folder_instead_of(const std::filesystem::path& file,
                                             std::string_view kind);

// The whole text of `file`; nullopt with `why` set when it is a folder (folder_instead_of),
// cannot be read ("FILE: cannot be read"), or is larger than kMaxInputBytes ("FILE: is larger
// than 16 MiB (16777216 bytes), the most KIND may be"; nothing beyond the bound is read).
std::optional<std::string> read_input_file(const std::filesystem::path& file, std::string_view kind,
                                           std::string* why);

}  // namespace vario::host
