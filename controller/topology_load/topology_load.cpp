#include "controller/topology_load/topology_load.hpp"

#include <fmt/format.h>

#include "controller/clab/convert.hpp"
#include "controller/model/yaml_reader.hpp"
#include "controller/topology_load/overlay.hpp"

namespace blastlab::topology_load {

namespace {

constexpr std::string_view kClabSuffixes[] = {".clab.yml", ".clab.yaml"};

LoadResult from_clab(clab::ConvertResult converted) {
  return {std::move(converted.topology), std::move(converted.errors),
          std::move(converted.warnings)};
}

LoadResult with_overlay(LoadResult result, const LoadOptions& options) {
  if (!result.topology || options.overlay.empty()) return result;
  auto errors = apply_overlay_file(options.overlay, *result.topology);
  if (!errors.empty()) {
    result.topology.reset();
    result.errors = std::move(errors);
  }
  return result;
}

clab::ReadOptions read_options(const LoadOptions& options) {
  // `~` stays unexpanded: blastlab runs as root, whose home is not the user's; the
  // conversion says so where a path needs it.
  return {.home_directory = "", .base_directory = options.base_directory};
}

}  // namespace

bool is_clab_path(std::string_view path) {
  for (auto suffix : kClabSuffixes) {
    if (path.ends_with(suffix)) return true;
  }
  return false;
}

std::string copy_file_name(std::string_view path) {
  for (auto suffix : kClabSuffixes) {
    if (path.ends_with(suffix)) return "topology" + std::string(suffix);
  }
  return "topology.yaml";
}

LoadResult load_topology_file(const std::string& path, const LoadOptions& options) {
  if (is_clab_path(path)) {
    return with_overlay(
        from_clab(clab::load_clab_file(path, read_options(options), {options.trust_exec})),
        options);
  }
  auto loaded = model::load_topology_file(
      path, {.base_directory = options.base_directory, .trust_exec = options.trust_exec});
  return with_overlay({std::move(loaded.topology), std::move(loaded.errors), {}}, options);
}

LoadResult load_topology_text(std::string_view text, const std::string& file_name,
                              const LoadOptions& options) {
  if (is_clab_path(file_name)) {
    return with_overlay(from_clab(clab::load_clab_text(text, file_name, read_options(options),
                                                       {options.trust_exec})),
                        options);
  }
  auto loaded = model::load_topology_text(
      text, file_name,
      {.base_directory = options.base_directory, .trust_exec = options.trust_exec});
  return with_overlay({std::move(loaded.topology), std::move(loaded.errors), {}}, options);
}

std::string format_warnings(const std::vector<model::Diagnostic>& warnings) {
  std::string out;
  for (const auto& w : warnings) {
    if (!out.empty()) out += "\n";
    std::string where = w.file;
    if (w.mark.line > 0) where += fmt::format(":{}:{}", w.mark.line, w.mark.column);
    out +=
        fmt::format("{}: warning: {}{}", where, w.field.empty() ? "" : w.field + ": ", w.message);
  }
  return out;
}

}  // namespace blastlab::topology_load
