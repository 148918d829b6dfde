#include "exporter/ruler/slo_windows.h"

#include "exporter/core/duration.h"

namespace smoke::ruler {
namespace {

using std::chrono::hours;

}  // namespace

const std::vector<BurnWindow>& PageWindows() {
  static const std::vector<BurnWindow> kWindows = {{"1h", "5m", hours(1), 2},
                                                   {"6h", "30m", hours(6), 5}};
  return kWindows;
}

const std::vector<BurnWindow>& TicketWindows() {
  static const std::vector<BurnWindow> kWindows = {{"1d", "2h", hours(24), 10},
                                                   {"3d", "6h", hours(72), 10}};
  return kWindows;
}

const std::vector<std::string>& SliWindows() {
  static const std::vector<std::string> kWindows = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};
  return kWindows;
}

double BurnRateFactor(const BurnWindow& window, core::Duration period) {
  const double period_s = std::chrono::duration<double>(period).count();
  const double long_s = std::chrono::duration<double>(window.long_window).count();
  return window.budget_percent * period_s / (100.0 * long_s);
}

std::string PeriodName(core::Duration period) {
  constexpr int64_t kDay = int64_t{24} * 3600 * 1'000'000'000;
  if (period.count() > 0 && period.count() % kDay == 0) {
    return std::to_string(period.count() / kDay) + "d";
  }
  return core::FormatDuration(period);
}

}  // namespace smoke::ruler
