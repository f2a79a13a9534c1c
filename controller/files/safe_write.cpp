#include "controller/files/safe_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace blastlab::files {
namespace {

constexpr const char* kLinkRefused =
    "it is a symbolic link; blastlab runs as root and never writes through one (remove it, "
    "or name the real path)";

bool is_symlink(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

}  // namespace

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

AtomicFile::AtomicFile(std::string path, std::string_view what)
    : path_(std::move(path)), what_(what) {
  // A link at the path itself would only be replaced by the rename, never written through;
  // it is refused all the same, so that a planted one is noticed.
  if (is_symlink(path_))
    throw std::runtime_error("write " + what_ + " " + path_ + ": " + kLinkRefused);
  // mkostemp creates with O_EXCL: never an existing file, never through a link, whatever
  // the directory's owner left at a predictable name such as PATH.tmp.
  std::string name = path_ + ".tmp.XXXXXX";
  std::vector<char> temporary(name.begin(), name.end());
  temporary.push_back('\0');
  fd_ = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd_ < 0) fail("", errno);
  temporary_ = temporary.data();
  if (::fchmod(fd_, 0644) != 0) fail("", errno);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void AtomicFile::fail(std::string_view step, int error) {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  if (!temporary_.empty()) ::unlink(std::exchange(temporary_, "").c_str());
  throw std::runtime_error("write " + what_ + " " + path_ + ": " + std::string(step) +
                           std::strerror(error));
}

void AtomicFile::commit() {
  if (::close(std::exchange(fd_, -1)) != 0) fail("", errno);
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) fail("rename: ", errno);
  temporary_.clear();
}

void write_file_atomically(const std::string& path, std::string_view content,
                           std::string_view what) {
  AtomicFile file(path, what);
  if (!write_all(file.fd(), content)) {
    int error = errno;
    throw std::runtime_error("write " + std::string(what) + " " + path + ": " +
                             std::strerror(error));
  }
  file.commit();
}

int open_for_append(const char* path) {
  return ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
}

void create_directories(const std::string& path, std::string_view what) {
  std::string failed = "create " + std::string(what) + " " + path;
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw std::runtime_error(failed + ": " + ec.message());
  // A trailing '/' would make lstat look through a link: check the name without it.
  std::string last = std::filesystem::path(path).lexically_normal().string();
  while (last.size() > 1 && last.back() == '/') last.pop_back();
  if (is_symlink(last)) throw std::runtime_error(failed + ": " + kLinkRefused);
}

}  // namespace blastlab::files
