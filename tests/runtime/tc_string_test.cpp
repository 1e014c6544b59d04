// decode_tc_string on strings built here bit by bit (the upstream fixtures are run by
// consent_tc_string_conformance_test.cpp): each encoding, each optional segment, every
// truncation and a bit flip anywhere in a valid string, garbage, and the refusals the header
// promises, each with the segment and bit its message names.
#define BOOST_TEST_MODULE tc string
#include "vario/tc_string.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace vario;

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// A bit string under construction, written out as base64url (zero bits pad the last character).
class Bits {
 public:
  Bits& add(std::uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) bits_ += ((value >> i) & 1) ? '1' : '0';
    return *this;
  }
  Bits& flag(bool b) { return add(b ? 1 : 0, 1); }
  // A bitfield of `width` bits, bit i (1-based) set for each id i.
  Bits& ids(const std::vector<int>& ids, int width) {
    std::string field(static_cast<std::size_t>(width), '0');
    for (const int id : ids) field[static_cast<std::size_t>(id - 1)] = '1';
    bits_ += field;
    return *this;
  }
  Bits& letters(std::string_view two) {
    for (const char c : two) add(static_cast<std::uint64_t>(c - 'A'), 6);
    return *this;
  }
  Bits& append(const Bits& other) {
    bits_ += other.bits_;
    return *this;
  }
  std::size_t size() const { return bits_.size(); }
  std::string text() const {
    std::string out;
    for (std::size_t i = 0; i < bits_.size(); i += 6) {
      int v = 0;
      for (std::size_t j = i; j < i + 6; ++j) v = v * 2 + (j < bits_.size() && bits_[j] == '1');
      out += kAlphabet[static_cast<std::size_t>(v)];
    }
    return out;
  }

 private:
  std::string bits_;
};

// The 16 fixed fields of the core segment (213 bits), distinct values by default.
struct Core {
  int version = 2;
  std::uint64_t created = 15834362809, last_updated = 15834362819;
  int cmp_id = 123, cmp_version = 7, consent_screen = 2;
  std::string_view language = "EN";
  int vendor_list_version = 150, policy = 4;
  bool service_specific = true, non_standard_texts = false;
  std::vector<int> special_features = {1};
  std::vector<int> purposes = {1, 2, 7, 10};
  std::vector<int> purposes_li = {2, 7, 24};
  bool purpose_one_treatment = true;
  std::string_view publisher_cc = "FR";
};

Bits core_fields(const Core& c) {
  Bits b;
  b.add(static_cast<std::uint64_t>(c.version), 6)
      .add(c.created, 36)
      .add(c.last_updated, 36)
      .add(static_cast<std::uint64_t>(c.cmp_id), 12)
      .add(static_cast<std::uint64_t>(c.cmp_version), 12)
      .add(static_cast<std::uint64_t>(c.consent_screen), 6)
      .letters(c.language)
      .add(static_cast<std::uint64_t>(c.vendor_list_version), 12)
      .add(static_cast<std::uint64_t>(c.policy), 6)
      .flag(c.service_specific)
      .flag(c.non_standard_texts)
      .ids(c.special_features, 12)
      .ids(c.purposes, 24)
      .ids(c.purposes_li, 24)
      .flag(c.purpose_one_treatment)
      .letters(c.publisher_cc);
  return b;
}

struct Entry {
  int first, last;
};

// NumEntries, then the entries; an entry of one vendor is written without an end.
Bits range_entries(const std::vector<Entry>& entries) {
  Bits b;
  b.add(entries.size(), 12);
  for (const Entry& e : entries) {
    b.flag(e.first != e.last).add(static_cast<std::uint64_t>(e.first), 16);
    if (e.first != e.last) b.add(static_cast<std::uint64_t>(e.last), 16);
  }
  return b;
}

Bits bitfield_section(int max_id, const std::vector<int>& ids) {
  Bits b;
  b.add(static_cast<std::uint64_t>(max_id), 16).flag(false).ids(ids, max_id);
  return b;
}

Bits range_section(int max_id, const std::vector<Entry>& entries) {
  Bits b;
  b.add(static_cast<std::uint64_t>(max_id), 16).flag(true).append(range_entries(entries));
  return b;
}

struct Restriction {
  int purpose, type;
  std::vector<Entry> entries;
};

Bits restrictions(const std::vector<Restriction>& list) {
  Bits b;
  b.add(list.size(), 12);
  for (const Restriction& r : list)
    b.add(static_cast<std::uint64_t>(r.purpose), 6)
        .add(static_cast<std::uint64_t>(r.type), 2)
        .append(range_entries(r.entries));
  return b;
}

// A core segment: the fixed fields, empty vendor sections and no restrictions unless given.
Bits core_segment(const Core& c = {}, const Bits& consents = bitfield_section(0, {}),
                  const Bits& li = bitfield_section(0, {}), const Bits& pub = restrictions({})) {
  return core_fields(c).append(consents).append(li).append(pub);
}

Bits segment(int type, const Bits& body) {
  Bits b;
  b.add(static_cast<std::uint64_t>(type), 3).append(body);
  return b;
}

Bits publisher_tc(const std::vector<int>& consent, const std::vector<int>& li, int custom,
                  const std::vector<int>& custom_consent, const std::vector<int>& custom_li) {
  Bits b;
  b.ids(consent, 24).ids(li, 24).add(static_cast<std::uint64_t>(custom), 6);
  b.ids(custom_consent, custom).ids(custom_li, custom);
  return segment(3, b);
}

TcString decoded(const std::string& text) {
  const Result<TcString> r = decode_tc_string(text);
  // The message is built whether or not the check fails: error() only when there is one.
  BOOST_REQUIRE_MESSAGE(r.ok(), text << ": " << (r.ok() ? "" : r.error().message));
  return r.value();
}

std::string refusal(const std::string& text) {
  const Result<TcString> r = decode_tc_string(text);
  BOOST_REQUIRE_MESSAGE(!r.ok(), text << " was accepted");
  BOOST_TEST((r.error().code == ErrorCode::kInvalidArgument));
  return r.error().message;
}

std::vector<int> members(const VendorSet& set, int up_to = 1000) {
  std::vector<int> out;
  for (int id = 1; id <= up_to; ++id)
    if (set.contains(static_cast<std::uint16_t>(id))) out.push_back(id);
  return out;
}

// A string and the whole message of its refusal.
struct Refusal {
  std::string text;
  std::string_view message;
};

void expect_refusals(const std::vector<Refusal>& cases) {
  for (const Refusal& c : cases)
    BOOST_TEST_CONTEXT(c.text) BOOST_TEST(refusal(c.text) == c.message);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_sixteen_core_fields_are_read_in_order_at_their_widths) {
  const Core c;
  BOOST_REQUIRE_EQUAL(core_fields(c).size(), 213u);
  const TcString tc = decoded(core_segment(c).text());
  BOOST_TEST(tc.version == 2);
  BOOST_TEST(tc.created_deciseconds == 15834362809u);
  BOOST_TEST(tc.last_updated_deciseconds == 15834362819u);
  BOOST_TEST(tc.cmp_id == 123);
  BOOST_TEST(tc.cmp_version == 7);
  BOOST_TEST(tc.consent_screen == 2);
  BOOST_TEST(std::string(tc.consent_language.data(), 2) == "EN");
  BOOST_TEST(tc.vendor_list_version == 150);
  BOOST_TEST(tc.policy_version == 4);
  BOOST_TEST(tc.is_service_specific);
  BOOST_TEST(!tc.use_non_standard_texts);
  BOOST_TEST(tc.special_feature_opt_ins == 0b1u);
  BOOST_TEST(tc.purposes_consent == (1u << 0 | 1u << 1 | 1u << 6 | 1u << 9));
  BOOST_TEST(tc.purposes_li_transparency == (1u << 1 | 1u << 6 | 1u << 23));
  BOOST_TEST(tc.purpose_one_treatment);
  BOOST_TEST(std::string(tc.publisher_cc.data(), 2) == "FR");
  BOOST_TEST(!tc.disclosed_vendors.has_value());
  BOOST_TEST(!tc.allowed_vendors.has_value());
  BOOST_TEST(!tc.publisher_tc.has_value());
}

BOOST_AUTO_TEST_CASE(the_largest_values_of_each_field_are_read_whole) {
  Core c;
  c.created = c.last_updated = (std::uint64_t{1} << 36) - 1;
  c.cmp_id = c.cmp_version = c.vendor_list_version = 4095;
  c.consent_screen = 63;
  c.language = c.publisher_cc = "ZZ";
  c.policy = 2;  // LI for 3-6 is allowed before TCF 2.2
  c.special_features = {1, 12};
  c.purposes = c.purposes_li = {1, 3, 4, 5, 6, 24};
  const TcString tc = decoded(core_segment(c).text());
  BOOST_TEST(tc.created_deciseconds == (std::uint64_t{1} << 36) - 1);
  BOOST_TEST(tc.cmp_id == 4095);
  BOOST_TEST(tc.consent_screen == 63);
  BOOST_TEST(std::string(tc.consent_language.data(), 2) == "ZZ");
  BOOST_TEST(tc.special_feature_opt_ins == (1u | 1u << 11));
  BOOST_TEST(tc.purpose_consent(24));
  BOOST_TEST(!tc.purpose_consent(25));
  BOOST_TEST(tc.purpose_li(3));
  BOOST_TEST(tc.purpose_li(24));
}

BOOST_AUTO_TEST_CASE(vendor_sets_are_the_same_whichever_encoding_wrote_them) {
  struct Case {
    std::string_view name;
    Bits consents;
    std::vector<VendorRange> ranges;  // the set, as the decoder keeps it
    int num_entries;                  // as written; -1 for a bitfield
  };
  const std::vector<VendorRange> set = {{1, 3}, {7, 7}, {12, 12}};
  const Case cases[] = {
      {"an empty bitfield", bitfield_section(0, {}), {}, -1},
      {"a bitfield", bitfield_section(12, {1, 2, 3, 7, 12}), set, -1},
      {"a bitfield of zeros", bitfield_section(40, {}), {}, -1},
      {"ranges", range_section(12, {{1, 3}, {7, 7}, {12, 12}}), set, 3},
      {"single ids that touch", range_section(12, {{1, 1}, {2, 2}, {3, 3}, {7, 7}, {12, 12}}), set,
       5},
      {"ranges out of order", range_section(12, {{12, 12}, {7, 7}, {1, 3}}), set, 3},
      {"overlapping and repeated ranges",
       range_section(12, {{2, 3}, {1, 2}, {7, 7}, {7, 7}, {12, 12}, {1, 3}}), set, 6},
      {"one range swallowing others",
       range_section(12, {{2, 2}, {7, 7}, {10, 10}, {1, 12}}),
       {{1, 12}},
       4},
      {"no range entries", range_section(50, {}), {}, 0},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      const TcString tc = decoded(core_segment({}, c.consents).text());
      const VendorSection& s = tc.vendor_consents;
      BOOST_REQUIRE_EQUAL(s.vendors.ranges.size(), c.ranges.size());
      std::vector<int> ids;
      for (std::size_t i = 0; i < c.ranges.size(); ++i) {
        BOOST_TEST(s.vendors.ranges[i].first == c.ranges[i].first);
        BOOST_TEST(s.vendors.ranges[i].last == c.ranges[i].last);
        for (int id = c.ranges[i].first; id <= c.ranges[i].last; ++id) ids.push_back(id);
      }
      BOOST_TEST(members(s.vendors) == ids, boost::test_tools::per_element());
      BOOST_TEST(s.range_encoded == (c.num_entries >= 0));
      BOOST_TEST(s.num_entries == std::max(c.num_entries, 0));
      BOOST_TEST(!tc.vendor_consent(0));
      BOOST_TEST(!tc.vendor_consent(13));
    }
  }
}

BOOST_AUTO_TEST_CASE(vendor_ids_reach_65535_in_both_encodings) {
  const TcString ranged = decoded(
      core_segment({}, range_section(65535, {{1, 65535}}), range_section(65535, {{65535, 65535}}))
          .text());
  BOOST_TEST(ranged.vendor_consents.vendors.ranges.size() == 1u);
  BOOST_TEST(ranged.vendor_consent(1));
  BOOST_TEST(ranged.vendor_consent(65535));
  BOOST_TEST(!ranged.vendor_consent(65536));
  BOOST_TEST(!ranged.vendor_li(65534));
  BOOST_TEST(ranged.vendor_li(65535));

  Bits big;
  big.add(65535, 16).flag(false).ids({1, 65535}, 65535);
  const TcString bitfield = decoded(core_segment({}, big).text());
  BOOST_TEST(bitfield.vendor_consents.max_vendor_id == 65535);
  BOOST_TEST(bitfield.vendor_consents.vendors.ranges.size() == 2u);
  BOOST_TEST(bitfield.vendor_consent(65535));
  BOOST_TEST(!bitfield.vendor_consent(65534));
}

BOOST_AUTO_TEST_CASE(publisher_restrictions_keep_repeated_entries_and_answer_with_the_strictest) {
  const Bits pub = restrictions({
      {1, 1, {{7, 7}, {7, 7}, {20, 20}}},  // the same vendor twice (iabtcf-es issue 201)
      {1, 1, {{30, 31}}},                  // the same purpose and type again
      {2, 2, {{7, 7}}},
      {2, 0, {{7, 7}}},  // a stricter restriction on the same pair
      {3, 2, {}},        // an entry with no vendors
  });
  const TcString tc =
      decoded(core_segment({}, bitfield_section(0, {}), bitfield_section(0, {}), pub).text());
  BOOST_REQUIRE_EQUAL(tc.publisher_restrictions.size(), 5u);
  BOOST_TEST(tc.publisher_restrictions[0].purpose == 1);
  BOOST_TEST((tc.publisher_restrictions[0].type == RestrictionType::kRequireConsent));
  BOOST_TEST(members(tc.publisher_restrictions[0].vendors) == (std::vector<int>{7, 20}),
             boost::test_tools::per_element());
  BOOST_TEST(tc.publisher_restrictions[4].vendors.ranges.empty());

  struct Case {
    int purpose, vendor;
    std::optional<RestrictionType> expected;
  };
  const Case cases[] = {
      {1, 7, RestrictionType::kRequireConsent},
      {1, 31, RestrictionType::kRequireConsent},
      {1, 8, std::nullopt},
      {2, 7, RestrictionType::kNotAllowed},
      {3, 7, std::nullopt},
      {4, 7, std::nullopt},
      {1, 0, std::nullopt},
      {1, 70000, std::nullopt},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("purpose " << c.purpose << " vendor " << c.vendor) {
      BOOST_TEST((tc.restriction(c.purpose, c.vendor) == c.expected));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_optional_segments_are_read_by_their_type_in_any_order) {
  const std::string text = core_segment().text() + "." +
                           publisher_tc({1, 3}, {2, 24}, 3, {2}, {1, 3}).text() + "." +
                           segment(2, range_section(60, {{50, 60}})).text() + "." +
                           segment(1, bitfield_section(9, {1, 9})).text();
  const TcString tc = decoded(text);
  BOOST_REQUIRE(tc.disclosed_vendors.has_value());
  BOOST_TEST(members(tc.disclosed_vendors->vendors) == (std::vector<int>{1, 9}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(tc.allowed_vendors.has_value());
  BOOST_TEST(tc.allowed_vendors->range_encoded);
  BOOST_TEST(tc.allowed_vendors->vendors.contains(55));
  BOOST_REQUIRE(tc.publisher_tc.has_value());
  BOOST_TEST(tc.publisher_tc->num_custom_purposes == 3);
  BOOST_TEST((tc.publisher_purpose_consent(1) == true));
  BOOST_TEST((tc.publisher_purpose_consent(2) == false));
  BOOST_TEST((tc.publisher_purpose_li(2) == true));
  BOOST_TEST((tc.publisher_purpose_li(24) == true));
  BOOST_TEST(tc.custom_purpose_consent(2));
  BOOST_TEST(!tc.custom_purpose_consent(1));
  BOOST_TEST(tc.custom_purpose_li(3));
  BOOST_TEST(!tc.custom_purpose_li(4));

  const TcString core_only = decoded(core_segment().text());
  BOOST_TEST(!core_only.publisher_purpose_consent(1).has_value());
  BOOST_TEST(!core_only.publisher_purpose_li(2).has_value());
  BOOST_TEST(!core_only.custom_purpose_consent(1));
}

BOOST_AUTO_TEST_CASE(sixty_three_custom_purposes_fit_their_mask) {
  const TcString tc =
      decoded(core_segment().text() + "." + publisher_tc({}, {}, 63, {1, 63}, {62}).text());
  BOOST_TEST(tc.custom_purpose_consent(1));
  BOOST_TEST(tc.custom_purpose_consent(63));
  BOOST_TEST(!tc.custom_purpose_consent(62));
  BOOST_TEST(tc.custom_purpose_li(62));
  BOOST_TEST(!tc.custom_purpose_consent(64));
}

BOOST_AUTO_TEST_CASE(segments_of_unknown_types_are_skipped_unread) {
  for (const int type : {0, 4, 5, 6, 7}) {
    BOOST_TEST_CONTEXT("type " << type) {
      Bits unknown;
      unknown.add(static_cast<std::uint64_t>(type), 3).add(0x3FFFFFF, 26);  // any bits at all
      const TcString tc =
          decoded(core_segment().text() + "." + unknown.text() + "." +
                  segment(1, bitfield_section(3, {2})).text() + "." + unknown.text());
      BOOST_REQUIRE(tc.disclosed_vendors.has_value());
      BOOST_TEST(tc.disclosed_vendors->vendors.contains(2));
    }
  }
  // Three bits are enough to be skipped: one character.
  BOOST_TEST(decode_tc_string(core_segment().text() + ".w").ok());
}

BOOST_AUTO_TEST_CASE(the_tcf_2_2_legitimate_interest_rule_refuses_purposes_3_to_6_from_policy_4) {
  struct Case {
    int policy;
    std::vector<int> li;
    std::string_view refusal;  // empty: accepted
  };
  const Case cases[] = {
      {2, {3, 4, 5, 6}, ""},
      {3, {6}, ""},
      {4, {2, 7, 8, 9, 10, 11}, ""},
      {4,
       {3},
       "TC string segment 1 (core), bit 178: PurposesLITransparency sets purpose 3, "
       "which TCF 2.2 forbids for purposes 3 to 6 (TcfPolicyVersion 4)"},
      {4, {4, 8}, "bit 179: PurposesLITransparency sets purpose 4,"},
      {5, {5}, "bit 180: PurposesLITransparency sets purpose 5,"},
      {5,
       {2, 6},
       "bit 181: PurposesLITransparency sets purpose 6, which TCF 2.2 forbids for "
       "purposes 3 to 6 (TcfPolicyVersion 5)"},
      {6,
       {},
       "TC string segment 1 (core), bit 132: TcfPolicyVersion 6 is newer than the "
       "policies this decoder knows (up to 5)"},
      {63, {}, "TcfPolicyVersion 63 is newer"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("policy " << c.policy) {
      Core core;
      core.policy = c.policy;
      core.purposes_li = c.li;
      const std::string text = core_segment(core).text();
      if (c.refusal.empty())
        BOOST_TEST(decode_tc_string(text).ok());
      else
        BOOST_TEST(refusal(text).find(c.refusal) != std::string::npos, refusal(text));
    }
  }
}

BOOST_AUTO_TEST_CASE(purpose_1_under_legitimate_interest_is_kept_as_written_but_never_granted) {
  for (const int policy : {2, 4, 5}) {
    Core core;
    core.policy = policy;
    core.purposes_li = {1, 2};
    const TcString tc =
        decoded(core_segment(core).text() + "." + publisher_tc({}, {1, 2, 3}, 0, {}, {}).text());
    BOOST_TEST(mask_has(tc.purposes_li_transparency, 1));
    BOOST_TEST(!tc.purpose_li(1));
    BOOST_TEST(tc.purpose_li(2));
    BOOST_TEST((tc.publisher_purpose_li(1) == false));
    BOOST_TEST((tc.publisher_purpose_li(2) == true));
    // The publisher's purpose 3 on LI is not refused (no decoder refuses it) but from TCF 2.2
    // on it is not granted either.
    BOOST_TEST((tc.publisher_purpose_li(3) == (policy < 4)));
  }
}

BOOST_AUTO_TEST_CASE(only_version_2_strings_are_read) {
  for (const int version : {0, 1, 3, 63}) {
    Core core;
    core.version = version;
    BOOST_TEST_CONTEXT("version " << version) {
      const std::string message = refusal(core_segment(core).text());
      BOOST_TEST(message == "TC string segment 1 (core), bit 0: Version is " +
                                std::to_string(version) + ", not 2: only TCF v2 strings are read");
    }
  }
  // A TCF v1.1 string begins with 'B' (version 1): refused however it goes on.
  BOOST_TEST(refusal("B" + std::string(30, 'A')).find("Version is 1, not 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(trailing_padding_is_accepted_at_the_end_of_any_segment_and_nowhere_else) {
  const std::string core = core_segment().text();
  const std::string disclosed = segment(1, bitfield_section(3, {2})).text();
  for (const std::string& text :
       {core + "=", core + "==", core + "=." + disclosed + "==", core + "." + disclosed + "="})
    BOOST_TEST_CONTEXT(text) BOOST_TEST(decode_tc_string(text).ok());
  BOOST_TEST(refusal(core.substr(0, 4) + "=" + core.substr(4)) ==
             "TC string segment 1, character 4: '=' is not base64url (A-Z a-z 0-9 - _)");
  BOOST_TEST(refusal(core + ".=") == "TC string segment 2 is empty");
}

BOOST_AUTO_TEST_CASE(empty_strings_and_empty_segments_are_refused) {
  const std::string core = core_segment().text();
  expect_refusals({
      {"", "TC string is empty"},
      {".", "TC string segment 1 is empty"},
      {"=", "TC string segment 1 is empty"},
      {"." + core, "TC string segment 1 is empty"},
      {core + ".", "TC string segment 2 is empty"},
      {core + ".." + core, "TC string segment 2 is empty"},
  });
}

BOOST_AUTO_TEST_CASE(characters_outside_base64url_are_refused_by_their_place) {
  const std::string core = core_segment().text();
  BOOST_REQUIRE_EQUAL(core.size(), 44u);
  expect_refusals({
      {"C+", "TC string segment 1, character 1: '+' is not base64url (A-Z a-z 0-9 - _)"},
      {"C/AA", "TC string segment 1, character 1: '/' is not base64url (A-Z a-z 0-9 - _)"},
      {" " + core, "TC string segment 1, character 0: byte 32 is not base64url (A-Z a-z 0-9 - _)"},
      {core + "\n",
       "TC string segment 1, character 44: byte 10 is not base64url (A-Z a-z 0-9 - _)"},
      {core + ".I\xC3\xA9",
       "TC string segment 2, character 1: byte 195 is not base64url (A-Z a-z 0-9 - _)"},
      {std::string("C\0A", 3),
       "TC string segment 1, character 1: byte 0 is not base64url (A-Z a-z 0-9 - _)"},
      {"euconsent-v2=" + core,
       "TC string segment 1, character 12: '=' is not base64url (A-Z a-z 0-9 - _)"},
  });
}

BOOST_AUTO_TEST_CASE(malformed_fields_are_refused_with_their_segment_and_bit) {
  const Core core;
  Core bad_language;
  bad_language.language = "E[";  // letter 26
  Core bad_country;
  bad_country.publisher_cc = "a@";  // 'a' - 'A' = 32
  const Bits empty = bitfield_section(0, {});
  expect_refusals({
      // a letter past Z
      {core_segment(bad_language).text(),
       "TC string segment 1 (core), bit 114: ConsentLanguage letter 26 is not A-Z (0-25)"},
      // a country letter past Z
      {core_segment(bad_country).text(),
       "TC string segment 1 (core), bit 201: PublisherCC letter 32 is not A-Z (0-25)"},
      // vendor 0
      {core_segment(core, range_section(10, {{0, 3}})).text(),
       "TC string segment 1 (core), bit 242: vendor consents: range entry 1 (vendors 0 to 3) "
       "names vendor 0; vendor ids start at 1"},
      // a range ending before it starts
      {core_segment(core, empty, range_section(10, {{1, 1}, {5, 4}})).text(),
       "TC string segment 1 (core), bit 276: vendor legitimate interests: range entry 2 "
       "(vendors 5 to 4) ends before it starts"},
      // a vendor past MaxVendorId
      {core_segment(core, range_section(10, {{11, 11}})).text(),
       "TC string segment 1 (core), bit 242: vendor consents: range entry 1 (vendors 11 to 11) "
       "goes past MaxVendorId 10"},
      // restriction type 3
      {core_segment(core, empty, empty, restrictions({{1, 1, {}}, {2, 3, {}}})).text(),
       "TC string segment 1 (core), bit 279: publisher restrictions: restriction 2 has "
       "RestrictionType 3, which is undefined"},
      // restriction purpose 0
      {core_segment(core, empty, empty, restrictions({{0, 1, {}}})).text(),
       "TC string segment 1 (core), bit 259: publisher restrictions: restriction 1 names "
       "purpose 0; purposes start at 1"},
      // a second disclosed vendors segment
      {core_segment().text() + "." + segment(1, empty).text() + "." + segment(1, empty).text(),
       "TC string segment 3 (disclosed vendors), bit 0: a second disclosed vendors segment"},
      // a publisher TC segment cut short
      {core_segment().text() + "." + segment(3, Bits().ids({1}, 24)).text(),
       "TC string segment 2 (publisher TC), bit 27: PubPurposesLITransparency (24 bits) runs past "
       "the end of the segment (3 bits left)"},
      // custom purposes cut short
      {core_segment().text() + "." + segment(3, Bits().ids({}, 48).add(40, 6).ids({1}, 40)).text(),
       "TC string segment 2 (publisher TC), bit 97: CustomPurposesLITransparency (40 bits) runs "
       "past the end of the segment (5 bits left)"},
  });
}

BOOST_AUTO_TEST_CASE(huge_counts_in_short_strings_are_refused_at_once) {
  const Bits empty = bitfield_section(0, {});
  Bits max_bitfield;  // 65535 vendors declared, 60 written
  max_bitfield.add(65535, 16).flag(false).ids({1}, 60);
  Bits many_entries;  // 4095 entries declared, one written
  many_entries.add(65535, 16).flag(true).add(4095, 12).flag(true).add(1, 16).add(65535, 16);
  Bits many_restrictions;  // 4095 restrictions declared, the first of 4095 entries, none written
  many_restrictions.add(4095, 12).add(1, 6).add(0, 2).add(4095, 12);
  expect_refusals({
      // a bitfield of 65535 vendors
      {core_segment({}, max_bitfield).text(),
       "TC string segment 1 (core), bit 230: vendor consents: the bitfield of 65535 vendors runs "
       "past the end of the segment (94 bits left)"},
      // 4095 range entries
      {core_segment().text() + "." + segment(1, many_entries).text(),
       "TC string segment 2 (disclosed vendors), bit 66: StartOrOnlyVendorId (16 bits) runs past "
       "the end of the segment (0 bits left)"},
      // 4095 restrictions of 4095 entries
      {core_segment({}, empty, empty, many_restrictions).text(),
       "TC string segment 1 (core), bit 280: publisher restrictions: StartOrOnlyVendorId (16 bits) "
       "runs past the end of the segment (2 bits left)"},
      // a disclosed bitfield past the end (iabtcf-es issue 142)
      {core_segment().text() + "." +
           segment(1, Bits().add(800, 16).flag(false).ids({1}, 20)).text(),
       "TC string segment 2 (disclosed vendors), bit 20: the bitfield of 800 vendors runs past "
       "the end of the segment (22 bits left)"},
  });
}

// A string with every kind of section. Bits::text pads only to the next character, so no
// character holds padding alone: cutting the string anywhere inside a segment loses bits that
// its fields declare.
std::string full_string() {
  return core_segment({}, range_section(400, {{1, 3}, {200, 200}, {300, 400}}),
                      bitfield_section(9, {2, 5}),
                      restrictions({{1, 1, {{7, 7}}}, {2, 0, {{9, 12}}}}))
             .text() +
         "." + segment(1, range_section(30, {{1, 30}})).text() + "." +
         segment(2, bitfield_section(12, {12})).text() + "." +
         publisher_tc({1}, {2}, 6, {1}, {6}).text();
}

BOOST_AUTO_TEST_CASE(a_string_cut_at_any_character_is_refused_unless_cut_between_segments) {
  const std::string text = full_string();
  const TcString whole = decoded(text);
  BOOST_REQUIRE(whole.publisher_tc.has_value());
  BOOST_REQUIRE(whole.allowed_vendors.has_value());
  std::size_t refused = 0, accepted = 0;
  for (std::size_t length = 0; length < text.size(); ++length) {
    const std::string cut = text.substr(0, length);
    const Result<TcString> r = decode_tc_string(cut);
    const bool between_segments = length > 0 && text[length] == '.';
    BOOST_TEST_CONTEXT("cut at " << length << ": " << cut) {
      if (between_segments) {
        BOOST_TEST(r.ok());
        ++accepted;
      } else {
        BOOST_TEST(!r.ok());
        if (!r.ok()) {
          BOOST_TEST(r.error().message.rfind(
                         length == 0 ? "TC string is empty" : "TC string segment ", 0) == 0u,
                     r.error().message);
          ++refused;
        }
      }
    }
  }
  BOOST_TEST(accepted == 3u);
  BOOST_TEST(refused == text.size() - 3);
}

BOOST_AUTO_TEST_CASE(any_bit_flipped_or_any_character_changed_decodes_or_is_refused_safely) {
  const std::string text = full_string();
  std::size_t decoded_count = 0, refused_count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') continue;
    const int v = static_cast<int>(kAlphabet.find(text[i]));
    for (int bit = 0; bit < 6; ++bit) {
      std::string flipped = text;
      flipped[i] = kAlphabet[static_cast<std::size_t>(v ^ (1 << bit))];
      const Result<TcString> r = decode_tc_string(flipped);
      (r.ok() ? decoded_count : refused_count)++;
      if (!r.ok()) BOOST_TEST(r.error().message.rfind("TC string segment ", 0) == 0u);
    }
    for (const char c : {'.', '=', '!', '\0', '\xFF'}) {
      std::string changed = text;
      changed[i] = c;
      (decode_tc_string(changed).ok() ? decoded_count : refused_count)++;
    }
  }
  BOOST_TEST(decoded_count > 0u);
  BOOST_TEST(refused_count > 0u);
}

BOOST_AUTO_TEST_CASE(random_tails_after_valid_fixed_fields_decode_or_are_refused_safely) {
  // Valid fixed fields (36 characters cover their 213 bits), then random characters, dots and
  // padding, so that the reads reach the vendor sections, restrictions and later segments. A
  // fixed linear congruential sequence: the same strings on every run.
  const std::string fixed = core_segment().text().substr(0, 36);
  std::uint32_t state = 12345;
  const auto next = [&state] { return state = state * 1103515245u + 12345u, state >> 8; };
  int accepted = 0;
  for (int n = 0; n < 5000; ++n) {
    std::string text = fixed;
    const std::uint32_t length = next() % 200;
    for (std::uint32_t i = 0; i < length; ++i) {
      const std::uint32_t r = next() % 68;
      text += r < 64 ? kAlphabet[r] : r < 66 ? '.' : r < 67 ? '=' : 'A';
    }
    const Result<TcString> decoded = decode_tc_string(text);
    accepted += decoded.ok();
    if (!decoded.ok()) BOOST_TEST(decoded.error().message.rfind("TC string segment ", 0) == 0u);
  }
  BOOST_TEST_MESSAGE(accepted << " of 5000 random tails decoded");
}

BOOST_AUTO_TEST_CASE(random_vendor_sets_read_back_the_same_from_both_encodings) {
  std::uint32_t state = 777;
  const auto next = [&state] { return state = state * 1103515245u + 12345u, state >> 8; };
  for (int n = 0; n < 300; ++n) {
    const int max_id = 1 + static_cast<int>(next() % 3000);
    std::vector<bool> in(static_cast<std::size_t>(max_id) + 1);
    std::vector<int> ids;
    std::vector<Entry> entries;
    // Runs of random length: single vendors, short and long ranges.
    for (int id = 1; id <= max_id;) {
      const int run = 1 + static_cast<int>(next() % (next() % 4 == 0 ? 200 : 3));
      const int last = std::min(max_id, id + run - 1);
      if (next() % 2) {
        for (int v = id; v <= last; ++v) in[static_cast<std::size_t>(v)] = true, ids.push_back(v);
        entries.push_back({id, last});
      }
      id = last + 1 + static_cast<int>(next() % 5);
    }
    // Range entries in a shuffled order, and part of the first one written again.
    for (std::size_t i = entries.size(); i > 1; --i) std::swap(entries[i - 1], entries[next() % i]);
    if (!entries.empty() && entries[0].last > entries[0].first)
      entries.push_back(
          {entries[0].first, entries[0].first + (entries[0].last - entries[0].first) / 2});
    if (entries.size() > 4095) entries.resize(4095);  // NumEntries is 12 bits; rarely reached
    const TcString bitfield = decoded(core_segment({}, bitfield_section(max_id, ids)).text());
    const TcString ranged = decoded(core_segment({}, range_section(max_id, entries)).text());
    for (int id = 0; id <= max_id + 1; ++id) {
      const bool want = id >= 1 && id <= max_id && in[static_cast<std::size_t>(id)];
      if (bitfield.vendor_consent(id) != want || ranged.vendor_consent(id) != want)
        BOOST_ERROR("case " << n << ", vendor " << id << ": expected " << want);
    }
    BOOST_TEST(bitfield.vendor_consents.vendors.ranges.size() ==
               ranged.vendor_consents.vendors.ranges.size());
  }
}

BOOST_AUTO_TEST_CASE(mask_has_answers_for_ids_1_to_64_only) {
  BOOST_TEST(mask_has(1, 1));
  BOOST_TEST(!mask_has(1, 2));
  BOOST_TEST(mask_has(std::uint64_t{1} << 63, 64));
  BOOST_TEST(!mask_has(~std::uint64_t{0}, 0));
  BOOST_TEST(!mask_has(~std::uint64_t{0}, 65));
  BOOST_TEST(!mask_has(~std::uint64_t{0}, -1));
}

BOOST_AUTO_TEST_CASE(ids_outside_their_ranges_are_never_granted) {
  Core core;
  core.purposes = {1, 24};
  core.special_features = {1, 12};
  const TcString tc = decoded(core_segment(core, range_section(65535, {{1, 65535}})).text());
  for (const int id : {0, -1, 25, 64, 65, 1000}) {
    BOOST_TEST_CONTEXT("purpose " << id) {
      BOOST_TEST(!tc.purpose_consent(id));
      BOOST_TEST(!tc.purpose_li(id));
    }
  }
  BOOST_TEST(!tc.special_feature_opt_in(13));
  BOOST_TEST(tc.special_feature_opt_in(12));
  for (const int id : {0, -1, 65536, 1 << 20})
    BOOST_TEST_CONTEXT("vendor " << id) BOOST_TEST(!tc.vendor_consent(id));
}
