//===- ReferenceHalf.h - 16-bit floats from their definitions ---*- C++ -*-===//
//
// binary16 and bfloat16 values and round-to-nearest-even conversions
// computed from the formats' definitions by brute force over the finite
// values, independent of kernels/Half.h, for the tests of the conversions
// and of the engine's 16-bit wire formats.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TEST_UNIT_REFERENCEHALF_H
#define AGTF_TEST_UNIT_REFERENCEHALF_H

#include <cmath>
#include <cstdint>
#include <limits>

namespace agtf::test {

/// The value of a 16-bit float with `mantissaBits` stored mantissa bits and
/// 15 - mantissaBits exponent bits, from its definition.
inline double sixteenBitValue(uint16_t h, int mantissaBits) {
  int exponentBits = 15 - mantissaBits;
  int bias = (1 << (exponentBits - 1)) - 1;
  int exponentMax = (1 << exponentBits) - 1;
  int exponent = (h >> mantissaBits) & exponentMax;
  int mantissa = h & ((1 << mantissaBits) - 1);
  double sign = (h & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0)
    return sign * std::ldexp(mantissa, 1 - bias - mantissaBits);
  if (exponent == exponentMax)
    return mantissa ? std::numeric_limits<double>::quiet_NaN()
                    : sign * std::numeric_limits<double>::infinity();
  return sign * std::ldexp((1 << mantissaBits) + mantissa,
                           exponent - bias - mantissaBits);
}

/// Brute force: the nearest finite value (the even one on a tie) among the
/// non-negative finite bit patterns 0 .. `largest`, which increase with
/// their bits, or infinity from the largest value plus half an ulp on (the
/// tie there goes to the even 2^(emax+1), i.e. infinity). `x` not a NaN.
inline uint16_t sixteenBitNearest(float x, int mantissaBits) {
  uint16_t largest = uint16_t(0x7fff - (1 << mantissaBits));
  uint16_t infinity = uint16_t(largest + 1);
  uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  double magnitude = std::fabs(static_cast<double>(x));
  double top = sixteenBitValue(largest, mantissaBits);
  double ulp = top - sixteenBitValue(largest - 1, mantissaBits);
  if (magnitude >= top + ulp / 2)
    return sign | infinity;
  uint16_t lo = 0, hi = largest;
  while (lo < hi) { // the largest value <= magnitude
    uint16_t mid = static_cast<uint16_t>((lo + hi + 1) / 2);
    if (sixteenBitValue(mid, mantissaBits) <= magnitude)
      lo = mid;
    else
      hi = mid - 1;
  }
  uint16_t below = lo;
  if (sixteenBitValue(below, mantissaBits) == magnitude || below == largest)
    return sign | below;
  uint16_t above = below + 1;
  double dBelow = magnitude - sixteenBitValue(below, mantissaBits);
  double dAbove = sixteenBitValue(above, mantissaBits) - magnitude;
  if (dBelow < dAbove)
    return sign | below;
  if (dAbove < dBelow)
    return sign | above;
  return sign | ((below & 1) ? above : below);
}

/// binary16: 5 exponent bits, 10 mantissa bits.
inline double halfValue(uint16_t h) { return sixteenBitValue(h, 10); }
inline uint16_t referenceToHalf(float x) { return sixteenBitNearest(x, 10); }

/// bfloat16: the top half of a float, 8 exponent bits, 7 mantissa bits.
inline double bfloat16Value(uint16_t h) { return sixteenBitValue(h, 7); }
inline uint16_t referenceToBfloat16(float x) { return sixteenBitNearest(x, 7); }

} // namespace agtf::test

#endif // AGTF_TEST_UNIT_REFERENCEHALF_H
