#include "controller/netns/namespace.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <mutex>
#include <thread>

#include "controller/netns/log.hpp"

namespace blastlab::netns {
namespace {

constexpr const char* kThreadNetns = "/proc/thread-self/ns/net";

Status error_status(const std::string& what, int code) {
  return Status::error(fmt::format("{}: {}", what, std::strerror(code)), code);
}

// Makes /run/netns exist and be a shared mount, so that namespaces mounted under it later show
// up in every mount namespace that shares it (iproute2 does the same in netns_add).
Status ensure_run_dir() {
  static std::mutex mutex;
  static bool done = false;
  std::lock_guard lock(mutex);
  bool created = ::mkdir(kNetnsRunDir, 0755) == 0;
  if (!created && errno != EEXIST) {
    return error_status(fmt::format("create directory {}", kNetnsRunDir), errno);
  }
  if (done && !created) return Status::ok();
  if (::mount("", kNetnsRunDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
    if (errno != EINVAL) {
      return error_status(fmt::format("make {} a shared mount", kNetnsRunDir), errno);
    }
    // Not a mount point yet: bind it onto itself, then it can be made shared.
    if (::mount(kNetnsRunDir, kNetnsRunDir, "none", MS_BIND | MS_REC, nullptr) != 0) {
      return error_status(fmt::format("bind-mount {} onto itself", kNetnsRunDir), errno);
    }
    if (::mount("", kNetnsRunDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
      return error_status(fmt::format("make {} a shared mount", kNetnsRunDir), errno);
    }
  }
  done = true;
  return Status::ok();
}

// Runs on a disposable thread: afterwards the thread is inside the new namespace.
Status create_here(const std::string& ns) {
  const std::string path = namespace_path(ns);
  const std::string what = fmt::format("create namespace {}", ns);
  int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0) return error_status(what, errno);
  ::close(fd);
  if (::unshare(CLONE_NEWNET) != 0) {
    int code = errno;
    ::unlink(path.c_str());
    return error_status(what + ": unshare", code);
  }
  if (::mount(kThreadNetns, path.c_str(), "none", MS_BIND, nullptr) != 0) {
    int code = errno;
    ::unlink(path.c_str());
    return error_status(what + ": bind mount", code);
  }
  return Status::ok();
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

std::string namespace_path(const std::string& ns) {
  return fmt::format("{}/{}", kNetnsRunDir, ns);
}

Status validate_namespace_name(const std::string& ns) {
  if (ns.empty() || ns == "." || ns == ".." || ns.find('/') != std::string::npos ||
      ns.size() > NAME_MAX) {
    return Status::error(
        fmt::format("namespace name '{}': must be a file name (no '/', not '.' or '..', "
                    "1 to {} characters)",
                    ns, NAME_MAX),
        EINVAL);
  }
  return Status::ok();
}

UniqueFd open_namespace(const std::string& ns, SysError& error) {
  UniqueFd fd(::open(namespace_path(ns).c_str(), O_RDONLY | O_CLOEXEC));
  error = fd.valid() ? SysError{} : sys_error(errno);
  return fd;
}

bool is_namespace_mounted(const std::string& ns) {
  struct statfs fs {};
  if (::statfs(namespace_path(ns).c_str(), &fs) != 0) return false;
  return static_cast<unsigned long>(fs.f_type) == NSFS_MAGIC;
}

Status create_namespace_files(const std::vector<std::string>& names, std::size_t workers,
                              const InsideNamespace& inside) {
  for (const auto& ns : names) {
    if (auto status = validate_namespace_name(ns); !status) return status;
  }
  if (auto status = ensure_run_dir(); !status) return status;

  std::mutex mutex;
  Status first_error = Status::ok();
  std::vector<std::string> created;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};

  auto work = [&] {
    for (std::size_t i = next++; i < names.size() && !failed; i = next++) {
      Status status = create_here(names[i]);
      if (status) {
        {
          std::lock_guard lock(mutex);
          created.push_back(names[i]);
        }
        if (inside) status = inside(names[i]);
      }
      if (!status) {
        std::lock_guard lock(mutex);
        if (!failed.exchange(true)) first_error = status;
      }
    }
  };
  workers = std::max<std::size_t>(1, std::min(workers, names.size()));
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(work);
  for (auto& thread : threads) thread.join();

  if (failed) {
    for (const auto& ns : created) {
      if (auto status = delete_namespace_file(ns); !status) {
        logger()->warn("roll back: {}", status.message());
      }
    }
    return first_error;
  }
  return Status::ok();
}

Status delete_namespace_file(const std::string& ns) {
  if (auto status = validate_namespace_name(ns); !status) return status;
  const std::string path = namespace_path(ns);
  // EINVAL: not a mount point (a stray file); ENOENT: already gone.
  if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    return error_status(fmt::format("delete namespace {}: unmount", ns), errno);
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return error_status(fmt::format("delete namespace {}", ns), errno);
  }
  return Status::ok();
}

Status run_in_namespace(const std::string& ns, const std::function<void()>& fn) {
  if (auto status = validate_namespace_name(ns); !status) return status;
  UniqueFd original(::open(kThreadNetns, O_RDONLY | O_CLOEXEC));
  if (!original.valid()) {
    return error_status(fmt::format("enter ns {}: open {}", ns, kThreadNetns), errno);
  }
  SysError error;
  UniqueFd target = open_namespace(ns, error);
  if (!target.valid()) {
    return Status::error(fmt::format("enter ns {}: {}", ns, error.text), error.code);
  }
  if (::setns(target.get(), CLONE_NEWNET) != 0) {
    return error_status(fmt::format("enter ns {}", ns), errno);
  }
  // Return to the original namespace even if fn throws.
  struct Restore {
    int fd;
    int result = 0;
    void now() {
      if (fd >= 0) result = ::setns(fd, CLONE_NEWNET) == 0 ? 0 : errno;
      fd = -1;
    }
    ~Restore() { now(); }
  } restore{original.get()};
  fn();
  restore.now();
  if (restore.result != 0) {
    logger()->critical("leave ns {}: {}; this thread stays inside it", ns,
                       std::strerror(restore.result));
    return error_status(fmt::format("leave ns {}", ns), restore.result);
  }
  return Status::ok();
}

}  // namespace blastlab::netns
