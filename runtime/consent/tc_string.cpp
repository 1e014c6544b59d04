// The IAB TC string decoder (vario/tc_string.hpp). It ships in the wasm that every visitor
// downloads, so it is small on purpose: one bounds-checked bit reader, one reader for every
// vendor section, no sorting library, and messages that are built only when a read fails.
#include "vario/tc_string.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "vario/base64url.hpp"
#include "vario/json.hpp"

namespace vario {
namespace {

// The newest TcfPolicyVersion whose rules this decoder knows. A later policy may change what
// the bits mean; until it has been read, its strings are refused (no consent), not guessed at.
constexpr std::uint64_t kMaxPolicyVersion = 5;
// TCF 2.2, from which purposes 3 to 6 may not rest on legitimate interest.
constexpr int kTcf22PolicyVersion = 4;
constexpr std::uint16_t kMaxVendorId = 0xFFFF;

std::string decimal(std::uint64_t n) { return json::to_decimal(n); }

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

// "TC string segment 2 (disclosed vendors)": segments are counted from 1, the core first.
std::string segment_label(std::size_t index, std::string_view name) {
  std::string out = "TC string segment " + decimal(index);
  if (!name.empty()) out.append(" (").append(name).append(")");
  return out;
}

// Reads one segment's bits, most significant first, from its characters' 6-bit values. Every
// read is checked against the segment's length. The first failure is kept, with the bit it
// happened at, and every later read returns 0: a section is read whole and tested once, and
// loops test failed() so that a huge count in a short string stops at once.
class BitReader {
 public:
  BitReader(std::string_view sextets, std::size_t index) : sextets_(sextets), index_(index) {}

  void set_name(std::string_view name) { name_ = name; }
  // What is being read ("vendor consents"), for messages; empty for the core's own fields.
  void set_context(std::string_view context) { context_ = context; }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return sextets_.size() * 6 - pos_; }
  bool failed() const { return !error_.empty(); }
  Error error() const { return invalid(error_); }

  // The next `bits` (at most 64) as an unsigned number.
  std::uint64_t read(std::size_t bits, std::string_view field) {
    if (failed()) return 0;
    if (bits > remaining()) {
      fail_at(pos_, std::string(field) + " (" + decimal(bits) +
                        " bits) runs past the end of the segment (" + decimal(remaining()) +
                        " bits left)");
      return 0;
    }
    std::uint64_t value = 0;
    for (std::size_t end = pos_ + bits; pos_ < end; ++pos_)
      value = value << 1 | ((static_cast<unsigned char>(sextets_[pos_ / 6]) >> (5 - pos_ % 6)) & 1);
    return value;
  }
  bool flag(std::string_view field) { return read(1, field) != 0; }
  // The next `bits` as a set of ids, the first bit read being id 1 (mask bit 0).
  std::uint64_t mask(std::size_t bits, std::string_view field) {
    const std::uint64_t value = read(bits, field);
    std::uint64_t out = 0;
    for (std::size_t i = 0; i < bits; ++i) out |= ((value >> (bits - 1 - i)) & 1) << i;
    return out;
  }

  void fail_at(std::size_t bit, const std::string& what) {
    if (failed()) return;
    error_ = segment_label(index_, name_) + ", bit " + decimal(bit) + ": ";
    if (!context_.empty()) error_.append(context_).append(": ");
    error_ += what;
  }

 private:
  std::string_view sextets_;
  std::size_t index_;
  std::string_view name_;
  std::string_view context_;
  std::size_t pos_ = 0;
  std::string error_;
};

// Adds vendors first..last to a set, keeping it sorted and merged. Encoders write ascending
// ids, so this is nearly always an append or a merge with the last range; other orders cost an
// insertion (std::sort would cost kilobytes of wasm for input that is already sorted).
void add_range(VendorSet& set, std::uint16_t first, std::uint16_t last) {
  std::vector<VendorRange>& r = set.ranges;
  std::size_t i = r.size();
  while (i > 0 && r[i - 1].first > first) --i;
  if (i > 0 && r[i - 1].last + 1 >= first) {
    --i;
    r[i].last = std::max(r[i].last, last);
  } else {
    r.insert(r.begin() + static_cast<std::ptrdiff_t>(i), VendorRange{first, last});
  }
  std::size_t j = i + 1;
  for (; j < r.size() && r[j].first <= r[i].last + 1; ++j)
    r[i].last = std::max(r[i].last, r[j].last);
  r.erase(r.begin() + static_cast<std::ptrdiff_t>(i + 1),
          r.begin() + static_cast<std::ptrdiff_t>(j));
}

// NumEntries, then as many (IsARange, StartOrOnlyVendorId, EndVendorId if IsARange) entries.
// Ids run from 1 to `max_id` (the section's MaxVendorId); an end before its start is refused.
// Returns NumEntries as written.
std::uint16_t read_range_entries(BitReader& r, VendorSet& set, std::uint16_t max_id) {
  const auto count = static_cast<std::uint16_t>(r.read(12, "NumEntries"));
  for (std::uint16_t i = 0; i < count && !r.failed(); ++i) {
    const std::size_t at = r.position();
    const bool is_range = r.flag("IsARange");
    const auto first = static_cast<std::uint16_t>(r.read(16, "StartOrOnlyVendorId"));
    const auto last = is_range ? static_cast<std::uint16_t>(r.read(16, "EndVendorId")) : first;
    if (r.failed()) break;
    if (first == 0 || last < first || last > max_id) {
      r.fail_at(at, "range entry " + decimal(i + 1u) + " (vendors " + decimal(first) + " to " +
                        decimal(last) + ") " +
                        (first == 0     ? std::string("names vendor 0; vendor ids start at 1")
                         : last < first ? std::string("ends before it starts")
                                        : "goes past MaxVendorId " + decimal(max_id)));
      break;
    }
    add_range(set, first, last);
  }
  return count;
}

// A vendor section: MaxVendorId, IsRangeEncoding, then a bitfield of MaxVendorId bits (bit i
// = vendor i) or range entries.
VendorSection read_vendor_section(BitReader& r, std::string_view context) {
  r.set_context(context);
  VendorSection s;
  s.max_vendor_id = static_cast<std::uint16_t>(r.read(16, "MaxVendorId"));
  s.range_encoded = r.flag("IsRangeEncoding");
  if (s.range_encoded) {
    s.num_entries = read_range_entries(r, s.vendors, s.max_vendor_id);
  } else if (s.max_vendor_id > r.remaining()) {
    // Checked before reading so that the message names the whole field (iabtcf-es issue 142).
    r.fail_at(r.position(), "the bitfield of " + decimal(s.max_vendor_id) +
                                " vendors runs past the end of the segment (" +
                                decimal(r.remaining()) + " bits left)");
  } else {
    for (std::uint32_t id = 1; id <= s.max_vendor_id; ++id)
      if (r.flag("bitfield"))
        add_range(s.vendors, static_cast<std::uint16_t>(id), static_cast<std::uint16_t>(id));
  }
  return s;
}

// NumPubRestrictions, then per restriction PurposeId, RestrictionType and range entries.
void read_publisher_restrictions(BitReader& r, std::vector<PublisherRestriction>& out) {
  r.set_context("publisher restrictions");
  const std::uint64_t count = r.read(12, "NumPubRestrictions");
  for (std::uint64_t i = 0; i < count && !r.failed(); ++i) {
    const std::size_t at = r.position();
    PublisherRestriction entry;
    entry.purpose = static_cast<std::uint8_t>(r.read(6, "PurposeId"));
    const std::uint64_t type = r.read(2, "RestrictionType");
    if (!r.failed() && (entry.purpose == 0 || type == 3))
      r.fail_at(at, "restriction " + decimal(i + 1) +
                        (entry.purpose == 0 ? " names purpose 0; purposes start at 1"
                                            : " has RestrictionType 3, which is undefined"));
    entry.type = static_cast<RestrictionType>(type);
    read_range_entries(r, entry.vendors, kMaxVendorId);
    out.push_back(std::move(entry));
  }
}

// Two 6-bit letters, 'A' = 0.
std::array<char, 2> read_letters(BitReader& r, std::string_view field) {
  std::array<char, 2> out{};
  for (char& c : out) {
    const std::size_t at = r.position();
    const std::uint64_t v = r.read(6, field);
    if (v > 25) r.fail_at(at, std::string(field) + " letter " + decimal(v) + " is not A-Z (0-25)");
    c = static_cast<char>('A' + v % 26);
  }
  return out;
}

void read_core(BitReader& r, TcString& tc) {
  const std::uint64_t version = r.read(6, "Version");
  if (version != 2) {
    // The first 6 bits tell the versions apart (v1 strings begin with 'B'); v1 has another
    // layout altogether and is not read.
    r.fail_at(0, "Version is " + decimal(version) + ", not 2: only TCF v2 strings are read");
    return;
  }
  tc.created_deciseconds = r.read(36, "Created");
  tc.last_updated_deciseconds = r.read(36, "LastUpdated");
  tc.cmp_id = static_cast<std::uint16_t>(r.read(12, "CmpId"));
  tc.cmp_version = static_cast<std::uint16_t>(r.read(12, "CmpVersion"));
  tc.consent_screen = static_cast<std::uint8_t>(r.read(6, "ConsentScreen"));
  tc.consent_language = read_letters(r, "ConsentLanguage");
  tc.vendor_list_version = static_cast<std::uint16_t>(r.read(12, "VendorListVersion"));
  const std::size_t policy_at = r.position();
  const std::uint64_t policy = r.read(6, "TcfPolicyVersion");
  if (policy > kMaxPolicyVersion)
    r.fail_at(policy_at, "TcfPolicyVersion " + decimal(policy) +
                             " is newer than the policies this decoder knows (up to " +
                             decimal(kMaxPolicyVersion) + ")");
  tc.policy_version = static_cast<std::uint8_t>(policy);
  tc.is_service_specific = r.flag("IsServiceSpecific");
  tc.use_non_standard_texts = r.flag("UseNonStandardTexts");
  tc.special_feature_opt_ins = static_cast<std::uint16_t>(r.mask(12, "SpecialFeatureOptIns"));
  tc.purposes_consent = static_cast<std::uint32_t>(r.mask(24, "PurposesConsent"));
  const std::size_t li_at = r.position();
  tc.purposes_li_transparency = static_cast<std::uint32_t>(r.mask(24, "PurposesLITransparency"));
  // TCF 2.2 deprecated legitimate interest for purposes 3 to 6. Refused, as iabconsent does:
  // a CMP that still sets them writes a string whose other signals cannot be trusted either.
  for (int p = 3; p <= 6 && policy >= kTcf22PolicyVersion; ++p)
    if (mask_has(tc.purposes_li_transparency, p))
      r.fail_at(li_at + static_cast<std::size_t>(p) - 1,
                "PurposesLITransparency sets purpose " + decimal(static_cast<unsigned>(p)) +
                    ", which TCF 2.2 forbids for purposes 3 to 6 (TcfPolicyVersion " +
                    decimal(policy) + ")");
  tc.purpose_one_treatment = r.flag("PurposeOneTreatment");
  tc.publisher_cc = read_letters(r, "PublisherCC");
  tc.vendor_consents = read_vendor_section(r, "vendor consents");
  tc.vendor_legitimate_interests = read_vendor_section(r, "vendor legitimate interests");
  read_publisher_restrictions(r, tc.publisher_restrictions);
}

PublisherTc read_publisher_tc(BitReader& r) {
  PublisherTc p;
  p.purposes_consent = static_cast<std::uint32_t>(r.mask(24, "PubPurposesConsent"));
  p.purposes_li_transparency = static_cast<std::uint32_t>(r.mask(24, "PubPurposesLITransparency"));
  p.num_custom_purposes = static_cast<std::uint8_t>(r.read(6, "NumCustomPurposes"));
  p.custom_purposes_consent = r.mask(p.num_custom_purposes, "CustomPurposesConsent");
  p.custom_purposes_li_transparency = r.mask(p.num_custom_purposes, "CustomPurposesLITransparency");
  return p;
}

// "'!'" for a visible character, "byte 10" for any other.
std::string describe(char c) {
  if (c > ' ' && c < 0x7F) return std::string("'") + c + "'";
  return "byte " + decimal(static_cast<unsigned char>(c));
}

// TCF never lets purpose 1 rest on legitimate interest, and from 2.2 on not purposes 3 to 6.
bool li_permitted(int purpose, int policy_version) {
  return purpose != 1 && (policy_version < kTcf22PolicyVersion || purpose < 3 || purpose > 6);
}

bool has_vendor(const VendorSet& set, int vendor) {
  return vendor >= 1 && vendor <= kMaxVendorId && set.contains(static_cast<std::uint16_t>(vendor));
}

}  // namespace

bool VendorSet::contains(std::uint16_t id) const {
  // The first range that starts after `id`: the range before it holds `id` if any does.
  const auto after =
      std::upper_bound(ranges.begin(), ranges.end(), id,
                       [](std::uint16_t v, const VendorRange& r) { return v < r.first; });
  return after != ranges.begin() && std::prev(after)->last >= id;
}

bool TcString::purpose_li(int purpose) const {
  return li_permitted(purpose, policy_version) && mask_has(purposes_li_transparency, purpose);
}

bool TcString::vendor_consent(int vendor) const {
  return has_vendor(vendor_consents.vendors, vendor);
}

bool TcString::vendor_li(int vendor) const {
  return has_vendor(vendor_legitimate_interests.vendors, vendor);
}

std::optional<bool> TcString::publisher_purpose_consent(int purpose) const {
  if (!publisher_tc) return std::nullopt;
  return mask_has(publisher_tc->purposes_consent, purpose);
}

std::optional<bool> TcString::publisher_purpose_li(int purpose) const {
  if (!publisher_tc) return std::nullopt;
  return li_permitted(purpose, policy_version) &&
         mask_has(publisher_tc->purposes_li_transparency, purpose);
}

bool TcString::custom_purpose_consent(int id) const {
  return publisher_tc && id <= publisher_tc->num_custom_purposes &&
         mask_has(publisher_tc->custom_purposes_consent, id);
}

bool TcString::custom_purpose_li(int id) const {
  return publisher_tc && id <= publisher_tc->num_custom_purposes &&
         mask_has(publisher_tc->custom_purposes_li_transparency, id);
}

std::optional<RestrictionType> TcString::restriction(int purpose, int vendor) const {
  std::optional<RestrictionType> strictest;
  for (const PublisherRestriction& r : publisher_restrictions)
    if (r.purpose == purpose && has_vendor(r.vendors, vendor) &&
        (!strictest || r.type < *strictest))
      strictest = r.type;
  return strictest;
}

Result<TcString> decode_tc_string(std::string_view text) {
  // SegmentType names; 0 is the core's, which is always first and has no type field.
  constexpr std::string_view kSegmentNames[] = {"core", "disclosed vendors", "allowed vendors",
                                                "publisher TC"};
  if (text.empty()) return invalid("TC string is empty");
  TcString tc;
  std::string sextets;
  unsigned seen = 0;  // bit t: a segment of type t has been read
  for (std::size_t index = 1;; ++index) {
    const std::size_t dot = text.find('.');
    std::string_view segment = text.substr(0, dot);
    // Padding carries no bits; the Java encoder writes it, the specification does not.
    while (!segment.empty() && segment.back() == '=') segment.remove_suffix(1);
    if (segment.empty()) return invalid(segment_label(index, {}) + " is empty");
    sextets.clear();
    for (std::size_t i = 0; i < segment.size(); ++i) {
      const int v = base64url_value(segment[i]);
      if (v < 0)
        return invalid(segment_label(index, {}) + ", character " + decimal(i) + ": " +
                       describe(segment[i]) + " is not base64url (A-Z a-z 0-9 - _)");
      sextets += static_cast<char>(v);
    }

    BitReader r(sextets, index);
    if (index == 1) {
      r.set_name(kSegmentNames[0]);
      read_core(r, tc);
    } else {
      const std::uint64_t type = r.read(3, "SegmentType");
      // Types 0 and 4-7 name no segment the decoder knows: skipped unread, so that a segment a
      // later revision adds does not make the signals before it unreadable.
      if (type >= 1 && type <= 3) {
        r.set_name(kSegmentNames[type]);
        if (seen & (1u << type))
          r.fail_at(0, "a second " + std::string(kSegmentNames[type]) + " segment");
        seen |= 1u << type;
        if (type == 3)
          tc.publisher_tc = read_publisher_tc(r);
        else
          (type == 1 ? tc.disclosed_vendors : tc.allowed_vendors) = read_vendor_section(r, {});
      }
    }
    if (r.failed()) return r.error();
    if (dot == std::string_view::npos) return tc;
    text.remove_prefix(dot + 1);
  }
}

}  // namespace vario
