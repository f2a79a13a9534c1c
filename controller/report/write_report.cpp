// Writing the four report files: the only part of report/ that touches the disk. Each file
// is written whole to a temporary name and renamed into place, so a reader (a CI job
// picking up junit.xml, a browser reloading report.html) never sees half of one, and never
// through a symbolic link: the directory may be another user's (files/safe_write.hpp).
#include <filesystem>

#include "controller/files/safe_write.hpp"
#include "controller/report/report.hpp"

namespace blastlab::report {

ReportFiles write_report(const std::string& dir, const Report& report) {
  std::filesystem::path base(dir);
  files::create_directories(dir, "report directory");

  ReportFiles files{.json = (base / "report.json").string(),
                    .text = (base / "report.txt").string(),
                    .html = (base / "report.html").string(),
                    .junit = (base / "junit.xml").string()};
  // Invalid UTF-8 in a name (from a hand-edited file) is replaced rather than thrown on:
  // losing one character beats losing the run's report.
  files::write_file_atomically(
      files.json,
      report_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
      "report file");
  files::write_file_atomically(files.text, report_text(report, false), "report file");
  files::write_file_atomically(files.html, report_html(report), "report file");
  files::write_file_atomically(files.junit, report_junit(report), "report file");
  return files;
}

}  // namespace blastlab::report
