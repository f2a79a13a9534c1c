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
#include "controller/report/format.hpp"

namespace blastlab::report {

void write_comparison(const Comparison& comparison, const std::string& dir) {
  std::filesystem::path base(dir);
  std::error_code ec;
  std::filesystem::create_directories(base, ec);
  if (ec) throw std::runtime_error("create comparison directory " + dir + ": " + ec.message());
  // Invalid UTF-8 in a name (from a hand-edited file) is replaced rather than thrown on:
  // losing one character beats losing the comparison.
  write_file_atomically(
      (base / "compare.json").string(),
      comparison_json(comparison).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
          "\n",
      "comparison file");
  write_file_atomically((base / "compare.txt").string(), comparison_text(comparison),
                        "comparison file");
  write_file_atomically((base / "compare.html").string(), comparison_html(comparison),
                        "comparison file");
}

}  // namespace blastlab::report
