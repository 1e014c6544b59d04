// The IAB TC strings of ../shared/conformance/tcf/vectors.json (fixtures of LiveRamp/iabconsent,
// iabtcf-java and iabtcf-es, see its SOURCE.md) through the shared runner's "tcf" section
// (tests/conformance/runner.cpp): every decoded field the data expects must match and every
// string it rejects must be refused. tests/wasm/conformance.test.mjs runs the same section in
// wasm.
#define BOOST_TEST_MODULE consent tc string conformance
#include <boost/test/unit_test.hpp>

#include "conformance/native_sections.hpp"

BOOST_AUTO_TEST_CASE(every_tcf_vector_decodes_as_its_upstream_decoder_asserts_or_is_refused) {
  BOOST_TEST(vario::testing::listed_sections().count("tcf") == 1u);
  vario::testing::run_sections({"tcf"});
}
