#include "agents/common/event_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "agents/common/log.hpp"

namespace blastlab::agent {

EventLog::EventLog(const std::string& path, std::string agent, std::string node)
    : path_(path), agent_(std::move(agent)), node_(std::move(node)) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw std::runtime_error("create directory " + parent.string() + ": " + ec.message());
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("open event file " + path + ": " + std::strerror(errno));
}

EventLog::~EventLog() {
  if (fd_ >= 0) ::close(fd_);
}

void EventLog::emit(int64_t ts_us, const std::string& event, const nlohmann::ordered_json& fields) {
  nlohmann::ordered_json line = {
      {"ts", ts_us}, {"agent", agent_}, {"node", node_}, {"event", event}};
  for (const auto& [key, value] : fields.items()) line[key] = value;
  // One write() per line: with O_APPEND, lines of a restarted agent never interleave.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      agent_logger(agent_)->warn("write event to {}: {}", path_, std::strerror(errno));
      return;
    }
    written += static_cast<size_t>(n);
  }
}

}  // namespace blastlab::agent
