//===- LowRankTest.cpp - factor products against naive triple loops -------===//

#include "kernels/LowRank.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace agtf::kernels;

namespace {

std::vector<float> randomMatrix(std::mt19937 &rng, int64_t rows, int64_t cols) {
  std::normal_distribution<float> normal;
  std::vector<float> a(rows * cols);
  for (float &v : a)
    v = normal(rng);
  return a;
}

// C (rows x cols) = op(A) * op(B) in double, with op(X) = X or X^T, all
// row-major in their stored shapes.
std::vector<double> naiveProduct(const std::vector<float> &a, bool transA,
                                 const std::vector<float> &b, bool transB,
                                 int64_t rows, int64_t inner, int64_t cols) {
  std::vector<double> c(rows * cols, 0.0);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      double sum = 0.0;
      for (int64_t l = 0; l < inner; ++l) {
        double av = transA ? a[l * rows + i] : a[i * inner + l];
        double bv = transB ? b[j * inner + l] : b[l * cols + j];
        sum += av * bv;
      }
      c[i * cols + j] = sum;
    }
  return c;
}

void expectNear(const std::vector<float> &got, const std::vector<double> &want,
                int64_t inner) {
  ASSERT_EQ(got.size(), want.size());
  // Float accumulation of `inner` products of unit normals.
  double tolerance = 1e-5 * (inner + 1);
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tolerance) << "at " << i;
}

struct Shape {
  int64_t n, m, r;
};

const Shape kShapes[] = {{1, 1, 1},   {1, 5, 1},     {5, 1, 1},
                         {3, 4, 2},   {7, 3, 4},     {16, 9, 4},
                         {64, 33, 8}, {200, 150, 1}, {31, 128, 16}};

TEST(LowRank, ProductsAgainstNaiveLoops) {
  std::mt19937 rng(21);
  for (const Shape &s : kShapes) {
    std::vector<float> m = randomMatrix(rng, s.n, s.m);
    std::vector<float> q = randomMatrix(rng, s.m, s.r);
    std::vector<float> p = randomMatrix(rng, s.n, s.r);

    std::vector<float> got(s.n * s.r, 123.0f); // stale contents overwritten
    multiplyCpu(m.data(), q.data(), got.data(), s.n, s.m, s.r);
    expectNear(got, naiveProduct(m, false, q, false, s.n, s.m, s.r), s.m);

    got.assign(s.m * s.r, -5.0f);
    multiplyTransposedCpu(m.data(), p.data(), got.data(), s.n, s.m, s.r);
    expectNear(got, naiveProduct(m, true, p, false, s.m, s.n, s.r), s.n);

    got.assign(s.n * s.m, 7.0f);
    reconstructCpu(p.data(), q.data(), got.data(), s.n, s.m, s.r);
    expectNear(got, naiveProduct(p, false, q, true, s.n, s.r, s.m), s.r);
  }
}

// Max |P^T P - I|.
double orthonormalityError(const std::vector<float> &p, int64_t n, int64_t r) {
  std::vector<double> gram = naiveProduct(p, true, p, false, r, n, r);
  double error = 0.0;
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < r; ++j)
      error = std::max(error, std::fabs(gram[i * r + j] - (i == j)));
  return error;
}

TEST(LowRank, OrthogonalizeGivesOrthonormalColumnsOfTheSameSpan) {
  std::mt19937 rng(5);
  for (const Shape &s : kShapes) {
    if (s.r > s.n)
      continue; // r > n columns cannot all be orthonormal
    std::vector<float> original = randomMatrix(rng, s.n, s.r);
    std::vector<float> p = original;
    orthogonalizeCpu(p.data(), s.n, s.r);
    EXPECT_LT(orthonormalityError(p, s.n, s.r), 1e-4) << s.n << "x" << s.r;
    // Same span, and Gram-Schmidt's triangle: original = P R with
    // R = P^T original upper triangular.
    std::vector<double> coefficients =
        naiveProduct(p, true, original, false, s.r, s.n, s.r);
    for (int64_t i = 0; i < s.r; ++i)
      for (int64_t j = 0; j < i; ++j)
        EXPECT_NEAR(coefficients[i * s.r + j], 0.0, 1e-4);
    std::vector<float> projected(s.n * s.r);
    for (int64_t i = 0; i < s.n; ++i)
      for (int64_t j = 0; j < s.r; ++j) {
        double sum = 0.0;
        for (int64_t l = 0; l < s.r; ++l)
          sum += p[i * s.r + l] * coefficients[l * s.r + j];
        projected[i * s.r + j] = static_cast<float>(sum);
      }
    for (size_t i = 0; i < p.size(); ++i)
      ASSERT_NEAR(projected[i], original[i], 1e-4) << s.n << "x" << s.r;
    // First column only rescaled: positive multiple of the original.
    for (int64_t i = 0; i < s.n; ++i)
      EXPECT_GE(p[i * s.r] * original[i * s.r], 0.0f);
  }
}

TEST(LowRank, OrthogonalizeKeepsZeroAndDependentColumnsFinite) {
  // Column 1 is zero, column 2 is independent, column 3 repeats column 0.
  int64_t n = 6, r = 4;
  std::vector<float> p(n * r);
  for (int64_t i = 0; i < n; ++i) {
    p[i * r + 0] = static_cast<float>(i + 1);
    p[i * r + 1] = 0.0f;
    p[i * r + 2] = (i % 2) ? 1.0f : -1.0f;
    p[i * r + 3] = static_cast<float>(i + 1);
  }
  orthogonalizeCpu(p.data(), n, r);
  // The repeated column leaves only rounding noise, which may be normalised
  // (as in PowerSGD) but must stay finite.
  for (float v : p)
    ASSERT_TRUE(std::isfinite(v));
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(p[i * r + 1], 0.0f);
  double norm0 = 0.0, norm2 = 0.0, dot02 = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    norm0 += p[i * r] * p[i * r];
    norm2 += p[i * r + 2] * p[i * r + 2];
    dot02 += p[i * r] * p[i * r + 2];
  }
  EXPECT_NEAR(norm0, 1.0, 1e-5);
  EXPECT_NEAR(norm2, 1.0, 1e-5);
  EXPECT_NEAR(dot02, 0.0, 1e-5);

  // More columns than rows: the surplus ones are dependent, still finite.
  std::mt19937 rng(8);
  std::vector<float> wide = randomMatrix(rng, 3, 7);
  orthogonalizeCpu(wide.data(), 3, 7);
  for (float v : wide)
    ASSERT_TRUE(std::isfinite(v));
  std::vector<float> leading;
  for (int64_t i = 0; i < 3; ++i)
    leading.insert(leading.end(), wide.begin() + i * 7,
                   wide.begin() + i * 7 + 3);
  EXPECT_LT(orthonormalityError(leading, 3, 3), 1e-5);

  std::vector<float> single = {0.0f};
  orthogonalizeCpu(single.data(), 1, 1);
  EXPECT_EQ(single[0], 0.0f);
  single = {-3.0f};
  orthogonalizeCpu(single.data(), 1, 1);
  EXPECT_FLOAT_EQ(single[0], -1.0f);
}

} // namespace
