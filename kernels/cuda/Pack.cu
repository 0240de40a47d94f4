//===- Pack.cu - CUDA twins of bucket packing -----------------------------===//
//
// Each block copies one chunk of the bucket: it finds the segment holding
// the chunk's start by binary search, then walks the segments that overlap
// the chunk, every thread copying consecutive elements (coalesced on both
// sides).
//
//===----------------------------------------------------------------------===//

#include "kernels/Pack.h"

#include "kernels/cuda/CudaCheck.h"

using namespace agtf::kernels;
using namespace agtf::kernels::detail;

namespace {

constexpr long long kChunk = 8192;

template <bool Pack>
__global__ void copySegments(const PackSegment *segments, int count,
                             long long total, float *bucket) {
  __shared__ int first;
  for (long long chunk = blockIdx.x; chunk * kChunk < total;
       chunk += gridDim.x) {
    const long long begin = chunk * kChunk;
    const long long end = begin + kChunk < total ? begin + kChunk : total;
    if (threadIdx.x == 0) {
      int lo = 0, hi = count - 1;
      while (lo < hi) { // the last segment starting at or before `begin`
        int mid = (lo + hi + 1) / 2;
        if (segments[mid].offset <= begin)
          lo = mid;
        else
          hi = mid - 1;
      }
      first = lo;
    }
    __syncthreads();
    for (int s = first; s < count && segments[s].offset < end; ++s) {
      const PackSegment seg = segments[s];
      long long from = seg.offset > begin ? seg.offset : begin;
      long long to =
          seg.offset + seg.numel < end ? seg.offset + seg.numel : end;
      for (long long i = from + threadIdx.x; i < to; i += blockDim.x) {
        if (Pack)
          bucket[i] = seg.tensor[i - seg.offset];
        else
          seg.tensor[i - seg.offset] = bucket[i];
      }
    }
    __syncthreads();
  }
}

} // namespace

void agtf::kernels::packCuda(const PackSegment *segments, int count,
                             int64_t total, float *bucket,
                             DeviceStream stream) {
  if (count <= 0 || total <= 0)
    return;
  copySegments<true><<<gridFor(total, kChunk, 16), 256, 0, stream>>>(
      segments, count, total, bucket);
  checkLaunch("pack");
}

void agtf::kernels::unpackCuda(const PackSegment *segments, int count,
                               int64_t total, const float *bucket,
                               DeviceStream stream) {
  if (count <= 0 || total <= 0)
    return;
  copySegments<false><<<gridFor(total, kChunk, 16), 256, 0, stream>>>(
      segments, count, total, const_cast<float *>(bucket));
  checkLaunch("unpack");
}
