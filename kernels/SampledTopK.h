//===- SampledTopK.h - DGC's sampled-threshold selection --------*- C++ -*-===//
//
// Deep Gradient Compression selects by a threshold estimated on a strided
// sample instead of an exact top-k (REFERENCES.md, DGC):
//  - stride so that the sample has at least max(1% of n, 2/density) entries
//    (all of x when n is small), starting at an offset drawn from `seed`;
//  - threshold = the smallest magnitude among the top ceil(density * sample)
//    magnitudes of the sample;
//  - select |x| >= threshold; more than 1.3k selected: exact top-k of the
//    selected candidates (exactly k kept); fewer than 0.8k: threshold *= 0.8
//    and count again, at most 10 rounds in all.
// Never returns an empty selection.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_SAMPLEDTOPK_H
#define AGTF_KERNELS_SAMPLEDTOPK_H

#include "kernels/DeviceSelection.h"

#include <cstdint>

namespace agtf::kernels {

/// Most elements selectSampledTopKCpu can return for (n, k):
/// min(n, max(k, floor(1.3 k))).
int64_t sampledTopKCapacity(int64_t n, int64_t k);

struct SampledSelection {
  int64_t count = 0;   // selected, 1 <= count <= capacity
  float threshold = 0; // the final magnitude threshold
  int rounds = 0;      // threshold rounds used (1..10)
};

/// Selects about `k` (1 <= k <= n) large-magnitude elements of x[0, n) as
/// above. Writes indices in increasing order and their values; both buffers
/// need sampledTopKCapacity(n, k) entries. Deterministic in (x, k, seed).
SampledSelection selectSampledTopKCpu(const float *x, int64_t n, int64_t k,
                                      uint64_t seed, int32_t *indices,
                                      float *values);

/// Bytes of device scratch selectSampledTopKCuda needs for (n, k') with
/// any k' >= k: the sample grows as k shrinks (it has at least 2n/k'
/// entries), so a caller whose k varies (DGC's warmup) passes the smallest.
/// Needs a current device.
size_t sampledTopKCudaScratchBytes(int64_t n, int64_t k);

/// CUDA twin of selectSampledTopKCpu: the same selection (for inputs
/// without NaN) in `out`, whose buffers need sampledTopKCapacity(n, k)
/// entries; the count goes to `out.count` and, with `info` (device, may be
/// null), the count, threshold and rounds. The sample's k-th magnitude, the
/// threshold rounds and the choice between the threshold and the exact
/// fallback all happen on the device: no host synchronisation.
void selectSampledTopKCuda(const float *x, int64_t n, int64_t k, uint64_t seed,
                           const SelectionTarget &out, SampledSelection *info,
                           void *scratch, DeviceStream stream);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_SAMPLEDTOPK_H
