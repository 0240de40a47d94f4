//===- SampledTopKTest.cpp - DGC selection against its contract -----------===//

#include "kernels/SampledTopK.h"

#include "kernels/Random.h"
#include "kernels/TopK.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace agtf::kernels;

namespace {

// Reference exact top-k (magnitude desc, index asc) over the given indices.
std::vector<int32_t> referenceTopK(const std::vector<float> &x,
                                   std::vector<int32_t> candidates, int64_t k) {
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [&](int32_t a, int32_t b) { return std::fabs(x[a]) > std::fabs(x[b]); });
  candidates.resize(k);
  std::sort(candidates.begin(), candidates.end());
  return candidates;
}

struct Checked {
  std::vector<int32_t> indices;
  SampledSelection selection;
  bool trimmed = false;
};

// Checks the header's contract; returns the selection.
Checked checkSelection(const std::vector<float> &x, int64_t k, uint64_t seed) {
  auto n = static_cast<int64_t>(x.size());
  int64_t capacity = sampledTopKCapacity(n, k);
  std::vector<int32_t> indices(capacity, -1);
  std::vector<float> values(capacity);
  SampledSelection s =
      selectSampledTopKCpu(x.data(), n, k, seed, indices.data(), values.data());
  std::string where = "n=" + std::to_string(n) + " k=" + std::to_string(k) +
                      " seed=" + std::to_string(seed);
  EXPECT_GE(s.count, 1) << where;
  EXPECT_LE(s.count, capacity) << where;
  EXPECT_GE(s.rounds, 1) << where;
  EXPECT_LE(s.rounds, 10) << where;
  indices.resize(s.count);
  values.resize(s.count);
  for (int64_t i = 0; i < s.count; ++i) {
    EXPECT_EQ(values[i], x[indices[i]]) << where;
    EXPECT_GE(std::fabs(values[i]), s.threshold) << where;
    if (i > 0) {
      EXPECT_LT(indices[i - 1], indices[i]) << where;
    }
  }
  std::vector<int32_t> candidates;
  for (int64_t i = 0; i < n; ++i)
    if (std::fabs(x[i]) >= s.threshold)
      candidates.push_back(static_cast<int32_t>(i));
  bool trimmed = candidates.size() != indices.size();
  if (!trimmed) {
    // No trim: exactly the elements at or above the threshold.
    EXPECT_EQ(indices, candidates) << where;
  } else {
    // Trim: more than 1.3k candidates, exactly their top k kept.
    EXPECT_GT(static_cast<double>(candidates.size()), 1.3 * k) << where;
    EXPECT_EQ(s.count, k) << where;
    EXPECT_EQ(indices, referenceTopK(x, candidates, k)) << where;
  }
  // The count bounds that decide another round: below 0.8k only after
  // 10 rounds (or at a zero threshold, which cannot go lower).
  if (static_cast<double>(s.count) < 0.8 * k) {
    EXPECT_TRUE(s.rounds == 10 || s.threshold == 0.0f) << where;
  }
  return {indices, s, trimmed};
}

std::vector<float> heavyTailed(int64_t n, uint64_t seed) {
  std::vector<float> x(n);
  fillHeavyTailedCpu(x.data(), n, seed, 1e-3f);
  return x;
}

TEST(SampledTopK, Capacity) {
  EXPECT_EQ(sampledTopKCapacity(1, 1), 1);
  EXPECT_EQ(sampledTopKCapacity(100, 1), 1);
  EXPECT_EQ(sampledTopKCapacity(100, 3), 3);
  EXPECT_EQ(sampledTopKCapacity(100, 4), 5);
  EXPECT_EQ(sampledTopKCapacity(100, 10), 13);
  EXPECT_EQ(sampledTopKCapacity(12, 10), 12);
  EXPECT_EQ(sampledTopKCapacity(10, 10), 10);
}

TEST(SampledTopK, ContractOnRandomInputs) {
  for (int64_t n : {1, 2, 3, 10, 101, 1000, 100000}) {
    for (uint64_t seed : {1u, 2u, 3u}) {
      std::vector<float> x = heavyTailed(n, seed * 977);
      for (int64_t k :
           {int64_t(1), int64_t(2), std::max<int64_t>(1, n / 1000),
            std::max<int64_t>(1, n / 100), n / 3 + 1, n - n / 10, n})
        checkSelection(x, std::min(k, n), seed);
    }
  }
}

TEST(SampledTopK, NearExactOnSmoothData) {
  // With many samples the selection lands within [0.8k, 1.3k] or is trimmed
  // to k; on a normal sample it should be close to exact top-k.
  std::vector<float> x(200000);
  fillNormalCpu(x.data(), x.size(), 5);
  int64_t k = 2000;
  std::vector<int32_t> selected = checkSelection(x, k, 9).indices;
  EXPECT_GE(static_cast<double>(selected.size()), 0.8 * k);
  EXPECT_LE(static_cast<double>(selected.size()), 1.3 * k);
}

TEST(SampledTopK, TiesAndConstants) {
  for (int64_t n : {1, 5, 64, 1000}) {
    std::vector<float> zeros(n, 0.0f);
    std::vector<float> same(n, -0.25f);
    std::vector<float> levels(n);
    for (int64_t i = 0; i < n; ++i)
      levels[i] = static_cast<float>((i * 7) % 3) - 1.0f; // -1, 0, 1 ties
    for (int64_t k : {int64_t(1), (n + 1) / 2, n}) {
      std::vector<int32_t> z = checkSelection(zeros, k, 4).indices;
      // Everything ties at zero: trimmed to the lowest indices when needed.
      if (static_cast<double>(n) > 1.3 * k) {
        std::vector<int32_t> first(k);
        std::iota(first.begin(), first.end(), 0);
        EXPECT_EQ(z, first);
      }
      checkSelection(same, k, 4);
      checkSelection(levels, k, 4);
    }
  }
}

TEST(SampledTopK, ThresholdLoweringRounds) {
  // n = 1000, k = 10: stride 5. Residue class 0 holds graded large values
  // 0.97^j, the rest is tiny. A sample on class 0 puts the threshold at its
  // 2nd largest value: 2 selected, so the threshold drops by 0.8 (about 7
  // more each round). Any other sample puts it among the tiny values: far
  // more than 1.3k candidates, trimmed to k.
  std::vector<float> x(1000);
  for (int64_t i = 0; i < 1000; ++i)
    x[i] = i % 5 == 0 ? std::pow(0.97f, static_cast<float>(i / 5))
                      : 1e-6f * static_cast<float>(1 + i % 7);
  bool lowered = false, trimmed = false;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Checked c = checkSelection(x, 10, seed);
    lowered |= c.selection.rounds > 1;
    trimmed |= c.trimmed;
  }
  EXPECT_TRUE(lowered);
  EXPECT_TRUE(trimmed);
}

TEST(SampledTopK, StopsAfterTenRounds) {
  // n = 100, k = 50: stride 25, 4 samples, threshold = 2nd largest. On the
  // class holding both spikes the threshold is 1e6, and 0.8^9 of it still
  // selects only the spikes: 2 < 0.8k after all 10 rounds.
  std::vector<float> x(100, 1e-6f);
  x[0] = 1e6f;
  x[25] = -1e6f;
  bool capped = false;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Checked c = checkSelection(x, 50, seed);
    if (c.selection.rounds == 10) {
      capped = true;
      EXPECT_EQ(c.indices, (std::vector<int32_t>{0, 25}));
    }
  }
  EXPECT_TRUE(capped);
}

TEST(SampledTopK, DeterministicForASeed) {
  std::vector<float> x = heavyTailed(50000, 77);
  int64_t k = 500;
  int64_t capacity = sampledTopKCapacity(x.size(), k);
  std::vector<int32_t> i1(capacity), i2(capacity);
  std::vector<float> v1(capacity), v2(capacity);
  SampledSelection s1 =
      selectSampledTopKCpu(x.data(), x.size(), k, 123, i1.data(), v1.data());
  SampledSelection s2 =
      selectSampledTopKCpu(x.data(), x.size(), k, 123, i2.data(), v2.data());
  EXPECT_EQ(s1.count, s2.count);
  EXPECT_EQ(s1.threshold, s2.threshold);
  EXPECT_EQ(s1.rounds, s2.rounds);
  EXPECT_EQ(i1, i2);
  EXPECT_EQ(v1, v2);
}

TEST(SampledTopK, NaNNeverEmptiesTheSelection) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> allNaN(50, nan);
  std::vector<int32_t> indices(sampledTopKCapacity(50, 3));
  std::vector<float> values(indices.size());
  SampledSelection s = selectSampledTopKCpu(allNaN.data(), 50, 3, 1,
                                            indices.data(), values.data());
  EXPECT_GE(s.count, 1);
  EXPECT_LE(s.count, static_cast<int64_t>(indices.size()));

  std::vector<float> someNaN = heavyTailed(1000, 8);
  for (size_t i = 0; i < someNaN.size(); i += 3)
    someNaN[i] = nan;
  checkSelection(someNaN, 10, 2);
}

} // namespace
