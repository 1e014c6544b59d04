#define BOOST_TEST_MODULE results_csv_export
#include <boost/test/unit_test.hpp>

#include "results/csv_export.hpp"

using namespace vario::host;

BOOST_AUTO_TEST_CASE(cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised) {
  BOOST_TEST(csv_cell("=1+2") == "'=1+2");
  BOOST_TEST(csv_cell("+49 30 1234") == "'+49 30 1234");
  BOOST_TEST(csv_cell("-2") == "'-2");
  BOOST_TEST(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  BOOST_TEST(csv_cell("\tcmd") == "'\tcmd");
  BOOST_TEST(csv_cell("\r=x") == "\"'\r=x\"");  // CR: neutralised, and quoted as RFC 4180 wants
  BOOST_TEST(csv_cell("a=b") == "a=b");         // only a leading character counts
}

BOOST_AUTO_TEST_CASE(cells_with_commas_quotes_or_line_breaks_are_quoted_as_rfc_4180_says) {
  BOOST_TEST(csv_cell("plain") == "plain");
  BOOST_TEST(csv_cell("") == "");
  BOOST_TEST(csv_cell("a,b") == "\"a,b\"");
  BOOST_TEST(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  BOOST_TEST(csv_cell("two\nlines") == "\"two\nlines\"");
  BOOST_TEST(csv_cell("=\"x\",1") == "\"'=\"\"x\"\",1\"");
}

BOOST_AUTO_TEST_CASE(a_row_has_every_column_of_the_header_in_order_with_crlf) {
  StoredEvent e;
  e.id = std::string(32, 'a');
  e.schema = 2;
  e.type = "health";
  e.ts = 1'767'225'600'123;  // 2026-01-01T00:00:00.123Z
  e.received_at = 1'767'225'601'000;
  e.account = "shop";
  e.page = "/cart";
  e.campaign = "hero";
  e.payload = R"({"code":"dropped","count":4,"message":"queue full, 4 dropped"})";
  BOOST_TEST(csv_header() ==
             "id,type,time,ts,received_at,account,visitor,page,campaign,variation,goal,value,"
             "transaction_id,revenue,currency,code,message,count,schema\r\n");
  BOOST_TEST(csv_row(e) == std::string(32, 'a') +
                               ",health,2026-01-01T00:00:00.123Z,1767225600123,1767225601000,shop,,"
                               "/cart,hero,,,,,,,dropped,\"queue full, 4 dropped\",4,2\r\n");
}
