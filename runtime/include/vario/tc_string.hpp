// The IAB TCF v2 TC string (TCF 2.0 to 2.2, and the policy-5 strings of the 2.3 era): what a
// consent management platform stores in the `euconsent-v2` cookie. The engine decodes it so that
// a returning visitor is decided at once instead of after the CMP script has loaded. Mapping the
// decoded signals onto Vario's consent capabilities is not done here: this header only says
// what the string says.
//
// What decode_tc_string promises:
//   - It reads the core segment (all 16 fixed fields, the vendor consent and vendor legitimate-
//     interest sections in bitfield or range encoding, the publisher restrictions) and the
//     optional segments by their 3-bit SegmentType: 1 disclosed vendors, 2 allowed vendors,
//     3 publisher TC. A segment of any other type is skipped unread.
//   - Every read is bounds-checked: malformed input of any length or content yields an error,
//     never a read outside the input. Errors are ErrorCode::kInvalidArgument with a message
//     naming the segment (1-based, the core is segment 1) and the bit offset in that segment
//     ("TC string segment 2 (disclosed vendors), bit 20: ..."); bad characters are named by
//     their offset in the segment.
//   - A string that is not conformant is refused rather than partly believed: the caller is to
//     treat a refused string as no consent at all, which is the safe side. Refused are
//     version 1 (and any version but 2), a policy version above 5, a bitfield or range list
//     running past the end of its segment, a vendor id of 0 or above the section's
//     MaxVendorId, a range whose end is before its start, restriction type 3 (undefined) or
//     purpose 0 in a publisher restriction, a letter code outside A-Z, an empty segment, a
//     second segment of the same type, and, from policy version 4 (TCF 2.2) on, a core
//     segment with legitimate interest set for purposes 3, 4, 5 or 6. The last rule is
//     LiveRamp/iabconsent's; iabtcf-es clears those bits when it encodes instead, a repair
//     only the encoder may make: a decoder cannot tell which other signals of a string broken
//     this way are also wrong.
//   - Legitimate interest for purpose 1 is never a legal basis in TCF v2, but iabconsent
//     accepts strings that set it (one of its own fixtures does), so the string is not refused
//     for it: the bit is kept as written and purpose_li(1) is always false.
//   - Base64url is read without padding; trailing '=' at the end of a segment is accepted, as
//     the Java decoder (iabtcf-java) accepts it. Bits after a segment's last field (the
//     encoder's zero padding to a whole character) are ignored.
//   - Memory: vendor sets are kept as sorted ranges, about 4 bytes per range; a set of
//     vendors 1 to 65535 is one range. The worst case (alternate vendors in a bitfield) is
//     bounded by the input: 4 bytes per 2 bits read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "vario/result.hpp"

namespace vario {

// Whether `id` (1-based) is in a set of ids stored as a mask, bit id-1 = id: the purposes
// (24 bits), special features (12 bits) and custom purposes (up to 63) of a TC string. False
// for ids outside 1..64.
constexpr bool mask_has(std::uint64_t mask, int id) {
  return id >= 1 && id <= 64 && ((mask >> (id - 1)) & 1) != 0;
}

// Vendors first..last, inclusive.
struct VendorRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;
};

// A set of vendor ids (1..65535) as sorted ranges: ascending, disjoint and never adjacent, so
// each set has one representation whatever encoding or entry order the string used.
struct VendorSet {
  std::vector<VendorRange> ranges;
  bool contains(std::uint16_t id) const;
};

// A vendor section as the string wrote it: the vendor consents and vendor legitimate
// interests of the core segment, and the disclosed-vendors and allowed-vendors segments.
struct VendorSection {
  std::uint16_t max_vendor_id = 0;  // MaxVendorId: no vendor above it is in the set
  bool range_encoded = false;       // IsRangeEncoding: range entries (true) or a bitfield
  std::uint16_t num_entries = 0;    // NumEntries of a range encoding, as written; else 0
  VendorSet vendors;
};

// The publisher's restriction on how vendors may process one purpose.
enum class RestrictionType : std::uint8_t {
  kNotAllowed = 0,                 // purpose flatly not allowed for these vendors
  kRequireConsent = 1,             // vendors with a flexible basis must use consent
  kRequireLegitimateInterest = 2,  // vendors with a flexible basis must use LI
};

// One PubRestrictionEntry. The same (purpose, type) pair and the same vendor may appear in
// several entries (iabtcf-es issue 201): entries are kept as written, in order.
struct PublisherRestriction {
  std::uint8_t purpose = 0;  // PurposeId, 1..63
  RestrictionType type = RestrictionType::kNotAllowed;
  VendorSet vendors;
};

// The publisher TC segment (SegmentType 3): the publisher's own purposes.
struct PublisherTc {
  std::uint32_t purposes_consent = 0;          // PubPurposesConsent, 24 bits
  std::uint32_t purposes_li_transparency = 0;  // PubPurposesLITransparency, 24 bits
  std::uint8_t num_custom_purposes = 0;        // NumCustomPurposes, 0..63
  std::uint64_t custom_purposes_consent = 0;   // CustomPurposesConsent, num_custom_purposes bits
  std::uint64_t custom_purposes_li_transparency = 0;  // CustomPurposesLITransparency
};

// A decoded TC string. Purpose, special-feature and custom-purpose sets are masks, bit i-1 =
// id i (see mask_has). Field names follow the specification's, in its order.
struct TcString {
  // --- core segment ---
  std::uint8_t version = 2;                    // Version: always 2 (others are refused)
  std::uint64_t created_deciseconds = 0;       // Created: deciseconds since the Unix epoch
  std::uint64_t last_updated_deciseconds = 0;  // LastUpdated: deciseconds since the epoch
  std::uint16_t cmp_id = 0;                    // CmpId of the CMP that last updated it
  std::uint16_t cmp_version = 0;               // CmpVersion
  std::uint8_t consent_screen = 0;             // ConsentScreen, CMP-specific
  std::array<char, 2> consent_language{};      // ConsentLanguage, ISO 639-1 letters "EN"
  std::uint16_t vendor_list_version = 0;       // VendorListVersion of the GVL used
  // TcfPolicyVersion: 0-2 TCF 2.0, 3 TCF 2.1, 4 TCF 2.2, 5 the 2.3-era policy, whose bit
  // layout and legitimate-interest rule are those of 2.2 (current encoders write 5).
  std::uint8_t policy_version = 0;
  bool is_service_specific = false;            // IsServiceSpecific
  bool use_non_standard_texts = false;         // UseNonStandardTexts (formerly ...Stacks)
  std::uint16_t special_feature_opt_ins = 0;   // SpecialFeatureOptIns, 12 bits
  std::uint32_t purposes_consent = 0;          // PurposesConsent, 24 bits
  std::uint32_t purposes_li_transparency = 0;  // PurposesLITransparency, 24 bits
  bool purpose_one_treatment = false;          // PurposeOneTreatment
  std::array<char, 2> publisher_cc{};          // PublisherCC, ISO 3166-1 letters "FR"
  VendorSection vendor_consents;               // vendor consent section
  VendorSection vendor_legitimate_interests;   // vendor legitimate-interest section
  std::vector<PublisherRestriction> publisher_restrictions;
  // --- optional segments, present when the string has them ---
  std::optional<VendorSection> disclosed_vendors;  // SegmentType 1
  std::optional<VendorSection> allowed_vendors;    // SegmentType 2 (deprecated in 2.2)
  std::optional<PublisherTc> publisher_tc;         // SegmentType 3

  // --- what the string grants. Out-of-range ids are never granted. ---
  bool purpose_consent(int purpose) const { return mask_has(purposes_consent, purpose); }
  // Legitimate interest established and not objected to, for a purpose on which TCF allows
  // it: never purpose 1, and not purposes 3-6 from policy version 4 on.
  bool purpose_li(int purpose) const;
  bool special_feature_opt_in(int feature) const {
    return mask_has(special_feature_opt_ins, feature);
  }
  bool vendor_consent(int vendor) const;
  bool vendor_li(int vendor) const;
  // The publisher's own purposes: nullopt when the string has no publisher TC segment.
  std::optional<bool> publisher_purpose_consent(int purpose) const;
  std::optional<bool> publisher_purpose_li(int purpose) const;  // same LI rule as purpose_li
  // Custom purposes exist only in the publisher TC segment: false without it.
  bool custom_purpose_consent(int id) const;
  bool custom_purpose_li(int id) const;
  // The publisher's restriction on `vendor` for `purpose`, or nullopt when there is none.
  // Where entries disagree, the strictest wins: not allowed, then require consent, then
  // require legitimate interest.
  std::optional<RestrictionType> restriction(int purpose, int vendor) const;

  // The TCF minor version of the policy: 0 (2.0) for policy versions 0-2, 1 (2.1) for 3,
  // 2 (2.2) for 4 and 5. iabconsent refuses to name one for 5; Vario reads 5 as 2.2, whose
  // bits and rules it keeps, because refusing the strings current CMPs write would leave
  // every visitor without consent.
  int tcf_minor_version() const { return policy_version <= 2 ? 0 : policy_version == 3 ? 1 : 2; }
};

// Decodes a TC string (the euconsent-v2 value, already URL-decoded). See the top of this file
// for what is refused and what the messages say.
Result<TcString> decode_tc_string(std::string_view text);

}  // namespace vario
