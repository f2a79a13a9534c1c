// Writing compare.json, compare.txt and compare.html: the only part of the comparison that
// touches the disk. Each file is written whole to a temporary name and renamed into place,
// so a browser reloading compare.html or a script reading compare.json never sees half one,
// and never through a symbolic link (files/safe_write.hpp).
#include <filesystem>

#include "controller/files/safe_write.hpp"
#include "controller/report/compare.hpp"

namespace blastlab::report {

void write_comparison(const Comparison& comparison, const std::string& dir) {
  std::filesystem::path base(dir);
  files::create_directories(dir, "comparison directory");
  // Invalid UTF-8 in a name (from a hand-edited file) is replaced rather than thrown on:
  // losing one character beats losing the comparison.
  files::write_file_atomically(
      (base / "compare.json").string(),
      comparison_json(comparison).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
          "\n",
      "comparison file");
  files::write_file_atomically((base / "compare.txt").string(), comparison_text(comparison),
                               "comparison file");
  files::write_file_atomically((base / "compare.html").string(), comparison_html(comparison),
                               "comparison file");
}

}  // namespace blastlab::report
