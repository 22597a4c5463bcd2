#include "mock_server/process_sockets.hpp"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

namespace baanx::mock {
namespace {

int PortOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return -1;
}

}  // namespace

std::vector<int> OpenDescriptors() {
  std::vector<int> found;
  DIR* descriptors = opendir("/proc/self/fd");
  if (descriptors == nullptr) return found;
  while (const dirent* entry = readdir(descriptors)) {
    char* end = nullptr;
    const long number = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || number < 0 || number > 1'000'000) continue;
    found.push_back(static_cast<int>(number));
  }
  closedir(descriptors);
  return found;
}

int RemotePortOf(int socket, int local_port) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      PortOf(address) != local_port) {
    return -1;
  }
  length = sizeof(address);
  if (getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;
  return PortOf(address);
}

}  // namespace baanx::mock
