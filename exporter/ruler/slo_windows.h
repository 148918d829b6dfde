#pragma once
// The windows of multi-window multi-burn-rate alerting (Google SRE workbook, ch. 5, table 5-8),
// as Sloth generates them. Each alert fires when the error ratio over both its long and its
// short window (1/12 of the long one) exceeds factor × error budget, where
//   factor = budget share consumed × period / long window
// so the windows stay fixed and the factors scale with the period: for 30d they are the
// workbook's 14.4, 6, 3 and 1; for 28d 13.44, 5.6, 2.8 and 0.93.
// Thread-safety: constant data and pure functions.

#include <string>
#include <vector>

#include "exporter/core/clock.h"

namespace smoke::ruler {

struct BurnWindow {
  std::string long_name;   // "1h": as written in the recording name slo:sli_error:ratio_rate1h
  std::string short_name;  // "5m"
  core::Duration long_window;
  double budget_percent;  // share of the period's budget consumed over the long window
};

// Page: 2% of the budget within 1h (short 5m), or 5% within 6h (short 30m).
const std::vector<BurnWindow>& PageWindows();
// Ticket: 10% within 1d (short 2h), or 10% within 3d (short 6h).
const std::vector<BurnWindow>& TicketWindows();

// Every window an SLI is recorded over for alerting, shortest first: 5m 30m 1h 2h 6h 1d 3d.
const std::vector<std::string>& SliWindows();

double BurnRateFactor(const BurnWindow& window, core::Duration period);

// "30d" for whole days (the period's name in slo:sli_error:ratio_rate30d), else Prometheus's
// duration form.
std::string PeriodName(core::Duration period);

}  // namespace smoke::ruler
