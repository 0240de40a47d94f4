//===- HalfTest.cpp - binary16 conversion against a brute-force reference -===//

#include "kernels/Half.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace agtf::kernels;

namespace {

uint32_t bitsOf(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  return bits;
}

float floatOf(uint32_t bits) {
  float x;
  std::memcpy(&x, &bits, sizeof(x));
  return x;
}

bool isHalfNaN(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff); }

// Value of a binary16 from its definition, independent of the kernel.
double halfValue(uint16_t h) {
  int exponent = (h >> 10) & 0x1f;
  int mantissa = h & 0x3ff;
  double sign = (h & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0)
    return sign * std::ldexp(mantissa, -24);
  if (exponent == 0x1f)
    return mantissa ? std::numeric_limits<double>::quiet_NaN()
                    : sign * std::numeric_limits<double>::infinity();
  return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

// Brute force: the nearest finite half (the even one on a tie), or infinity
// from 65520 = 65504 + half an ulp on.
uint16_t referenceToHalf(float x) {
  uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  double magnitude = std::fabs(static_cast<double>(x));
  if (magnitude >= 65520.0)
    return sign | 0x7c00;
  // Finite non-negative halves 0 .. 0x7bff increase with their bits.
  uint16_t lo = 0, hi = 0x7bff;
  while (lo < hi) { // the largest half <= magnitude
    uint16_t mid = static_cast<uint16_t>((lo + hi + 1) / 2);
    if (halfValue(mid) <= magnitude)
      lo = mid;
    else
      hi = mid - 1;
  }
  uint16_t below = lo;
  if (halfValue(below) == magnitude || below == 0x7bff)
    return sign | below;
  uint16_t above = below + 1;
  double dBelow = magnitude - halfValue(below);
  double dAbove = halfValue(above) - magnitude;
  if (dBelow < dAbove)
    return sign | below;
  if (dAbove < dBelow)
    return sign | above;
  return sign | ((below & 1) ? above : below);
}

TEST(Half, EveryBitPatternRoundTrips) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    auto bits = static_cast<uint16_t>(h);
    float x = halfToFloat(bits);
    if (isHalfNaN(bits)) {
      ASSERT_TRUE(std::isnan(x)) << std::hex << h;
      uint16_t back = floatToHalf(x);
      ASSERT_TRUE(isHalfNaN(back)) << std::hex << h;
      ASSERT_EQ(back & 0x8000, bits & 0x8000) << std::hex << h;
      continue;
    }
    ASSERT_EQ(static_cast<double>(x), halfValue(bits)) << std::hex << h;
    ASSERT_EQ(floatToHalf(x), bits) << std::hex << h;
  }
}

TEST(Half, SpecialValues) {
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(floatToHalf(0.0f), 0x0000);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(inf), 0x7c00);
  EXPECT_EQ(floatToHalf(-inf), 0xfc00);
  EXPECT_EQ(floatToHalf(1e10f), 0x7c00);
  EXPECT_EQ(floatToHalf(-std::numeric_limits<float>::max()), 0xfc00);
  EXPECT_TRUE(isHalfNaN(floatToHalf(std::numeric_limits<float>::quiet_NaN())));
  // A signalling NaN whose payload lives only in the dropped low bits still
  // converts to a NaN, not to infinity.
  EXPECT_TRUE(isHalfNaN(floatToHalf(floatOf(0x7f800001))));
  EXPECT_TRUE(isHalfNaN(floatToHalf(floatOf(0xff800001))));
  // Smallest subnormal, smallest normal, float subnormals flush to zero.
  EXPECT_EQ(floatToHalf(0x1p-24f), 0x0001);
  EXPECT_EQ(floatToHalf(0x1p-14f), 0x0400);
  EXPECT_EQ(floatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
  EXPECT_EQ(floatToHalf(-std::numeric_limits<float>::denorm_min()), 0x8000);
  EXPECT_EQ(halfToFloat(0x0001), 0x1p-24f);
  EXPECT_EQ(halfToFloat(0x7c00), inf);
  EXPECT_EQ(halfToFloat(0xfc00), -inf);
}

TEST(Half, TiesToEven) {
  // Halfway between 1 and 1 + 2^-10: to 1 (even); between 1 + 2^-10 and
  // 1 + 2^-9: to 1 + 2^-9 (even).
  EXPECT_EQ(floatToHalf(1.0f + 0x1p-11f), 0x3c00);
  EXPECT_EQ(floatToHalf(1.0f + 3 * 0x1p-11f), 0x3c02);
  EXPECT_EQ(floatToHalf(-(1.0f + 3 * 0x1p-11f)), 0xbc02);
  // Just above a tie rounds up.
  EXPECT_EQ(floatToHalf(std::nextafter(1.0f + 0x1p-11f, 2.0f)), 0x3c01);
  // Overflow boundary: 65520 ties to the even 2^16, i.e. infinity.
  EXPECT_EQ(floatToHalf(65519.996f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);
  // Subnormal ties: 2^-25 to 0, 3 * 2^-25 to 2 * 2^-24.
  EXPECT_EQ(floatToHalf(0x1p-25f), 0x0000);
  EXPECT_EQ(floatToHalf(std::nextafter(0x1p-25f, 1.0f)), 0x0001);
  EXPECT_EQ(floatToHalf(3 * 0x1p-25f), 0x0002);
  EXPECT_EQ(floatToHalf(5 * 0x1p-25f), 0x0002);
  // Rounding the largest subnormal up carries into the smallest normal.
  EXPECT_EQ(floatToHalf(0x1p-14f - 0x1p-26f), 0x0400);
  // Rounding up carries from the mantissa into the exponent.
  EXPECT_EQ(floatToHalf(2.0f - 0x1p-12f), 0x4000);
  // Every tie between consecutive finite halves goes to the even one.
  for (uint16_t h = 0; h < 0x7bff; ++h) {
    double mid = (halfValue(h) + halfValue(h + 1)) / 2;
    auto x = static_cast<float>(mid); // exact: needs only 12 bits
    ASSERT_EQ(static_cast<double>(x), mid);
    uint16_t even = (h & 1) ? h + 1 : h;
    ASSERT_EQ(floatToHalf(x), even) << std::hex << h;
    ASSERT_EQ(floatToHalf(-x), even | 0x8000) << std::hex << h;
  }
}

TEST(Half, RandomFloatsAgainstBruteForce) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> anyBits;
  // Exponents around the half range, so most cases are not trivial.
  std::uniform_int_distribution<uint32_t> exponent(127 - 27, 127 + 17);
  for (int i = 0; i < 200000; ++i) {
    uint32_t bits = anyBits(rng);
    if (i % 4 != 0)
      bits = (bits & 0x807fffff) | (exponent(rng) << 23);
    float x = floatOf(bits);
    if (std::isnan(x))
      continue;
    ASSERT_EQ(floatToHalf(x), referenceToHalf(x))
        << std::hex << bitsOf(x) << " " << x;
  }
}

TEST(Half, ArraysMatchScalars) {
  std::vector<float> x = {0.0f, -1.5f, 3.14159f, 1e-6f, -7e4f, 65504.0f};
  std::vector<uint16_t> h(x.size());
  std::vector<float> back(x.size());
  floatToHalfCpu(x.data(), x.size(), h.data());
  halfToFloatCpu(h.data(), h.size(), back.data());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(h[i], floatToHalf(x[i]));
    EXPECT_EQ(back[i], halfToFloat(h[i]));
  }
  floatToHalfCpu(x.data(), 0, h.data()); // empty is fine
}

} // namespace
