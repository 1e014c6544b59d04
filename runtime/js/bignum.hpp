// A fixed-size unsigned big integer, just enough to make number <-> text exact for every
// double (js/number_text.cpp). 1536 bits hold the largest intermediate of either
// direction (about 1290 bits: 10^370 times a 55-bit significand); no allocation.
#pragma once

#include <cstdint>

namespace vario::js {

class BigInt {
 public:
  explicit BigInt(std::uint64_t v = 0) { set(v); }

  void set(std::uint64_t v) {
    size_ = 0;
    while (v) {
      words_[size_++] = std::uint32_t(v);
      v >>= 32;
    }
  }

  void multiply(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (int i = 0; i < size_; ++i) {
      const std::uint64_t t = std::uint64_t(words_[i]) * m + carry;
      words_[i] = std::uint32_t(t);
      carry = t >> 32;
    }
    if (carry && size_ < kWords) words_[size_++] = std::uint32_t(carry);
  }

  void multiply_pow10(int k) {
    static constexpr std::uint32_t kSmall[] = {1,      10,      100,      1000,     10000,
                                               100000, 1000000, 10000000, 100000000};
    for (; k >= 9; k -= 9) multiply(1000000000u);
    if (k > 0) multiply(kSmall[k]);
  }

  void shift_left(int bits) {
    if (size_ == 0 || bits <= 0) return;
    const int words = bits / 32, rest = bits % 32;
    int top = size_ + words + (rest ? 1 : 0);
    if (top > kWords) top = kWords;  // beyond the documented bound; never reached
    for (int i = top - 1; i >= 0; --i) {
      const int from = i - words;
      std::uint32_t w = from >= 0 && from < size_ ? words_[from] << rest : 0;
      if (rest && from - 1 >= 0 && from - 1 < size_) w |= words_[from - 1] >> (32 - rest);
      words_[i] = w;
    }
    size_ = top;
    trim();
  }

  void add(const BigInt& b) {
    std::uint64_t carry = 0;
    const int n = size_ > b.size_ ? size_ : b.size_;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t t =
          std::uint64_t(i < size_ ? words_[i] : 0) + (i < b.size_ ? b.words_[i] : 0) + carry;
      words_[i] = std::uint32_t(t);
      carry = t >> 32;
    }
    size_ = n;
    if (carry && size_ < kWords) words_[size_++] = std::uint32_t(carry);
  }

  // *this -= b; requires *this >= b.
  void subtract(const BigInt& b) {
    std::int64_t borrow = 0;
    for (int i = 0; i < size_; ++i) {
      std::int64_t t = std::int64_t(words_[i]) - (i < b.size_ ? b.words_[i] : 0) - borrow;
      borrow = t < 0;
      if (t < 0) t += std::int64_t(1) << 32;
      words_[i] = std::uint32_t(t);
    }
    trim();
  }

  friend int compare(const BigInt& a, const BigInt& b) {
    if (a.size_ != b.size_) return a.size_ < b.size_ ? -1 : 1;
    for (int i = a.size_ - 1; i >= 0; --i)
      if (a.words_[i] != b.words_[i]) return a.words_[i] < b.words_[i] ? -1 : 1;
    return 0;
  }

  // compare(a + b, c) without modifying anything.
  friend int compare_sum(const BigInt& a, const BigInt& b, const BigInt& c) {
    BigInt sum = a;
    sum.add(b);
    return compare(sum, c);
  }

 private:
  static constexpr int kWords = 48;
  void trim() {
    while (size_ > 0 && words_[size_ - 1] == 0) --size_;
  }
  std::uint32_t words_[kWords];
  int size_ = 0;
};

}  // namespace vario::js
