//===- LowRank.cpp - CPU twins of the PowerSGD factor products ------------===//
//
// Plain loops ordered so that the innermost loop walks contiguous rows of the
// row-major operands; r (the rank) is small, so rows of P and Q fit in cache.
//
//===----------------------------------------------------------------------===//

#include "kernels/LowRank.h"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace agtf::kernels;

void agtf::kernels::multiplyCpu(const float *m, const float *q, float *p,
                                int64_t n, int64_t cols, int64_t r) {
  // Row i of P is the combination of the rows of Q weighted by row i of M.
  for (int64_t i = 0; i < n; ++i) {
    float *pRow = p + i * r;
    std::fill(pRow, pRow + r, 0.0f);
    const float *mRow = m + i * cols;
    for (int64_t j = 0; j < cols; ++j) {
      float mij = mRow[j];
      const float *qRow = q + j * r;
      for (int64_t c = 0; c < r; ++c)
        pRow[c] += mij * qRow[c];
    }
  }
}

void agtf::kernels::multiplyTransposedCpu(const float *m, const float *p,
                                          float *q, int64_t n, int64_t cols,
                                          int64_t r) {
  // Accumulate the outer products of row i of M with row i of P, reading M
  // once in memory order.
  std::fill(q, q + cols * r, 0.0f);
  for (int64_t i = 0; i < n; ++i) {
    const float *mRow = m + i * cols;
    const float *pRow = p + i * r;
    for (int64_t j = 0; j < cols; ++j) {
      float mij = mRow[j];
      float *qRow = q + j * r;
      for (int64_t c = 0; c < r; ++c)
        qRow[c] += mij * pRow[c];
    }
  }
}

void agtf::kernels::reconstructCpu(const float *p, const float *q, float *out,
                                   int64_t n, int64_t cols, int64_t r) {
  for (int64_t i = 0; i < n; ++i) {
    const float *pRow = p + i * r;
    float *outRow = out + i * cols;
    for (int64_t j = 0; j < cols; ++j) {
      const float *qRow = q + j * r;
      float sum = 0.0f;
      for (int64_t c = 0; c < r; ++c)
        sum += pRow[c] * qRow[c];
      outRow[j] = sum;
    }
  }
}

void agtf::kernels::orthogonalizeCpu(float *p, int64_t n, int64_t r,
                                     float eps) {
  // Modified Gram-Schmidt in its right-looking form: normalise column c, then
  // remove its component from every later column. Each step reads P row by
  // row; dot products accumulate in double.
  std::vector<double> dots(r);
  for (int64_t c = 0; c < r; ++c) {
    double squares = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      double v = p[i * r + c];
      squares += v * v;
    }
    double norm = std::sqrt(squares);
    // Like PowerSGD, a (near) zero column is divided by norm + eps so that it
    // stays finite instead of blowing up.
    double divisor = norm < eps ? norm + eps : norm;
    auto inverse = static_cast<float>(1.0 / divisor);
    for (int64_t i = 0; i < n; ++i)
      p[i * r + c] *= inverse;

    if (c + 1 == r)
      break;
    std::fill(dots.begin() + c + 1, dots.end(), 0.0);
    for (int64_t i = 0; i < n; ++i) {
      const float *row = p + i * r;
      double v = row[c];
      for (int64_t d = c + 1; d < r; ++d)
        dots[d] += v * row[d];
    }
    for (int64_t i = 0; i < n; ++i) {
      float *row = p + i * r;
      float v = row[c];
      for (int64_t d = c + 1; d < r; ++d)
        row[d] -= static_cast<float>(dots[d]) * v;
    }
  }
}
