// Errors are values: every fallible engine function returns Result<T>. The wasm build has no
// exceptions, and the native build of the engine is compiled the same way.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace vario {

// What went wrong, coarsely; the message says precisely what and where. The numeric values are
// part of the wasm ABI (the envelope's status) and never change meaning.
enum class ErrorCode : unsigned {
  kOk = 0,
  kInvalidArgument = 1,  // input from the caller is malformed (visitor JSON, page context)
  kBadConfig = 2,        // campaigns binary missing, corrupt or of an unsupported version
  kNotLoaded = 3,        // an operation that needs a loaded configuration came before it
  kHostFailure = 4,      // the host reported a failure (bad selector, storage refused, ...)
  kInternal = 5,         // a broken invariant inside the engine; always a bug
};

// A failure: its kind, and a sentence naming where (a JSON pointer, a campaign id, a byte
// offset) and what.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// Either a T or an Error. Callers test ok() before value(); reading the wrong side is a bug
// (std::get would abort in the wasm build, which has no exceptions).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design, like std::optional
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return *std::get_if<0>(&state_); }
  T& value() & { return *std::get_if<0>(&state_); }
  T&& value() && { return std::move(*std::get_if<0>(&state_)); }
  const Error& error() const { return *std::get_if<1>(&state_); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace vario
