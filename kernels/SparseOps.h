//===- SparseOps.h - scatter, gather and merge of selections ----*- C++ -*-===//
//
// Shared signatures of the CPU twins and the CUDA kernels that turn
// (index, value) selections back into dense buckets.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_SPARSEOPS_H
#define AGTF_KERNELS_SPARSEOPS_H

#include <cstdint>

namespace agtf::kernels {

/// out[indices[i]] += values[i] for i < count. Indices may repeat (the
/// selections of several ranks are scattered into one bucket).
void scatterAddCpu(const int32_t *indices, const float *values, int64_t count,
                   float *out);

/// x[indices[i]] = 0 for i < count: removes what was sent from a residual.
void zeroAtCpu(const int32_t *indices, int64_t count, float *x);

/// values[i] = x[indices[i]] for i < count.
void gatherAtCpu(const float *x, const int32_t *indices, int64_t count,
                 float *values);

/// gTop-k's pairwise merge: the union of two selections (indices strictly
/// increasing in each), values summed where an index appears in both, then
/// the `k` entries of largest magnitude (ties to the lower index). Writes
/// them with increasing indices to `outIndices`/`outValues` (room for k)
/// and returns how many: min(k, size of the union).
int64_t mergeTopKCpu(const int32_t *aIndices, const float *aValues,
                     int64_t aCount, const int32_t *bIndices,
                     const float *bValues, int64_t bCount, int64_t k,
                     int32_t *outIndices, float *outValues);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_SPARSEOPS_H
