#include "exporter/config/alert_pipeline_parser.h"

#include <algorithm>

#include "exporter/config/name_list.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/duration.h"

namespace smoke::config {

AlertPipelineSpec ParseAlertPipelineSpec(const YamlNode* node, core::Duration timeout,
                                         ParseContext& ctx) {
  AlertPipelineSpec spec;
  spec.ends_after = std::max<core::Duration>(spec.ends_after, timeout + std::chrono::minutes(1));
  if (node == nullptr || !CheckMap(*node, Quote("alert_pipeline"), ctx.diag) || node->IsNull()) {
    return spec;
  }
  MapReader map(*node, "alert_pipeline", {"alertname", "ends_after", "expect_receiver", "labels"},
                ctx.diag);
  if (std::optional<std::string> name = map.String("alertname")) {
    if (name->empty()) {
      ctx.diag.Error(map.ValueMark("alertname"), "\"alertname\" must not be empty");
    } else {
      spec.alertname = *name;
    }
  }
  if (const YamlNode* labels = map.Get("labels")) {
    spec.labels = ReadLabelMap(*labels, Quote("labels"), {"alertname", "nonce", "probe"},
                               "is set by the probe itself", ctx.diag);
  }
  if (std::optional<core::Duration> ends = map.Duration("ends_after")) {
    if (*ends <= timeout) {
      ctx.diag.Error(map.ValueMark("ends_after"),
                     "\"ends_after\" " + core::FormatDuration(*ends) +
                         " must be longer than the probe's timeout " +
                         core::FormatDuration(timeout) +
                         " (the alert must still be active when it is read back)");
    } else {
      spec.ends_after = *ends;
    }
  }
  if (std::optional<std::string> receiver = map.String("expect_receiver")) {
    if (receiver->empty()) {
      ctx.diag.Error(map.ValueMark("expect_receiver"), "\"expect_receiver\" must not be empty");
    } else {
      spec.expect_receiver = *receiver;
    }
  }
  return spec;
}

}  // namespace smoke::config
