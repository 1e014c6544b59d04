#include "support/postgres_server.hpp"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace vario::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

// A port nobody listens on now (the kernel's choice for a socket bound to port 0).
int free_port() {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(sock);
  return port;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

PostgresServer::PostgresServer() {
  if (!fs::exists(fs::path(kBin) / "initdb")) {
    error_ = std::string(kBin) +
             "/initdb does not exist: install Debian's postgresql-15 (scripts/setup does)";
    return;
  }
  std::random_device random;
  dir_ = (fs::temp_directory_path() / ("vario-pg-" + std::to_string(random()))).string();
  fs::create_directories(dir_);
  if (::geteuid() == 0) {
    // PostgreSQL will not run as root: the package's own unprivileged user, else nobody.
    const passwd* user = ::getpwnam("postgres");
    if (!user) user = ::getpwnam("nobody");
    if (!user) {
      error_ = "running as root, and neither the user postgres nor nobody exists";
      return;
    }
    if (::chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      error_ = "cannot hand " + dir_ + " to the user " + user->pw_name;
      return;
    }
    user_prefix_ = std::string("runuser -u ") + user->pw_name + " -- ";
  }
  const std::string data = dir_ + "/data";
  const std::string init = user_prefix_ + kBin + "/initdb -D " + data +
                           " -A trust -U vario --no-sync -E UTF8 --locale=C > " + dir_ +
                           "/initdb.log 2>&1";
  if (std::system(init.c_str()) != 0) {
    error_ = "initdb failed: " + read_text(dir_ + "/initdb.log");
    return;
  }
  // A taken port (a race with another process) fails the start: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    const std::string start = user_prefix_ + kBin + "/pg_ctl -D " + data + " -w -t 30 -l " + dir_ +
                              "/server.log -o \"-p " + std::to_string(port_) + " -k " + dir_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off " +
                              "-c synchronous_commit=off -c full_page_writes=off " +
                              "-c max_connections=200\" start > " + dir_ + "/pg_ctl.log 2>&1";
    if (std::system(start.c_str()) == 0) {
      error_.clear();
      return;
    }
    error_ =
        "pg_ctl start failed: " + read_text(dir_ + "/pg_ctl.log") + read_text(dir_ + "/server.log");
  }
}

PostgresServer::~PostgresServer() {
  if (dir_.empty()) return;
  if (ok()) {
    const std::string stop =
        user_prefix_ + kBin + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop > /dev/null 2>&1";
    if (std::system(stop.c_str()) != 0) {
      // Nothing more to do: the folder goes anyway.
    }
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresServer::new_database() {
  const std::string base = "postgresql://vario@127.0.0.1:" + std::to_string(port_) + "/";
  const std::string name =
      "test_" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  PGconn* conn = PQconnectdb((base + "postgres").c_str());
  PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  const bool created = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!created) error_ = std::string("CREATE DATABASE failed: ") + PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  return base + name;
}

}  // namespace vario::testing
