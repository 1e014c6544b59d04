#include "store/retention.hpp"

#include <chrono>

namespace vario::host {

std::int64_t months_before(std::int64_t now_ms, int months) {
  using namespace std::chrono;
  const sys_time<milliseconds> now{milliseconds(now_ms)};
  const sys_days day = floor<days>(now);
  const milliseconds time_of_day = now - day;
  year_month_day ymd{day};
  ymd -= std::chrono::months(months);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return (sys_days(ymd) + time_of_day).time_since_epoch().count();
}

}  // namespace vario::host
