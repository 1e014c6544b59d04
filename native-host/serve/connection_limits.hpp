// How `vario serve` keeps slow and hostile clients from starving everyone else: a fixed pool of
// workers (one connection each), a bounded queue of accepted connections behind it, and read
// and write timeouts, so that /healthz and the collector keep answering while clients dawdle.
// The figures are in docs/events.md.
#pragma once

#include <cstddef>
#include <ctime>

namespace httplib {
class Server;
}

namespace vario::host {

// Workers serving connections at once. A connection that sends nothing holds one for at most
// kKeepAliveSeconds, one that stops mid-request for kReadTimeoutSeconds per read; with 64, forty
// such connections leave more than twenty workers free.
inline constexpr std::size_t kWorkerThreads = 64;
// Accepted connections waiting for a worker; beyond this the server stops accepting until one
// is free (the kernel's backlog holds the rest), so memory stays bounded under a flood.
inline constexpr std::size_t kMaxQueuedConnections = 256;
// Each read of a request line, header or body, and each write, waits at most this long.
inline constexpr time_t kReadTimeoutSeconds = 5;
inline constexpr time_t kWriteTimeoutSeconds = 5;
// An idle keep-alive connection is closed after this; short, so that Ctrl-C does not wait on a
// browser's idle connection either.
inline constexpr time_t kKeepAliveSeconds = 1;
// Requests served on one connection before it is closed.
inline constexpr std::size_t kKeepAliveMaxRequests = 100;

// Applies the limits above to `http` (before it listens).
void apply_connection_limits(httplib::Server& http);

}  // namespace vario::host
