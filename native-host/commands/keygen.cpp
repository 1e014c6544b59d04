#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "commands/preview.hpp"
#include "input_file.hpp"
#include "preview/keys.hpp"

namespace vario::host {

int run_keygen(const KeygenArgs& args) {
  // O_EXCL below would call a folder a key that already exists.
  if (const auto folder = folder_instead_of(args.out, "a key file")) {
    std::cerr << *folder << "\n";
    return 1;
  }
  const Pkey key = generate_p256_key();
  const std::string pem = private_key_pem(key.get());
  // O_EXCL: an existing key is never replaced (links signed with it would stop working), and
  // the file is private from its first byte.
  const int fd = ::open(args.out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::cerr << args.out.string() << ": "
              << (errno == EEXIST ? "already exists; vario keygen never overwrites a key"
                                  : std::strerror(errno))
              << "\n";
    return 1;
  }
  std::size_t written = 0;
  while (written < pem.size()) {
    const ssize_t n = ::write(fd, pem.data() + written, pem.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == pem.size() && ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  if (::close(fd) != 0 || !ok) {
    std::cerr << args.out.string() << ": cannot be written: " << std::strerror(errno) << "\n";
    ::unlink(args.out.c_str());
    return 1;
  }
  const std::string public_key = public_key_base64(key.get());
  std::cerr << "Wrote the private key to " << args.out.string()
            << " (mode 0600; keep it out of the repository).\n"
            << "Add the public key to campaigns.json: \"preview\": {\"public_key\": \""
            << public_key << "\"}\n";
  std::cout << public_key << "\n";
  return 0;
}

}  // namespace vario::host
