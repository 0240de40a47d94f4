//===- Pack.cpp - CPU twins of bucket packing -----------------------------===//

#include "kernels/Pack.h"

#include <cstring>

using namespace agtf::kernels;

void agtf::kernels::packCpu(const PackSegment *segments, int count,
                            float *bucket) {
  for (int s = 0; s < count; ++s)
    std::memcpy(bucket + segments[s].offset, segments[s].tensor,
                size_t(segments[s].numel) * sizeof(float));
}

void agtf::kernels::unpackCpu(const PackSegment *segments, int count,
                              const float *bucket) {
  for (int s = 0; s < count; ++s)
    std::memcpy(segments[s].tensor, bucket + segments[s].offset,
                size_t(segments[s].numel) * sizeof(float));
}
