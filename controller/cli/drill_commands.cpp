// `blastlab drill start|status|hint|check|end|reveal`, over controller/drill/drill_live.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>

#include "controller/cli/cli_support.hpp"
#include "controller/cli/commands.hpp"
#include "controller/drill/drill_live.hpp"
#include "controller/model/units.hpp"

namespace blastlab::cli {
namespace {

using lab::LabError;

// The lab a drill command after `start` works on: --name, else the one lab running a drill.
std::string drill_lab(const DrillArgs& args, lab::LabManager& labs) {
  if (!args.name.empty()) {
    lab::check_lab_name(args.name);
    return args.name;
  }
  std::vector<std::string> running;
  for (const auto& name : labs.labs())
    if (drill::drill_running(labs, name)) running.push_back(name);
  if (running.size() == 1) return running.front();
  if (running.empty())
    throw LabError(2, "drill " + args.action + ": no lab runs a drill; give --name");
  throw LabError(2, fmt::format("drill {}: several labs run a drill ({}); give --name", args.action,
                                fmt::join(running, ", ")));
}

}  // namespace

int run_drill(const DrillArgs& args, const std::atomic<bool>* interrupted) {
  if (args.action == "start" && args.drill.empty())
    throw LabError(2, "drill start: give the drill file (drills/*.yaml)");
  if (args.action != "start" && !args.drill.empty())
    throw LabError(2, fmt::format("drill {}: takes no drill file, only --name LAB", args.action));
  if (!args.name.empty()) lab::check_lab_name(args.name);
  require_root(("blastlab drill " + args.action).c_str());
  Labs labs;
  drill::LiveContext live{labs.manager, *labs.netlink, *labs.runner};
  if (args.action == "start") {
    auto timeout = model::parse_duration(args.timeout);
    if (!timeout || timeout->count() <= 0)
      throw LabError(
          2, "drill start: --timeout '" + args.timeout + "': expected a duration like 120s");
    return drill::drill_start(
        {.drill_path = args.drill,
         .seed = args.seed,
         .lab_name = args.name,
         .up_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout)},
        live, interrupted, std::cout);
  }
  std::string lab_name = drill_lab(args, labs.manager);
  if (args.action == "status") return drill::drill_status(lab_name, live, std::cout);
  if (args.action == "hint") return drill::drill_hint(lab_name, live, std::cout);
  if (args.action == "check") return drill::drill_check(lab_name, live, std::cout);
  if (args.action == "reveal") return drill::drill_reveal(lab_name, live, std::cout);
  if (args.action == "end")
    return drill::drill_end(
        {.lab_name = lab_name,
         .out_dir = args.out.empty() ? default_out("drill-" + lab_name) : args.out,
         .keep = args.keep},
        live, std::cout);
  throw LabError(2, "drill: unknown action '" + args.action + "'");
}

}  // namespace blastlab::cli
