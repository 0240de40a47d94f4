//===- HalfTest.cpp - 16-bit conversions against a brute-force reference -===//

#include "kernels/Half.h"
#include "ReferenceHalf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace agtf::kernels;
using agtf::test::bfloat16Value;
using agtf::test::halfValue;
using agtf::test::referenceToBfloat16;
using agtf::test::referenceToHalf;

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

bool isBfloat16NaN(uint16_t h) { return (h & 0x7f80) == 0x7f80 && (h & 0x7f); }

// kernels/Half.h: "NaN stays a quiet NaN" (the top mantissa bit set).
bool isQuietBfloat16NaN(uint16_t h) {
  return (h & 0x7f80) == 0x7f80 && (h & 0x40);
}

TEST(Bfloat16, EveryBitPatternIsItsValue) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    auto bits = static_cast<uint16_t>(h);
    float x = bfloat16ToFloat(bits);
    ASSERT_EQ(std::signbit(x), (h & 0x8000) != 0) << std::hex << h;
    if (isBfloat16NaN(bits)) {
      ASSERT_TRUE(std::isnan(x)) << std::hex << h;
      continue;
    }
    ASSERT_EQ(static_cast<double>(x), bfloat16Value(bits)) << std::hex << h;
    ASSERT_EQ(floatToBfloat16(x), bits) << std::hex << h;
  }
}

TEST(Bfloat16, SpecialValues) {
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(floatToBfloat16(0.0f), 0x0000);
  EXPECT_EQ(floatToBfloat16(-0.0f), 0x8000);
  EXPECT_EQ(floatToBfloat16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBfloat16(-2.0f), 0xc000);
  EXPECT_EQ(floatToBfloat16(inf), 0x7f80);
  EXPECT_EQ(floatToBfloat16(-inf), 0xff80);
  // The largest float is past the largest bfloat16 plus half an ulp.
  EXPECT_EQ(floatToBfloat16(std::numeric_limits<float>::max()), 0x7f80);
  EXPECT_EQ(floatToBfloat16(-std::numeric_limits<float>::max()), 0xff80);
  // bfloat16 has the float's exponent range: float subnormals round to
  // bfloat16 subnormals, not to zero.
  EXPECT_EQ(floatToBfloat16(0x1p-133f), 0x0001);
  EXPECT_EQ(floatToBfloat16(0x1p-126f), 0x0080);
  EXPECT_EQ(floatToBfloat16(std::numeric_limits<float>::denorm_min()), 0x0000);
  EXPECT_EQ(floatToBfloat16(-std::numeric_limits<float>::denorm_min()), 0x8000);
  // The largest float subnormal rounds up into the smallest normal.
  EXPECT_EQ(floatToBfloat16(floatOf(0x007fffff)), 0x0080);
  EXPECT_EQ(bfloat16ToFloat(0x0001), 0x1p-133f);
  EXPECT_EQ(bfloat16ToFloat(0x7f7f), 0x1.fep127f);
  EXPECT_EQ(bfloat16ToFloat(0x7f80), inf);
  EXPECT_EQ(bfloat16ToFloat(0xff80), -inf);
}

TEST(Bfloat16, NaNStaysAQuietNaN) {
  // Quiet and signalling NaNs of either sign, with payloads in the kept
  // and in the dropped bits; rounding must not carry them into infinity
  // or the sign.
  for (uint32_t bits :
       {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff800001u, 0x7f80ffffu,
        0x7fbfffffu, 0x7fffffffu, 0xffffffffu, 0x7f810000u, 0x7fff8000u}) {
    float x = floatOf(bits);
    ASSERT_TRUE(std::isnan(x));
    EXPECT_TRUE(isQuietBfloat16NaN(floatToBfloat16(x))) << std::hex << bits;
  }
  std::mt19937 rng(17);
  std::uniform_int_distribution<uint32_t> payload(1, 0x7fffff);
  for (int i = 0; i < 10000; ++i) {
    uint32_t bits = (rng() & 0x80000000u) | 0x7f800000u | payload(rng);
    ASSERT_TRUE(isQuietBfloat16NaN(floatToBfloat16(floatOf(bits))))
        << std::hex << bits;
  }
}

TEST(Bfloat16, TiesToEven) {
  // Every tie between consecutive finite bfloat16 values, subnormals
  // included, goes to the even one; the floats just beside it go to the
  // nearer one. The tie above the largest finite value goes to infinity.
  for (uint16_t h = 0; h <= 0x7f7f; ++h) {
    double next = h == 0x7f7f ? 0x1p128 : bfloat16Value(h + 1);
    double mid = (bfloat16Value(h) + next) / 2;
    auto x = static_cast<float>(mid); // exact: needs only 9 bits
    ASSERT_EQ(static_cast<double>(x), mid);
    uint16_t even = (h & 1) ? h + 1 : h;
    ASSERT_EQ(floatToBfloat16(x), even) << std::hex << h;
    ASSERT_EQ(floatToBfloat16(-x), even | 0x8000) << std::hex << h;
    float inf = std::numeric_limits<float>::infinity();
    ASSERT_EQ(floatToBfloat16(std::nextafter(x, 0.0f)), h) << std::hex << h;
    ASSERT_EQ(floatToBfloat16(std::nextafter(x, inf)), h + 1) << std::hex << h;
  }
}

TEST(Bfloat16, FloatsAgainstBruteForce) {
  // A sweep over the whole float range, then random floats, half of them
  // with only the dropped 16 bits random (near ties) and some subnormal.
  for (uint64_t bits = 0; bits <= 0xffffffffu; bits += 65521) {
    float x = floatOf(static_cast<uint32_t>(bits));
    if (std::isnan(x))
      continue;
    ASSERT_EQ(floatToBfloat16(x), referenceToBfloat16(x))
        << std::hex << bits << " " << x;
  }
  std::mt19937 rng(11);
  std::uniform_int_distribution<uint32_t> anyBits;
  for (int i = 0; i < 200000; ++i) {
    uint32_t bits = anyBits(rng);
    if (i % 4 == 1)
      bits = (bits & 0xffff0000u) | (0x8000u + (bits & 3u) - 1u); // ties +-1
    if (i % 4 == 2)
      bits &= 0x807fffffu; // subnormal
    float x = floatOf(bits);
    if (std::isnan(x))
      continue;
    ASSERT_EQ(floatToBfloat16(x), referenceToBfloat16(x))
        << std::hex << bitsOf(x) << " " << x;
  }
}

} // namespace
