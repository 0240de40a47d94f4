//===- LowRank.h - factor products of PowerSGD and ACP-SGD -----*- C++ -*-===//
//
// Matrices are row-major float. A gradient tensor of shape [d0, d1, ...] is
// viewed as M with n = d0 rows and m = d1 * ... columns.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_LOWRANK_H
#define AGTF_KERNELS_LOWRANK_H

#include <cstdint>

namespace agtf::kernels {

/// The rank a low-rank bucket factors a rows x cols member with: r =
/// min(rank, rows, cols) when its factors are smaller than it, r (rows +
/// cols) < rows cols; otherwise 0, and the member travels dense. A vector
/// is 1 x n (never factored). The runtime compresses by this rule and the
/// cost model prices by it.
inline int64_t factorRank(int64_t rows, int64_t cols, int64_t rank) {
  int64_t r = rank < rows ? rank : rows;
  r = r < cols ? r : cols;
  if (r < 1 || r * (rows + cols) >= rows * cols)
    return 0;
  return r;
}

/// P (n x r) = M (n x m) * Q (m x r).
void multiplyCpu(const float *m, const float *q, float *p, int64_t n,
                 int64_t cols, int64_t r);

/// Q (m x r) = M^T (m x n) * P (n x r).
void multiplyTransposedCpu(const float *m, const float *p, float *q, int64_t n,
                           int64_t cols, int64_t r);

/// out (n x m) = P (n x r) * Q^T (r x m).
void reconstructCpu(const float *p, const float *q, float *out, int64_t n,
                    int64_t cols, int64_t r);

/// Orthonormalises the r columns of P (n x r) in place by modified
/// Gram-Schmidt, in column order. A column whose norm is below `eps` after
/// projection is divided by (norm + eps), as PowerSGD does, so the result
/// stays finite.
void orthogonalizeCpu(float *p, int64_t n, int64_t r, float eps = 1e-8f);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_LOWRANK_H
