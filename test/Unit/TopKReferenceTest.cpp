//===- TopKReferenceTest.cpp - fast top-k paths against brute force -------===//
//
// selectTopKCpu and selectSampledTopKCpu against references written here:
// exact top-k by a stable sort of every index by descending magnitude, and
// DGC's selection as the straightforward sort-and-count-per-round code.
// The inputs aim at the radix selection's paths: sizes around its small
// input and kept-bin limits and above 2^16, k from 1 to n, ties at the
// threshold, +-0, subnormals, infinities, NaN and values that differ only
// in their low 16 bits.
//
//===----------------------------------------------------------------------===//

#include "kernels/Random.h"
#include "kernels/SampledTopK.h"
#include "kernels/TopK.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace agtf::kernels;

namespace {

uint32_t bitsOf(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits;
}

float fromBits(uint32_t bits) {
  float v;
  std::memcpy(&v, &bits, sizeof(v));
  return v;
}

// Exact top-k without NaN: stable sort by descending |x|, keep k, sort by
// index.
std::vector<int32_t> bruteTopK(const std::vector<float> &x,
                               std::vector<int32_t> order, int64_t k) {
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return std::fabs(x[a]) > std::fabs(x[b]);
  });
  order.resize(k);
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<int32_t> allIndices(size_t n) {
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

std::string describe(const char *what, size_t n, int64_t k) {
  return std::string(what) + " n=" + std::to_string(n) +
         " k=" + std::to_string(k);
}

void expectExact(const std::vector<float> &x, int64_t k, const char *what,
                 const std::vector<int32_t> &expected) {
  std::vector<int32_t> indices(k, -1);
  std::vector<float> values(k);
  selectTopKCpu(x.data(), x.size(), k, indices.data(), values.data());
  ASSERT_EQ(indices, expected) << describe(what, x.size(), k);
  for (int64_t i = 0; i < k; ++i)
    ASSERT_EQ(bitsOf(values[i]), bitsOf(x[indices[i]]))
        << describe(what, x.size(), k) << " i=" << i;
}

// selectTopKCpu against bruteTopK for several k.
void checkExact(const std::vector<float> &x, const char *what) {
  auto n = static_cast<int64_t>(x.size());
  std::vector<int64_t> ks = {1,         2,         3,     n / 1000, n / 100,
                             n / 7 + 1, n / 2 + 1, n - 1, n};
  for (int64_t k : ks) {
    k = std::clamp<int64_t>(k, 1, n);
    expectExact(x, k, what, bruteTopK(x, allIndices(x.size()), k));
  }
}

std::vector<float> normal(int64_t n, uint64_t seed) {
  std::vector<float> x(n);
  fillNormalCpu(x.data(), n, seed);
  return x;
}

// Sizes around the small-input path (16384), the kept bin (65536) and
// beyond 2^16.
const int64_t kSizes[] = {1,     2,     3,     5,     16,    17,
                          100,   1023,  1025,  16383, 16384, 16385,
                          20001, 65535, 65536, 65537, 70001, 200003};

TEST(TopKCpuReference, NormalManySizes) {
  for (int64_t n : kSizes)
    checkExact(normal(n, 11 + n), "normal");
}

TEST(TopKCpuReference, HeavyTailedLarge) {
  std::vector<float> x(1 << 20);
  fillHeavyTailedCpu(x.data(), x.size(), 3, 1e-3f);
  for (int64_t k :
       {int64_t(1), int64_t(1049), int64_t(10486), int64_t(1) << 19})
    expectExact(x, k, "heavy", bruteTopK(x, allIndices(x.size()), k));
}

TEST(TopKCpuReference, AllEqual) {
  for (int64_t n : {int64_t(7), int64_t(2000), int64_t(65537), int64_t(150000)})
    for (float v : {0.0f, -0.0f, 1.5f, -2.0f}) {
      std::vector<float> x(n, v);
      checkExact(x, "all equal");
    }
}

TEST(TopKCpuReference, ManyTiesAtTheThreshold) {
  // Few distinct magnitudes with random signs: the k-th key has up to 75000
  // copies (more than the kept bin holds) or a few thousand.
  std::mt19937 rng(7);
  for (int64_t n : {int64_t(3000), int64_t(60000), int64_t(300000)}) {
    for (int levels : {2, 4, 50}) {
      std::vector<float> x(n);
      for (float &v : x) {
        v = 0.25f * static_cast<float>(1 + rng() % levels);
        if (rng() & 1)
          v = -v;
      }
      checkExact(x, "ties");
    }
  }
}

TEST(TopKCpuReference, SignedZeros) {
  std::mt19937 rng(8);
  for (int64_t n : {int64_t(1000), int64_t(100000)}) {
    std::vector<float> x(n);
    for (float &v : x) {
      unsigned r = rng() % 100;
      v = r < 45 ? 0.0f : r < 90 ? -0.0f : static_cast<float>(r) - 95.0f;
    }
    checkExact(x, "+-0");
  }
}

TEST(TopKCpuReference, Subnormals) {
  std::mt19937 rng(9);
  for (int64_t n : {int64_t(1500), int64_t(80000)}) {
    std::vector<float> x(n);
    for (float &v : x) {
      uint32_t bits = rng() % 0x7fffffu; // subnormal or zero
      if (rng() % 8 == 0)
        bits = rng() % 0x10000u; // the lowest bin
      if (rng() % 64 == 0)
        bits = 0x00800000u + rng() % 0x100u; // the smallest normals
      v = fromBits(bits | ((rng() & 1) << 31));
    }
    checkExact(x, "subnormal");
  }
}

TEST(TopKCpuReference, Infinities) {
  float inf = std::numeric_limits<float>::infinity();
  for (int64_t n : {int64_t(500), int64_t(100000)}) {
    std::vector<float> x = normal(n, 21);
    for (int64_t i = 3; i < n; i += 37)
      x[i] = (i & 1) ? inf : -inf;
    x[n - 1] = std::numeric_limits<float>::max();
    checkExact(x, "inf");
  }
}

TEST(TopKCpuReference, LowSixteenBitsOnly) {
  // Every magnitude in one bin of the top 16 bits: the second histogram
  // decides, from kept elements (n <= 65536) or from a third pass.
  std::mt19937 rng(10);
  for (int64_t n :
       {int64_t(2000), int64_t(30000), int64_t(65536), int64_t(100000)}) {
    for (uint32_t spread : {0x10000u, 0x40u}) {
      std::vector<float> x(n);
      for (float &v : x)
        v = fromBits(0x3f800000u | (rng() % spread) | ((rng() & 1) << 31));
      checkExact(x, "low bits");
    }
  }
}

TEST(TopKCpuReference, NearBinEdges) {
  // Magnitudes straddling bin edges of the top 16 bits, where a key just
  // below and just above the edge must not be confused.
  std::mt19937 rng(12);
  int64_t n = 90000;
  std::vector<float> x(n);
  for (float &v : x) {
    uint32_t edge = 0x3f800000u + (rng() % 4) * 0x10000u;
    uint32_t bits = edge + (rng() % 5) - 2;
    v = fromBits(bits | ((rng() & 1) << 31));
  }
  checkExact(x, "bin edges");
}

TEST(TopKCpuReference, NaNRanksAboveInfinity) {
  // TopK.h: NaN ranks above infinity, NaNs by their bits without the sign,
  // ties to the lower index.
  float inf = std::numeric_limits<float>::infinity();
  for (int64_t n : {int64_t(300), int64_t(100000)}) {
    std::vector<float> x = normal(n, 31);
    std::mt19937 rng(13);
    for (int64_t i = 5; i < n; i += 101)
      x[i] = fromBits(0x7f800001u + rng() % 4 + ((rng() & 1) << 31));
    for (int64_t i = 7; i < n; i += 211)
      x[i] = -inf;
    auto key = [&](int32_t i) { return bitsOf(x[i]) & 0x7fffffffu; };
    for (int64_t k : {int64_t(1), n / 100, n / 50, n / 2, n}) {
      std::vector<int32_t> order = allIndices(n);
      std::stable_sort(order.begin(), order.end(),
                       [&](int32_t a, int32_t b) { return key(a) > key(b); });
      order.resize(k);
      std::sort(order.begin(), order.end());
      expectExact(x, k, "NaN", order);
    }
  }
}

TEST(TopKCpuReference, LargeTiedBinInALargerInput) {
  // 100000 copies of +-1 among 2^21 normal values, k at the copies: the
  // k-th key's bin holds more than the 65536 the second pass keeps but
  // under a sixteenth of x.
  int64_t n = int64_t(1) << 21;
  std::vector<float> x = normal(n, 23);
  std::mt19937 rng(24);
  for (int i = 0; i < 100000; ++i)
    x[rng() % n] = rng() & 1 ? 1.0f : -1.0f;
  int64_t above = std::count_if(x.begin(), x.end(),
                                [](float v) { return std::fabs(v) > 1.0f; });
  for (int64_t k : {above + 1, above + 30000})
    expectExact(x, k, "large tied bin", bruteTopK(x, allIndices(n), k));
}

// TopK.cpp bounds the top k from a sample of 256 runs of 64 elements, run
// c starting at c * (n / 256). These inputs mislead that sample; whatever
// it says, the selection must stay exact.
bool inSampleRun(int64_t i, int64_t n) {
  int64_t spacing = n / 256;
  return i / spacing < 256 && i % spacing < 64;
}

TEST(TopKCpuReference, SampleBoundTooHigh) {
  // One large value in each sampled run and none elsewhere: the sample puts
  // the bound at the large values, of which there are fewer than k.
  int64_t n = int64_t(1) << 20;
  for (bool constantRest : {false, true}) {
    std::vector<float> x = normal(n, 19);
    for (int64_t i = 0; i < n; ++i) {
      if (constantRest)
        x[i] = i % 2 ? 0.5f : -0.5f; // the k-th bin: n elements, ties
      else
        x[i] *= 0.1f;
      if (inSampleRun(i, n) && i % (n / 256) == 7)
        x[i] = 10.0f + static_cast<float>(i % 5);
    }
    for (int64_t k : {int64_t(300), int64_t(1000), int64_t(50000)})
      expectExact(x, k,
                  constantRest ? "bound too high, ties" : "bound too high",
                  bruteTopK(x, allIndices(x.size()), k));
  }
}

TEST(TopKCpuReference, CandidatesBeyondTheScratch) {
  // Outside the sampled runs 30% of the values are large, inside 5%: the
  // sample's bound holds but far more candidates reach it than it expects.
  int64_t n = int64_t(1) << 20;
  std::mt19937 rng(20);
  for (uint32_t spread : {1u, 300u}) {
    std::vector<float> x = normal(n, 22);
    for (int64_t i = 0; i < n; ++i) {
      unsigned percent = rng() % 100;
      if (percent < (inSampleRun(i, n) ? 5u : 30u))
        x[i] = fromBits(0x40a00000u + rng() % spread); // 5.0 and just above
    }
    for (int64_t k : {int64_t(1), int64_t(20000), int64_t(60000)})
      expectExact(x, k, "beyond the scratch",
                  bruteTopK(x, allIndices(x.size()), k));
  }
}

//===- DGC's selection
//-----------------------------------------------------===//

struct Reference {
  int64_t count = 0;
  float threshold = 0;
  int rounds = 0;
  bool trimmed = false; // more than 1.3k candidates, k kept
  std::vector<int32_t> indices;
};

// The rules of SampledTopK.h as direct code: a sorted sample, one counting
// pass per round, the trim by bruteTopK. For inputs that are not NaN
// everywhere.
Reference referenceSampled(const std::vector<float> &x, int64_t k,
                           uint64_t seed) {
  auto n = static_cast<int64_t>(x.size());
  int64_t wanted = std::max((n + 99) / 100, (2 * n + k - 1) / k);
  int64_t stride = std::max<int64_t>(1, n / wanted);
  auto offset =
      static_cast<int64_t>(randomBits(seed, 0) % static_cast<uint64_t>(stride));
  std::vector<float> sample;
  for (int64_t i = offset; i < n; i += stride)
    if (!std::isnan(x[i]))
      sample.push_back(std::fabs(x[i]));
  float threshold = 0.0f;
  if (!sample.empty()) {
    auto size = static_cast<int64_t>(sample.size());
    int64_t top = std::clamp<int64_t>((k * size + n - 1) / n, 1, size);
    std::sort(sample.begin(), sample.end(), std::greater<float>());
    threshold = sample[top - 1];
  }
  Reference r;
  std::vector<int32_t> candidates;
  for (int round = 1; round <= 10; ++round) {
    r.rounds = round;
    candidates.clear();
    for (int64_t i = 0; i < n; ++i)
      if (std::fabs(x[i]) >= threshold)
        candidates.push_back(static_cast<int32_t>(i));
    auto count = static_cast<int64_t>(candidates.size());
    if (count * 10 >= 8 * k || threshold == 0.0f || round == 10)
      break;
    threshold *= 0.8f;
  }
  r.threshold = threshold;
  auto count = static_cast<int64_t>(candidates.size());
  r.trimmed = count * 10 > 13 * k;
  r.indices = r.trimmed ? bruteTopK(x, candidates, k) : candidates;
  r.count = static_cast<int64_t>(r.indices.size());
  return r;
}

// Returns whether the reference trimmed, so callers can check coverage.
bool expectSampledMatches(const std::vector<float> &x, int64_t k, uint64_t seed,
                          const char *what, int *rounds) {
  auto n = static_cast<int64_t>(x.size());
  int64_t capacity = sampledTopKCapacity(n, k);
  std::vector<int32_t> indices(capacity, -1);
  std::vector<float> values(capacity);
  SampledSelection s =
      selectSampledTopKCpu(x.data(), n, k, seed, indices.data(), values.data());
  Reference r = referenceSampled(x, k, seed);
  std::string where =
      describe(what, x.size(), k) + " seed=" + std::to_string(seed);
  EXPECT_EQ(s.count, r.count) << where;
  EXPECT_EQ(bitsOf(s.threshold), bitsOf(r.threshold)) << where;
  EXPECT_EQ(s.rounds, r.rounds) << where;
  if (s.count != r.count)
    return false;
  indices.resize(s.count);
  EXPECT_EQ(indices, r.indices) << where;
  for (int64_t i = 0; i < s.count; ++i)
    EXPECT_EQ(bitsOf(values[i]), bitsOf(x[indices[i]])) << where;
  if (rounds)
    *rounds = std::max(*rounds, s.rounds);
  return r.trimmed;
}

void checkSampled(const std::vector<float> &x, const char *what,
                  bool *trimmed = nullptr, int *rounds = nullptr) {
  auto n = static_cast<int64_t>(x.size());
  for (int64_t k :
       {int64_t(1), int64_t(2), n / 1000, n / 100, n / 10, n / 2 + 1, n}) {
    k = std::clamp<int64_t>(k, 1, n);
    for (uint64_t seed : {1u, 2u, 5u}) {
      bool t = expectSampledMatches(x, k, seed, what, rounds);
      if (trimmed)
        *trimmed |= t;
    }
  }
}

TEST(SampledTopKReference, NormalManySizes) {
  bool trimmed = false;
  for (int64_t n : kSizes)
    checkSampled(normal(n, 40 + n), "normal", &trimmed);
  EXPECT_TRUE(trimmed);
}

TEST(SampledTopKReference, HeavyTailedManySeeds) {
  // Enough seeds that some samples overshoot (trim) and some undershoot
  // (lower rounds).
  std::vector<float> x(300000);
  fillHeavyTailedCpu(x.data(), x.size(), 4, 1e-3f);
  bool trimmed = false;
  int rounds = 0;
  for (uint64_t seed = 0; seed < 40; ++seed)
    for (int64_t k : {int64_t(30), int64_t(300), int64_t(3000)})
      trimmed |= expectSampledMatches(x, k, seed, "heavy", &rounds);
  EXPECT_TRUE(trimmed);
  EXPECT_GT(rounds, 1);
}

TEST(SampledTopKReference, TiesZerosSubnormalsInfinities) {
  std::mt19937 rng(14);
  float inf = std::numeric_limits<float>::infinity();
  for (int64_t n : {int64_t(1000), int64_t(70000)}) {
    std::vector<float> same(n, -0.25f), zeros(n, 0.0f), levels(n), subnormal(n),
        infs = normal(n, 15), lowBits(n);
    for (int64_t i = 0; i < n; ++i) {
      levels[i] = 0.5f * static_cast<float>(rng() % 3) * (rng() & 1 ? 1 : -1);
      subnormal[i] = fromBits((rng() % 0x7fffffu) | ((rng() & 1) << 31));
      if (i % 29 == 0)
        infs[i] = (i & 1) ? inf : -inf;
      lowBits[i] = fromBits(0x3f800000u | (rng() % 0x10000u));
      if (i % 3 == 0)
        zeros[i] = -0.0f;
    }
    checkSampled(same, "same");
    checkSampled(zeros, "+-0");
    checkSampled(levels, "levels");
    checkSampled(subnormal, "subnormal");
    checkSampled(infs, "inf");
    checkSampled(lowBits, "low bits");
  }
}

TEST(SampledTopKReference, SomeNaN) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t n : {int64_t(1000), int64_t(100000)}) {
    std::vector<float> x = normal(n, 16);
    for (int64_t i = 0; i < n; i += 3)
      x[i] = i % 2 ? nan : -nan;
    checkSampled(x, "NaN");
  }
}

TEST(SampledTopKReference, TrimAfterLowering) {
  // n = 1000, k = 10, stride 5: on residue class 0 (graded 0.97^j) the
  // threshold starts near 0.97 and selects 2, is lowered below 0.9 and then
  // selects the 800 constant entries too: trimmed in a later round.
  std::vector<float> x(1000), y(100000);
  for (int64_t i = 0; i < 1000; ++i)
    x[i] = i % 5 == 0 ? std::pow(0.97f, static_cast<float>(i / 5)) : 0.9f;
  // The same at n = 100000, k = 1000 (stride 50).
  for (int64_t i = 0; i < 100000; ++i)
    y[i] = i % 50 == 0 ? std::pow(0.999f, static_cast<float>(i / 50)) : -0.9f;
  int rounds = 0;
  bool trimmedLate = false;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    int r = 0;
    bool t = expectSampledMatches(x, 10, seed, "lowered", &r);
    trimmedLate |= t && r > 1;
    rounds = std::max(rounds, r);
    r = 0;
    t = expectSampledMatches(y, 1000, seed, "lowered large", &r);
    trimmedLate |= t && r > 1;
  }
  EXPECT_TRUE(trimmedLate);
  EXPECT_GT(rounds, 1);
}

TEST(SampledTopKReference, TenRounds) {
  std::vector<float> x(100, 1e-6f);
  x[0] = 1e6f;
  x[25] = -1e6f;
  int rounds = 0;
  for (uint64_t seed = 0; seed < 100; ++seed)
    expectSampledMatches(x, 50, seed, "ten rounds", &rounds);
  EXPECT_EQ(rounds, 10);
}

TEST(SampledTopKReference, TrimBeyondTheKeptCandidates) {
  // All equal: every element is a candidate of round 1, more than the
  // 2^19 kept beside the output, so the trim reads x again.
  std::vector<float> x(600000, -1.5f);
  for (int64_t k : {int64_t(1), int64_t(1000), int64_t(100000)})
    expectSampledMatches(x, k, 3, "all candidates", nullptr);
}

TEST(SampledTopKReference, ValuesAtTheLoweredThresholds) {
  // As above, plus entries equal to each lowered threshold 1e6 * 0.8^r
  // (rounded as the rounds round it): |x| >= threshold must count them.
  std::vector<float> x(100, 1e-6f);
  x[0] = 1e6f;
  x[25] = -1e6f;
  float t = 1e6f;
  for (int r = 1; r < 10; ++r) {
    t *= 0.8f;
    x[r] = r % 2 ? t : -t;
  }
  int rounds = 0;
  for (uint64_t seed = 0; seed < 100; ++seed)
    expectSampledMatches(x, 50, seed, "at thresholds", &rounds);
  EXPECT_EQ(rounds, 10);
}

TEST(SampledTopKReference, InfinityAndNaNInOneBin) {
  // Infinity (0x7f800000) and NaNs just above it (0x7f800001...) share a
  // bin of the top 16 bits; the sample's threshold is infinity, never NaN.
  float inf = std::numeric_limits<float>::infinity();
  std::mt19937 rng(17);
  std::vector<float> x = normal(20000, 18);
  for (float &v : x) {
    unsigned r = rng() % 10;
    if (r < 3)
      v = r % 2 ? inf : -inf;
    else if (r < 6)
      v = fromBits(0x7f800001u + rng() % 0xffffu + ((rng() & 1) << 31));
  }
  for (int64_t k : {int64_t(10), int64_t(1000), int64_t(5000), int64_t(9000)})
    for (uint64_t seed : {1u, 2u, 3u})
      expectSampledMatches(x, k, seed, "inf and NaN", nullptr);
}

} // namespace
