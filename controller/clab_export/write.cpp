// Putting an export in place whole or not at all: every file is written into a fresh
// directory beside the destination, which is renamed into place at the end. A destination
// that holds anything is left alone (the export never merges with or deletes what is
// there), and so is one that is a symbolic link.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "controller/clab_export/clab_export.hpp"
#include "controller/files/safe_write.hpp"

namespace blastlab::clab_export {
namespace {

namespace fs = std::filesystem;

void check_destination(const fs::path& out) {
  std::error_code ec;
  auto status = fs::symlink_status(out, ec);
  if (ec || !fs::exists(status)) return;
  if (fs::is_symlink(status)) {
    throw std::invalid_argument(
        fmt::format("{} is a symbolic link; give --out the real path", out.string()));
  }
  if (!fs::is_directory(status) || !fs::is_empty(out, ec)) {
    throw std::invalid_argument(
        fmt::format("{} exists and is not an empty directory; remove it or choose another --out",
                    out.string()));
  }
}

void make_mode(const fs::path& path, mode_t mode) {
  if (::chmod(path.c_str(), mode) != 0) {
    throw std::runtime_error(fmt::format("chmod {}: {}", path.string(), std::strerror(errno)));
  }
}

void copy_agent(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::is_regular_file(from, ec)) {
    throw std::runtime_error(fmt::format(
        "agent {} is not in {}: the node image carries blastlab's agents, which the build puts "
        "beside the blastlab binary",
        from.filename().string(), from.parent_path().string()));
  }
  fs::copy_file(from, to, ec);
  if (ec)
    throw std::runtime_error(
        fmt::format("copy {} to {}: {}", from.string(), to.string(), ec.message()));
  make_mode(to, 0755);
}

void fill(const Export& exported, const fs::path& dir, const std::string& agent_dir) {
  for (const auto& file : exported.files) {
    fs::path path = dir / file.path;
    files::create_directories(path.parent_path().string(), "export directory");
    files::write_file_atomically(path.string(), file.text, "export file");
    if (file.executable) make_mode(path, 0755);
  }
  for (const auto& agent : exported.agents) {
    copy_agent(fs::path(agent_dir) / agent, dir / "image" / agent);
  }
}

}  // namespace

void write_export(const Export& exported, const std::string& out_dir,
                  const std::string& agent_dir) {
  fs::path out = fs::absolute(out_dir).lexically_normal();
  if (out.has_filename() == false) out = out.parent_path();
  check_destination(out);
  files::create_directories(out.parent_path().string(), "export's parent directory");
  std::string pattern =
      (out.parent_path() / fmt::format(".{}.tmp-XXXXXX", out.filename().string())).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    throw std::runtime_error(
        fmt::format("create a directory beside {}: {}", out.string(), std::strerror(errno)));
  }
  fs::path temporary(name.data());
  try {
    make_mode(temporary, 0755);
    fill(exported, temporary, agent_dir);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(out, ec))) {
      check_destination(out);  // still empty: nothing of anyone's is removed
      fs::remove(out);
    }
    fs::rename(temporary, out);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(temporary, ec);
    throw;
  }
}

}  // namespace blastlab::clab_export
