//===- TopKTest.cpp - CPU top-k against a sorting reference ---------------===//

#include "kernels/TopK.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

using namespace agtf::kernels;

namespace {

// Reference: sort every index by (magnitude desc, index asc), keep k, order
// by index.
std::vector<int32_t> referenceTopK(const std::vector<float> &x, int64_t k) {
  std::vector<int32_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return std::fabs(x[a]) > std::fabs(x[b]);
  });
  order.resize(k);
  std::sort(order.begin(), order.end());
  return order;
}

void expectMatchesReference(const std::vector<float> &x, int64_t k) {
  std::vector<int32_t> indices(k);
  std::vector<float> values(k);
  selectTopKCpu(x.data(), x.size(), k, indices.data(), values.data());
  std::vector<int32_t> expected = referenceTopK(x, k);
  ASSERT_EQ(indices, expected) << "n=" << x.size() << " k=" << k;
  for (int64_t i = 0; i < k; ++i)
    EXPECT_EQ(values[i], x[indices[i]]);
}

TEST(TopKCount, NeverZeroNeverAboveN) {
  EXPECT_EQ(topKCount(1000, 0.001), 1);
  EXPECT_EQ(topKCount(1001, 0.001), 2);
  EXPECT_EQ(topKCount(10, 1e-9), 1);
  EXPECT_EQ(topKCount(10, 1.0), 10);
  EXPECT_EQ(topKCount(0, 0.5), 0);
}

TEST(TopKCpu, RandomHeavyTailed) {
  std::mt19937 rng(42);
  std::student_t_distribution<float> heavy(2.0f);
  for (int64_t n : {1, 2, 3, 17, 1000, 65537}) {
    std::vector<float> x(n);
    for (float &v : x)
      v = heavy(rng);
    for (int64_t k : {int64_t(1), std::max<int64_t>(1, n / 100), n / 2 + 1, n})
      expectMatchesReference(x, std::min(k, n));
  }
}

TEST(TopKCpu, TiesGoToLowerIndex) {
  // Magnitude ties across signs and positions.
  std::vector<float> x = {1.0f, -3.0f, 3.0f, 2.0f, -3.0f, 0.0f, 2.0f};
  expectMatchesReference(x, 1);
  expectMatchesReference(x, 2);
  expectMatchesReference(x, 4);
  std::vector<int32_t> indices(2);
  std::vector<float> values(2);
  selectTopKCpu(x.data(), x.size(), 2, indices.data(), values.data());
  EXPECT_EQ(indices, (std::vector<int32_t>{1, 2}));
}

TEST(TopKCpu, AllEqualAndAllZero) {
  std::vector<float> zeros(100, 0.0f);
  expectMatchesReference(zeros, 1);
  expectMatchesReference(zeros, 37);
  std::vector<float> same(100, -0.5f);
  expectMatchesReference(same, 100);
}

} // namespace
