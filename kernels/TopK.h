//===- TopK.h - magnitude top-k selection -----------------------*- C++ -*-===//
//
// Shared signature of the CPU twin and the CUDA kernel of exact top-k.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_TOPK_H
#define AGTF_KERNELS_TOPK_H

#include <cstdint>

namespace agtf::kernels {

/// Number of elements an exact top-k at `density` keeps from `n`:
/// max(1, ceil(density * n)), at most n. Never zero, so that no rank ever
/// sends an empty selection.
int64_t topKCount(int64_t n, double density);

/// Selects the `k` elements of `x[0, n)` with the largest magnitude. Ties
/// go to the lower index, so every implementation picks the same set.
/// Writes their indices in increasing order to `indices` and their values to
/// `values` (both of length k). Requires 1 <= k <= n.
void selectTopKCpu(const float *x, int64_t n, int64_t k, int32_t *indices,
                   float *values);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_TOPK_H
