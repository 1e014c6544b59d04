#define BOOST_TEST_MODULE store_retention
#include <boost/test/unit_test.hpp>

#include "config/rfc3339.hpp"
#include "store/retention.hpp"

using namespace vario::host;

namespace {
std::int64_t at(const char* rfc3339) { return *parse_rfc3339_ms(rfc3339); }
}  // namespace

BOOST_AUTO_TEST_CASE(the_window_starts_the_same_time_of_day_whole_calendar_months_back) {
  BOOST_TEST(months_before(at("2026-12-04T20:57:27.5Z"), 25) == at("2024-11-04T20:57:27.5Z"));
  BOOST_TEST(months_before(at("2026-01-15T00:00:00Z"), 1) == at("2025-12-15T00:00:00Z"));
  BOOST_TEST(months_before(at("2026-05-01T08:00:00Z"), 12) == at("2025-05-01T08:00:00Z"));
}

BOOST_AUTO_TEST_CASE(a_day_the_earlier_month_lacks_becomes_its_last_day) {
  BOOST_TEST(months_before(at("2026-03-31T12:00:00Z"), 1) == at("2026-02-28T12:00:00Z"));
  BOOST_TEST(months_before(at("2028-03-31T12:00:00Z"), 1) == at("2028-02-29T12:00:00Z"));
  BOOST_TEST(months_before(at("2027-01-31T00:00:01Z"), 25) == at("2024-12-31T00:00:01Z"));
}
