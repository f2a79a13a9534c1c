// Writing compare.json, compare.txt and compare.html: the only part of the comparison that
// touches the disk. Each file is written whole to a temporary name and renamed into place,
// so a browser reloading compare.html or a script reading compare.json never sees half one.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "controller/report/compare.hpp"

namespace blastlab::report {

namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw std::runtime_error("write comparison file " + path.string() + ": " +
                               std::strerror(errno));
    }
    out << content;
    out.flush();
    if (!out) {
      throw std::runtime_error("write comparison file " + path.string() + ": " +
                               std::strerror(errno));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw std::runtime_error("write comparison file " + path.string() +
                             ": rename: " + ec.message());
  }
}

}  // namespace

void write_comparison(const Comparison& comparison, const std::string& dir) {
  std::filesystem::path base(dir);
  std::error_code ec;
  std::filesystem::create_directories(base, ec);
  if (ec) throw std::runtime_error("create comparison directory " + dir + ": " + ec.message());
  // Invalid UTF-8 in a name (from a hand-edited file) is replaced rather than thrown on:
  // losing one character beats losing the comparison.
  write_file(
      base / "compare.json",
      comparison_json(comparison).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
          "\n");
  write_file(base / "compare.txt", comparison_text(comparison));
  write_file(base / "compare.html", comparison_html(comparison));
}

}  // namespace blastlab::report
