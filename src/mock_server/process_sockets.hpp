// The process's own sockets, found from outside httplib (which gives handlers no access to their
// connection): its descriptors listed from /proc/self/fd, and a connection told by its ports. The
// server binds one loopback address, so the two ports name a connection. Linux only.
#pragma once

#include <vector>

namespace baanx::mock {

// Every descriptor the process has open now (some may close before the caller uses them).
std::vector<int> OpenDescriptors();

// The remote port of a connection accepted on local_port, or -1 for any other descriptor (the
// listening socket has no peer).
int RemotePortOf(int socket, int local_port);

}  // namespace baanx::mock
