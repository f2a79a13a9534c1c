// Writing files as root where another user may own the directory: a report's --out, the
// runs/ of a user's checkout, a lab node's directory that belongs to FRR's user. Whoever
// owns a directory can put a symbolic link in it where a file is about to be written, and
// root writing through that link would write any file on the host. So nothing written here
// follows a link at the last component of its path: files are made under fresh names
// (O_EXCL) and renamed into place, appends use O_NOFOLLOW, and a directory or file that is
// a link is refused, since nothing blastlab writes is meant to be one. Links in the
// directories above are followed: those are the user's own choice of place.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace blastlab::files {

// Writes the file whole under a fresh temporary name beside it and renames it into place,
// so a reader (a CI job picking up junit.xml, a browser reloading an HTML page) never sees
// half of one. The file gets mode 0644. Refuses a path that is a symbolic link. Throws
// std::runtime_error "write WHAT PATH: why".
void write_file_atomically(const std::string& path, std::string_view content,
                           std::string_view what);

// A file written as a stream (a packet capture) and put in place whole at the end, as
// write_file_atomically does in one go: it is made under a fresh name beside its path
// (O_EXCL, mode 0644), and commit() renames it into place. One that is never committed is
// removed when it goes out of scope, so a failed write leaves nothing behind. Refuses a path
// that is a symbolic link. Throws std::runtime_error "write WHAT PATH: why".
class AtomicFile {
 public:
  AtomicFile(std::string path, std::string_view what);
  AtomicFile(AtomicFile&& other) noexcept
      : path_(std::move(other.path_)),
        what_(std::move(other.what_)),
        temporary_(std::move(other.temporary_)),
        fd_(std::exchange(other.fd_, -1)) {}
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // Close-on-exec; valid until commit().
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Closes the file and renames it into place; throws (and removes it) when that fails.
  void commit();

 private:
  [[noreturn]] void fail(std::string_view step, int error);

  std::string path_;
  std::string what_;
  std::string temporary_;
  int fd_ = -1;
};

// Writes all of content to fd, through short writes and EINTR. False with errno set when a
// write fails.
bool write_all(int fd, std::string_view content);

// Opens the file for appending, creating it with mode 0644, and never through a symbolic
// link (it fails with ELOOP). Returns the descriptor (close-on-exec), or -1 with errno set.
// Takes a C string so that a child between fork and exec may call it.
int open_for_append(const char* path);

// Creates the directory and any missing parents, and refuses one whose last component is a
// symbolic link. Throws std::runtime_error "create WHAT PATH: why".
void create_directories(const std::string& path, std::string_view what);

}  // namespace blastlab::files
