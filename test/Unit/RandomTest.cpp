//===- RandomTest.cpp - counter-based random numbers ----------------------===//

#include "kernels/Random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

using namespace agtf::kernels;

namespace {

struct Moments {
  double mean = 0, variance = 0;
};

Moments momentsOf(const std::vector<float> &x) {
  Moments m;
  for (float v : x)
    m.mean += v;
  m.mean /= x.size();
  for (float v : x)
    m.variance += (v - m.mean) * (v - m.mean);
  m.variance /= x.size();
  return m;
}

double fractionBeyond(const std::vector<float> &x, double bound) {
  int64_t beyond = 0;
  for (float v : x)
    beyond += std::fabs(v) > bound;
  return static_cast<double>(beyond) / x.size();
}

TEST(Random, BitsAreDeterministicAndSpread) {
  EXPECT_EQ(randomBits(1, 2), randomBits(1, 2));
  EXPECT_NE(randomBits(1, 2), randomBits(1, 3));
  EXPECT_NE(randomBits(1, 2), randomBits(2, 2));
  std::set<uint64_t> seen;
  for (uint64_t seed = 0; seed < 64; ++seed)
    for (uint64_t c = 0; c < 64; ++c)
      seen.insert(randomBits(seed, c));
  EXPECT_EQ(seen.size(), 64u * 64u);
  // Each output bit is set about half the time.
  for (int bit = 0; bit < 64; ++bit) {
    int set = 0;
    for (uint64_t c = 0; c < 4096; ++c)
      set += (randomBits(99, c) >> bit) & 1;
    EXPECT_NEAR(set / 4096.0, 0.5, 0.05) << "bit " << bit;
  }
}

TEST(Random, UniformInUnitInterval) {
  double sum = 0, sumSquares = 0;
  const int count = 100000;
  for (int i = 0; i < count; ++i) {
    double u = randomUniform(7, i);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sumSquares += u * u;
  }
  double mean = sum / count;
  EXPECT_NEAR(mean, 0.5, 0.005);
  EXPECT_NEAR(sumSquares / count - mean * mean, 1.0 / 12, 0.002);
}

TEST(Random, CombineSeed) {
  EXPECT_EQ(combineSeed(3, 4), combineSeed(3, 4));
  EXPECT_NE(combineSeed(3, 4), combineSeed(4, 3));
  std::set<uint64_t> seen;
  for (uint64_t a = 0; a < 32; ++a)
    for (uint64_t b = 0; b < 32; ++b)
      seen.insert(combineSeed(a, b));
  EXPECT_EQ(seen.size(), 32u * 32u);
}

TEST(Random, NormalIsDeterministicPerElement) {
  std::vector<float> whole(1000), part(300);
  fillNormalCpu(whole.data(), whole.size(), 42);
  std::vector<float> again(1000);
  fillNormalCpu(again.data(), again.size(), 42);
  EXPECT_EQ(whole, again);
  // A prefix fill gives the same prefix: element i depends on (seed, i) only.
  fillNormalCpu(part.data(), part.size(), 42);
  EXPECT_TRUE(std::equal(part.begin(), part.end(), whole.begin()));
  fillNormalCpu(again.data(), again.size(), 43);
  EXPECT_NE(whole, again);
  fillNormalCpu(again.data(), 0, 42); // empty fill is fine
}

TEST(Random, NormalMoments) {
  std::vector<float> x(400000);
  fillNormalCpu(x.data(), x.size(), 1);
  Moments m = momentsOf(x);
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  EXPECT_NEAR(m.variance, 1.0, 0.01);
  for (float v : x)
    ASSERT_TRUE(std::isfinite(v));
  // P(|Z| > 1.96) = 0.05, P(|Z| > 3) = 0.0027.
  EXPECT_NEAR(fractionBeyond(x, 1.96), 0.05, 0.002);
  EXPECT_NEAR(fractionBeyond(x, 3.0), 0.0027, 0.0005);
}

TEST(Random, HeavyTailedIsStudentT3) {
  std::vector<float> t(400000), same(400000), normal(400000);
  fillHeavyTailedCpu(t.data(), t.size(), 2, 1.0f);
  fillHeavyTailedCpu(same.data(), same.size(), 2, 1.0f);
  EXPECT_EQ(t, same);
  fillNormalCpu(normal.data(), normal.size(), 2);
  for (float v : t)
    ASSERT_TRUE(std::isfinite(v));
  Moments m = momentsOf(t);
  EXPECT_NEAR(m.mean, 0.0, 0.02);
  // Var(t_3) = 3, but its fourth moment is infinite: only a loose check.
  EXPECT_NEAR(m.variance, 3.0, 0.3);
  // Tail probabilities of t_3: P(|T| > 3.182) = 0.05, P(|T| > 5.841) = 0.01.
  EXPECT_NEAR(fractionBeyond(t, 3.182), 0.05, 0.002);
  EXPECT_NEAR(fractionBeyond(t, 5.841), 0.01, 0.001);
  // Heavier tails than the normal with the same variance.
  double sigma = std::sqrt(3.0);
  EXPECT_GT(fractionBeyond(t, 4 * sigma), 10 * fractionBeyond(normal, 4.0));
  // scale multiplies.
  std::vector<float> scaled(1000);
  fillHeavyTailedCpu(scaled.data(), scaled.size(), 2, 0.5f);
  for (size_t i = 0; i < scaled.size(); ++i)
    ASSERT_FLOAT_EQ(scaled[i], 0.5f * t[i]);
}

} // namespace
