// Validation of campaigns files (format version 1, docs/campaigns.md): what `vario check`
// prints, and the gate every other command passes before compiling. The compiler
// (config/compile.hpp) assumes a document this accepted: every field present has the right
// type and range, ids are unique, weights sum to 1, start is before end, every saved group a
// condition names exists and is of the right kind, condition groups form no cycle, audiences
// nest at most 64 levels once groups are inlined, holdouts name existing non-patch campaigns,
// and ranges of one mutually exclusive group do not overlap; every change has the fields of its
// action (docs/changes.md), with values that run no script, a variation that redirects does
// nothing else, and no redirect lands on its own campaign's pages or goes round a loop of
// campaigns. docs/campaigns.schema.json says the same where JSON Schema can; tests/schema/
// keeps the two in agreement.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace vario::host {

struct Diagnostic {
  // RFC 6901 JSON pointer of the offending value ("" is the whole document), e.g.
  // "/campaigns/3/variations/1/changes/0/selector". A missing required field is reported at
  // the object that lacks it.
  std::string pointer;
  // One plain sentence about the value at `pointer`, e.g.
  // "is not a valid CSS selector: '[' is never closed (at character 2)".
  std::string message;
};

inline constexpr std::size_t kMaxDiagnostics = 100;

// Parses and validates campaigns JSON text. Returns every problem found, not just the first,
// in the order of the text (a container's own problems before those of its contents); empty
// means valid. A syntax error gives a single Diagnostic with pointer "" and a message with the
// line and column; so do arrays and objects nested deeper than any valid file needs (68 levels),
// found before the text is parsed. A key repeated in one object is an error too (JSON parsers keep
// only one of the values, silently).
//
// Problems that follow from another are left out: a value of the wrong type is not also
// checked inside, a file with an unknown `version` gets only that one diagnostic, weights
// are summed only when every weight is itself valid, a reference to an invalid saved group is
// not reported again, and a condition nested too deep gets only that diagnostic.
//
// A file with more than kMaxDiagnostics problems gets kMaxDiagnostics of them (the first the
// checks find, in the order of the text) and one more Diagnostic, with pointer "", saying how
// many were left out: a file that is mistakes from end to end must not cost memory for each.
std::vector<Diagnostic> validate_campaigns_text(std::string_view json_text);

// Validates an already parsed document, with the same checks except repeated keys (the parser
// has already dropped them), and the same bound on their number. Diagnostics come in the document's
// iteration order, which for nlohmann::json (objects sorted by key) is key order within each
// object.
std::vector<Diagnostic> validate_campaigns(const nlohmann::json& doc);

// "pointer: message", as `vario check` prints it; just the message when the pointer is "".
std::string format_diagnostic(const Diagnostic& d);

}  // namespace vario::host
