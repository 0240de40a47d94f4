//===- SparseOps.h - scatter, gather and merge of selections ----*- C++ -*-===//
//
// Shared signatures of the CPU twins and the CUDA kernels that turn
// (index, value) selections back into dense buckets.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_SPARSEOPS_H
#define AGTF_KERNELS_SPARSEOPS_H

#include "kernels/DeviceSelection.h"

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

/// CUDA twins of scatterAddCpu, zeroAtCpu and gatherAtCpu. The indices of
/// one scatterAddCuda call must not repeat (no selection repeats one).
void scatterAddCuda(const int32_t *indices, const float *values, int64_t count,
                    float *out, DeviceStream stream);
void zeroAtCuda(const int32_t *indices, int64_t count, float *x,
                DeviceStream stream);
void gatherAtCuda(const float *x, const int32_t *indices, int64_t count,
                  float *values, DeviceStream stream);

/// gTop-k's residual rule: x[indices[i]] -= values[i] for the i < count
/// whose index is in the set `setIndices` (increasing, `*setCount` entries
/// on the device).
void subtractInSetCuda(float *x, const int32_t *indices, const float *values,
                       int64_t count, const int32_t *setIndices,
                       const int64_t *setCount, DeviceStream stream);

/// One rank's selection as gathered: `count` (a host value) indices, no
/// index twice, and their values in the bucket's format, in device memory.
struct RankSelection {
  const int32_t *indices = nullptr;
  const void *values = nullptr;
  int64_t count = 0;
};

/// Bytes of device scratch averageSelectionsCuda needs for n elements.
size_t averageSelectionsCudaScratchBytes(int64_t n);

/// The decompression of gathered selections: out[0, n) = the sum over
/// ranks, in rank order, of every rank's selection, times `scale` (1 / P).
/// The same bits as zeroing, scatterAddCpu per rank and a multiply, and
/// deterministic, so every rank gets the same result. `selections` is a
/// host array of `ranks` entries.
void averageSelectionsCuda(const RankSelection *selections, int ranks,
                           ValueFormat format, float *out, int64_t n,
                           float scale, void *scratch, DeviceStream stream);

/// Bytes of device scratch mergeTopKCuda needs for lists of up to
/// `capacity` entries. Needs a current device.
size_t mergeTopKCudaScratchBytes(int64_t capacity, int64_t k);

/// CUDA twin of mergeTopKCpu with the counts in device memory (each at
/// most `capacity`): writes min(k, size of the union) entries and that
/// count to `outCount`. `outIndices` and `outValues` need room for k. No
/// host synchronisation.
void mergeTopKCuda(const int32_t *aIndices, const float *aValues,
                   const int64_t *aCount, const int32_t *bIndices,
                   const float *bValues, const int64_t *bCount,
                   int64_t capacity, int64_t k, int32_t *outIndices,
                   float *outValues, int64_t *outCount, void *scratch,
                   DeviceStream stream);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_SPARSEOPS_H
