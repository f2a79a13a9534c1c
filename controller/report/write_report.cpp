// Writing the four report files: the only part of report/ that touches the disk. Each file
// is written whole to a temporary name and renamed into place, so a reader (a CI job
// picking up junit.xml, a browser reloading report.html) never sees half of one.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "controller/report/report.hpp"

namespace blastlab::report {

namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw std::runtime_error("write report file " + path.string() + ": " + std::strerror(errno));
    }
    out << content;
    out.flush();
    if (!out) {
      throw std::runtime_error("write report file " + path.string() + ": " + std::strerror(errno));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw std::runtime_error("write report file " + path.string() + ": rename: " + ec.message());
  }
}

}  // namespace

ReportFiles write_report(const std::string& dir, const Report& report) {
  std::filesystem::path base(dir);
  std::error_code ec;
  std::filesystem::create_directories(base, ec);
  if (ec) throw std::runtime_error("create report directory " + dir + ": " + ec.message());

  ReportFiles files{.json = (base / "report.json").string(),
                    .text = (base / "report.txt").string(),
                    .html = (base / "report.html").string(),
                    .junit = (base / "junit.xml").string()};
  // Invalid UTF-8 in a name (from a hand-edited file) is replaced rather than thrown on:
  // losing one character beats losing the run's report.
  write_file(
      files.json,
      report_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  write_file(files.text, report_text(report, false));
  write_file(files.html, report_html(report));
  write_file(files.junit, report_junit(report));
  return files;
}

}  // namespace blastlab::report
