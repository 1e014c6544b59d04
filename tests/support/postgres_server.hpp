// A real PostgreSQL 15 server for tests: a fresh cluster in a temporary folder (initdb, pg_ctl
// from /usr/lib/postgresql/15/bin), on a free loopback port, run as an unprivileged user when the
// tests run as root (PostgreSQL refuses root), stopped and removed when the process ends.
#pragma once

#include <string>

namespace vario::testing {

class PostgresServer {
 public:
  // The server of this test process, started on first use.
  static PostgresServer& shared();

  // Whether it runs; when not, error() says why (missing binaries, initdb failed, ...).
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // A new, empty database on the server, as a connection URI: each test gets its own.
  std::string new_database();

  int port() const { return port_; }

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

 private:
  PostgresServer();

  std::string dir_;
  std::string user_prefix_;  // "runuser -u postgres -- " when run as root
  int port_ = 0;
  int databases_ = 0;
  std::string error_;
};

}  // namespace vario::testing
