//===- Pack.h - fused buckets from separate tensors -------------*- C++ -*-===//
//
// A bucket fuses consecutive gradient tensors. When they live in one flat
// buffer (agtf-run's replay), a bucket is a view of it and nothing is
// copied; when each tensor has its own allocation (a framework's
// gradients), pack copies them into the bucket in one launch and unpack
// copies the averaged result back.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_PACK_H
#define AGTF_KERNELS_PACK_H

#include "kernels/DeviceSelection.h"

#include <cstdint>

namespace agtf::kernels {

/// One tensor's place in a bucket: tensor[0, numel) is
/// bucket[offset, offset + numel).
struct PackSegment {
  float *tensor = nullptr;
  int64_t offset = 0;
  int64_t numel = 0;
};

/// Copies every segment's tensor into `bucket`. Segments are sorted by
/// offset and tile [0, total).
void packCpu(const PackSegment *segments, int count, float *bucket);
void unpackCpu(const PackSegment *segments, int count, const float *bucket);

/// The CUDA twins, one launch each; `segments` is a device array (the
/// tensors are device memory too).
void packCuda(const PackSegment *segments, int count, int64_t total,
              float *bucket, DeviceStream stream);
void unpackCuda(const PackSegment *segments, int count, int64_t total,
                const float *bucket, DeviceStream stream);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_PACK_H
