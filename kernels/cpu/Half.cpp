//===- Half.cpp - CPU twin of IEEE binary16 conversion --------------------===//
//
// Bit-level conversion so the result never depends on the host's FPU mode or
// on F16C being present. NaN becomes a quiet NaN keeping the sign and the top
// payload bits, as the x86 F16C and ARM conversions do.
//
//===----------------------------------------------------------------------===//

#include "kernels/Half.h"

#include <cstring>

using namespace agtf::kernels;

namespace {

uint32_t floatBits(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  return bits;
}

float bitsToFloat(uint32_t bits) {
  float x;
  std::memcpy(&x, &bits, sizeof(x));
  return x;
}

// Drops the low `shift` bits of `value`, rounding to nearest, ties to even.
uint32_t shiftRightRoundEven(uint32_t value, unsigned shift) {
  uint32_t kept = value >> shift;
  uint32_t rest = value & ((1u << shift) - 1);
  uint32_t half = 1u << (shift - 1);
  if (rest > half || (rest == half && (kept & 1)))
    ++kept;
  return kept;
}

} // namespace

uint16_t agtf::kernels::floatToHalf(float x) {
  uint32_t bits = floatBits(x);
  auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7fffffff;

  if (magnitude >= 0x7f800000) {
    if (magnitude == 0x7f800000)
      return sign | 0x7c00;
    return sign | 0x7e00 | ((magnitude >> 13) & 0x3ff);
  }
  // 65520 is halfway between the largest half, 65504 (odd mantissa), and
  // 2^16: it and everything above round to infinity.
  if (magnitude >= 0x477ff000)
    return sign | 0x7c00;
  // Below 2^-14 the result is subnormal (or zero): count units of 2^-24.
  if (magnitude < 0x38800000) {
    uint32_t exponent = magnitude >> 23;
    // Below 2^-25 everything rounds to zero; exactly 2^-25 ties to zero too.
    if (exponent < 102)
      return sign;
    uint32_t mantissa = (magnitude & 0x7fffff) | 0x800000;
    // value = mantissa * 2^(exponent - 150) = (mantissa >> shift) * 2^-24.
    // A carry into 0x400 is the smallest normal, which is right.
    return sign |
           static_cast<uint16_t>(shiftRightRoundEven(mantissa, 126 - exponent));
  }
  // Normal: rebias the exponent (127 -> 15) and round away 13 mantissa bits.
  // A carry out of the mantissa correctly bumps the exponent; the overflow to
  // infinity was handled above.
  uint32_t rebased = magnitude - ((127u - 15u) << 23);
  return sign | static_cast<uint16_t>(shiftRightRoundEven(rebased, 13));
}

float agtf::kernels::halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  if (exponent == 0x1f)
    return bitsToFloat(sign | 0x7f800000 | (mantissa << 13));
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24, exact in float.
    float value = static_cast<float>(mantissa) * 0x1p-24f;
    return sign ? -value : value;
  }
  return bitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

void agtf::kernels::floatToHalfCpu(const float *x, int64_t n, uint16_t *out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = floatToHalf(x[i]);
}

void agtf::kernels::halfToFloatCpu(const uint16_t *h, int64_t n, float *out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = halfToFloat(h[i]);
}

uint16_t agtf::kernels::floatToBfloat16(float x) {
  uint32_t bits = floatBits(x);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return uint16_t((bits >> 16) | 0x40u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return uint16_t(bits >> 16);
}

float agtf::kernels::bfloat16ToFloat(uint16_t h) {
  return bitsToFloat(uint32_t(h) << 16);
}
