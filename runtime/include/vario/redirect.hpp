// Redirect tests: where a redirect change sends the visitor, and whether it already did.
#pragma once

#include <string>
#include <string_view>

namespace vario {

// The URL a redirect to `url` (absolute, or a path on the page's origin) leads to from the page
// at `page_url`. With keep_query the page's query parameters follow the target's own, and the
// page's fragment is kept unless the target has one.
std::string redirect_target(std::string_view url, std::string_view page_url, bool keep_query);

// Whether the page at `page_url` is already the destination `target` (as redirect_target
// returns it): same origin, same path, and every parameter of the target's own query present
// with the same value. Redirecting again from there would send the visitor in a circle.
bool on_redirect_target(std::string_view page_url, std::string_view target_url);

}  // namespace vario
