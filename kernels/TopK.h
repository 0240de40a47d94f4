//===- TopK.h - magnitude top-k selection -----------------------*- C++ -*-===//
//
// Shared signature of the CPU twin and the CUDA kernel of exact top-k.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_TOPK_H
#define AGTF_KERNELS_TOPK_H

#include "kernels/DeviceSelection.h"

#include <cstdint>

namespace agtf::kernels {

/// Number of elements an exact top-k at `density` keeps from `n`:
/// max(1, ceil(density * n)), at most n. Never zero, so that no rank ever
/// sends an empty selection.
int64_t topKCount(int64_t n, double density);

/// Selects the `k` elements of `x[0, n)` with the largest magnitude. Ties
/// go to the lower index, so every implementation picks the same set.
/// Writes their indices in increasing order to `indices` and their values to
/// `values` (both of length k). Requires 1 <= k <= n < 2^31.
/// Magnitudes are ranked by the float's bits without the sign, which for
/// non-NaN values is the order of |x| (-0 and +0 are equal); a NaN ranks
/// above infinity, NaNs among themselves by those bits (their payload), as
/// in the CUDA twin. The CPU twin is a radix selection on those bits
/// (kernels/cpu/MagnitudeSelect.h) with scratch of a fixed size, none of
/// size n: at most three reads of x, one when a sample's bound on the top k
/// holds and its candidates fit the scratch; four only when that bound
/// proves too high and the k-th magnitude's bin of 2^16 keys holds more
/// than 65536 elements.
void selectTopKCpu(const float *x, int64_t n, int64_t k, int32_t *indices,
                   float *values);

/// Bytes of device scratch the CUDA top-k functions need for n elements
/// (about n + n / 4 bytes beyond 512 K elements). Needs a current device.
size_t topKCudaScratchBytes(int64_t n);

/// CUDA twin of selectTopKCpu: the same set in the same order, values in
/// `out.format`, `out.count` = k. Requires 1 <= k <= n < 2^31. No host
/// synchronisation.
void selectTopKCuda(const float *x, int64_t n, int64_t k,
                    const SelectionTarget &out, void *scratch,
                    DeviceStream stream);

/// The fused error-feedback step of exact top-k: residual += grad, then
/// selectTopKCuda on the residual, in the same two reads of it. With
/// `out.subtractFrom` = residual it ends as the accumulated value minus what
/// was sent.
void accumulateSelectTopKCuda(float *residual, const float *grad, int64_t n,
                              int64_t k, const SelectionTarget &out,
                              void *scratch, DeviceStream stream);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_TOPK_H
