//===- SparseOpsTest.cpp - scatter, gather and gTop-k merge ---------------===//

#include "kernels/SparseOps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <utility>
#include <vector>

using namespace agtf::kernels;

namespace {

struct Selection {
  std::vector<int32_t> indices;
  std::vector<float> values;
};

// `count` distinct increasing indices below `n`; values from a few levels so
// that magnitudes tie often, with both signs.
Selection randomSelection(std::mt19937 &rng, int32_t n, int64_t count) {
  std::vector<int32_t> all(n);
  for (int32_t i = 0; i < n; ++i)
    all[i] = i;
  std::shuffle(all.begin(), all.end(), rng);
  Selection s;
  s.indices.assign(all.begin(), all.begin() + count);
  std::sort(s.indices.begin(), s.indices.end());
  std::uniform_int_distribution<int> level(-4, 4);
  for (int64_t i = 0; i < count; ++i)
    s.values.push_back(0.5f * static_cast<float>(level(rng)));
  return s;
}

// Reference: union in a std::map, sort by (magnitude desc, index asc), keep
// k, order by index.
Selection referenceMerge(const Selection &a, const Selection &b, int64_t k) {
  std::map<int32_t, float> merged;
  for (size_t i = 0; i < a.indices.size(); ++i)
    merged[a.indices[i]] += a.values[i];
  for (size_t i = 0; i < b.indices.size(); ++i)
    merged[b.indices[i]] += b.values[i];
  std::vector<std::pair<int32_t, float>> entries(merged.begin(), merged.end());
  std::sort(entries.begin(), entries.end(), [](auto &l, auto &r) {
    float ml = std::fabs(l.second), mr = std::fabs(r.second);
    return ml > mr || (ml == mr && l.first < r.first);
  });
  entries.resize(std::min<size_t>(entries.size(), std::max<int64_t>(k, 0)));
  std::sort(entries.begin(), entries.end());
  Selection out;
  for (auto &[index, value] : entries) {
    out.indices.push_back(index);
    out.values.push_back(value);
  }
  return out;
}

void expectMergeMatches(const Selection &a, const Selection &b, int64_t k) {
  std::vector<int32_t> indices(std::max<int64_t>(k, 1), -1);
  std::vector<float> values(indices.size());
  int64_t count = mergeTopKCpu(
      a.indices.data(), a.values.data(), a.indices.size(), b.indices.data(),
      b.values.data(), b.indices.size(), k, indices.data(), values.data());
  Selection expected = referenceMerge(a, b, k);
  ASSERT_EQ(count, static_cast<int64_t>(expected.indices.size()));
  indices.resize(count);
  values.resize(count);
  EXPECT_EQ(indices, expected.indices) << "k=" << k;
  EXPECT_EQ(values, expected.values) << "k=" << k;
}

TEST(SparseOps, ScatterAddAccumulatesRepeats) {
  std::vector<float> out = {1.0f, 0.0f, 0.0f, 5.0f};
  std::vector<int32_t> indices = {3, 0, 3, 2, 3};
  std::vector<float> values = {1.0f, 2.0f, -0.5f, 4.0f, 0.25f};
  scatterAddCpu(indices.data(), values.data(), indices.size(), out.data());
  EXPECT_EQ(out, (std::vector<float>{3.0f, 0.0f, 4.0f, 5.75f}));
  scatterAddCpu(indices.data(), values.data(), 0, out.data());
  EXPECT_EQ(out, (std::vector<float>{3.0f, 0.0f, 4.0f, 5.75f}));
}

TEST(SparseOps, ScatterGatherZeroAgainstLoops) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  for (int32_t n : {1, 2, 17, 1000}) {
    std::uniform_int_distribution<int32_t> anyIndex(0, n - 1);
    std::vector<float> x(n);
    for (float &v : x)
      v = normal(rng);
    int64_t count = 3 * n;
    std::vector<int32_t> indices(count);
    std::vector<float> values(count);
    for (int64_t i = 0; i < count; ++i) {
      indices[i] = anyIndex(rng);
      values[i] = normal(rng);
    }

    std::vector<float> scattered = x, expected = x;
    scatterAddCpu(indices.data(), values.data(), count, scattered.data());
    for (int64_t i = 0; i < count; ++i)
      expected[indices[i]] += values[i];
    EXPECT_EQ(scattered, expected);

    std::vector<float> gathered(count);
    gatherAtCpu(x.data(), indices.data(), count, gathered.data());
    for (int64_t i = 0; i < count; ++i)
      ASSERT_EQ(gathered[i], x[indices[i]]);

    std::vector<float> zeroed = x;
    zeroAtCpu(indices.data(), count / 7, zeroed.data());
    std::vector<bool> hit(n, false);
    for (int64_t i = 0; i < count / 7; ++i)
      hit[indices[i]] = true;
    for (int32_t i = 0; i < n; ++i)
      ASSERT_EQ(zeroed[i], hit[i] ? 0.0f : x[i]);
  }
}

TEST(SparseOps, MergeTopKAgainstMapReference) {
  std::mt19937 rng(11);
  for (int32_t n : {1, 2, 5, 64, 1000}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::uniform_int_distribution<int64_t> size(0, n);
      Selection a = randomSelection(rng, n, size(rng));
      Selection b = randomSelection(rng, n, size(rng));
      int64_t total = a.indices.size() + b.indices.size();
      for (int64_t k :
           {int64_t(1), int64_t(2), total / 3 + 1, total / 2, total, total + 5})
        expectMergeMatches(a, b, k);
    }
  }
}

TEST(SparseOps, MergeTopKEdgeCases) {
  Selection empty;
  Selection one{{7}, {-2.0f}};
  expectMergeMatches(empty, empty, 3);
  expectMergeMatches(one, empty, 1);
  expectMergeMatches(empty, one, 1);
  expectMergeMatches(one, one, 1); // same index: values add up to -4
  // Values cancelling to zero still take part, ranked by magnitude 0.
  Selection a{{1, 4, 9}, {1.0f, 3.0f, -2.0f}};
  Selection b{{4, 5, 9}, {-3.0f, 0.5f, 2.0f}};
  expectMergeMatches(a, b, 1);
  expectMergeMatches(a, b, 3);
  expectMergeMatches(a, b, 4);
  // Magnitude ties across the two inputs go to the lower index.
  Selection c{{0, 2, 4}, {1.0f, -1.0f, 1.0f}};
  Selection d{{1, 3, 5}, {-1.0f, 1.0f, -1.0f}};
  std::vector<int32_t> indices(3);
  std::vector<float> values(3);
  ASSERT_EQ(mergeTopKCpu(c.indices.data(), c.values.data(), 3, d.indices.data(),
                         d.values.data(), 3, 3, indices.data(), values.data()),
            3);
  EXPECT_EQ(indices, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(values, (std::vector<float>{1.0f, -1.0f, -1.0f}));
}

} // namespace
