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

namespace blastlab::files {

// Writes the file whole under a fresh temporary name beside it and renames it into place,
// so a reader (a CI job picking up junit.xml, a browser reloading an HTML page) never sees
// half of one. The file gets mode 0644. Refuses a path that is a symbolic link. Throws
// std::runtime_error "write WHAT PATH: why".
void write_file_atomically(const std::string& path, std::string_view content,
                           std::string_view what);

// Opens the file for appending, creating it with mode 0644, and never through a symbolic
// link (it fails with ELOOP). Returns the descriptor (close-on-exec), or -1 with errno set.
// Takes a C string so that a child between fork and exec may call it.
int open_for_append(const char* path);

// Creates the directory and any missing parents, and refuses one whose last component is a
// symbolic link. Throws std::runtime_error "create WHAT PATH: why".
void create_directories(const std::string& path, std::string_view what);

}  // namespace blastlab::files
