#include "controller/drill/drill_report.hpp"

namespace blastlab::drill {

std::string_view to_string(Marker::Kind kind) {
  switch (kind) {
    case Marker::Kind::kFault:
      return "fault";
    case Marker::Kind::kHint:
      return "hint";
    case Marker::Kind::kChange:
      return "change";
    case Marker::Kind::kCheck:
      return "check";
  }
  return "";
}

nlohmann::ordered_json drill_report_json(const DrillResult& result) {
  using Json = nlohmann::ordered_json;
  Json out;
  out["schema"] = "blastlab.drill-report";
  out["schema_version"] = 1;
  out["drill"] = result.drill;
  out["title"] = result.title;
  out["file"] = result.file;
  out["lab"] = result.lab;
  out["fault"] = result.fault;
  out["seed"] = result.seed;
  out["reveal"] = result.reveal;
  out["time_limit_s"] = result.time_limit_s;
  out["fault_s"] = result.fault_s;
  out["restored"] = result.restored_s.has_value();
  out["restored_s"] = result.restored_s ? Json(*result.restored_s) : Json(nullptr);
  Json components = Json::array();
  for (const auto& c : result.score.components)
    components.push_back({{"name", c.name}, {"points", c.points}, {"detail", c.detail}});
  out["score"] = {{"total", result.score.total},
                  {"restored", result.score.restored},
                  {"components", components}};
  Json markers = Json::array();
  for (const auto& m : result.markers) {
    Json marker = {{"at_s", m.at_s}, {"kind", to_string(m.kind)}, {"text", m.text}};
    if (m.kind == Marker::Kind::kCheck) marker["passed"] = m.passed;
    markers.push_back(marker);
  }
  out["markers"] = markers;
  Json collateral = Json::array();
  for (const auto& c : result.collateral) {
    collateral.push_back(
        {{"router", c.router}, {"context", c.context}, {"line", c.line}, {"added", c.added}});
  }
  out["collateral"] = collateral;
  return out;
}

}  // namespace blastlab::drill
