#include <cmath>

#include "js/number_text.hpp"
#include "vario/json.hpp"

namespace vario::json {

Writer& Writer::number(double n) {
  separate();
  if (std::isfinite(n))
    js::append_number(n, out_);  // the same digits as JavaScript's Number::toString
  else
    out_ += "null";
  return *this;
}

Writer& Writer::value(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull:
      separate();
      out_ += "null";
      return *this;
    case Value::Type::kBool: return boolean(v.as_bool());
    case Value::Type::kNumber: return number(v.as_number());
    case Value::Type::kString: return string(v.as_string());
    case Value::Type::kArray:
      begin_array();
      for (const Value& item : v.items()) value(item);
      return end_array();
    case Value::Type::kObject:
      begin_object();
      for (const auto& [k, member] : v.members()) key(k).value(member);
      return end_object();
  }
  return *this;
}

std::string write(const Value& v) {
  Writer w;
  w.value(v);
  return w.take();
}

}  // namespace vario::json
