//===- SparseOps.cu - CUDA twins of scatter, gather and gTop-k merge ------===//

#include "kernels/SparseOps.h"

#include "kernels/cuda/CudaCheck.h"
#include "kernels/cuda/RadixSelect.h"
#include "kernels/cuda/WireFormat.cuh"

using namespace agtf::kernels;
using namespace agtf::kernels::detail;

namespace {

__global__ void scatterAdd(const int *indices, const void *values,
                           ValueFormat format, long long count, float *out,
                           unsigned *touched) {
  AGTF_GRID_STRIDE(i, count) {
    int j = indices[i];
    out[j] = __fadd_rn(out[j], loadValue(values, i, format));
    if (touched)
      atomicOr(&touched[j >> 5], 1u << (j & 31));
  }
}

/// The first entry to clear an element's mark scales it, once, after all
/// ranks were added.
__global__ void scaleTouched(const int *indices, long long count, float *out,
                             float scale, unsigned *touched) {
  AGTF_GRID_STRIDE(i, count) {
    int j = indices[i];
    unsigned bit = 1u << (j & 31);
    if (atomicAnd(&touched[j >> 5], ~bit) & bit)
      out[j] = __fmul_rn(out[j], scale);
  }
}

__global__ void zeroAt(const int *indices, long long count, float *x) {
  AGTF_GRID_STRIDE(i, count) { x[indices[i]] = 0.0f; }
}

__global__ void gatherAt(const float *x, const int *indices, long long count,
                         float *values) {
  AGTF_GRID_STRIDE(i, count) { values[i] = x[indices[i]]; }
}

__device__ long long lowerBound(const int *a, long long n, int v) {
  long long lo = 0, hi = n;
  while (lo < hi) {
    long long mid = (lo + hi) / 2;
    if (a[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/// flags[i] = 1 when a's i-th index is also in b (capacity + 1 entries).
__global__ void flagShared(const int *a, const int64_t *aCount, const int *b,
                           const int64_t *bCount, long long capacity,
                           unsigned *flags) {
  const long long na = *aCount, nb = *bCount;
  AGTF_GRID_STRIDE(i, capacity + 1) {
    unsigned shared = 0;
    if (i < na) {
      long long at = lowerBound(b, nb, a[i]);
      shared = at < nb && b[at] == a[i];
    }
    flags[i] = shared;
  }
}

/// The union in index order: an entry's place is the entries of both lists
/// below its index, less the shared ones counted twice (`shared` holds the
/// exclusive prefix sums of flagShared).
__global__ void buildUnion(const int *a, const float *aValues,
                           const int64_t *aCount, const int *b,
                           const float *bValues, const int64_t *bCount,
                           long long capacity, const unsigned *shared,
                           int *unionIndices, float *unionValues,
                           int64_t *unionSize) {
  const long long na = *aCount, nb = *bCount;
  AGTF_GRID_STRIDE(t, 2 * capacity) {
    if (t == 0)
      *unionSize = na + nb - (long long)shared[na];
    if (t < capacity) {
      long long i = t;
      if (i >= na)
        continue;
      long long at = lowerBound(b, nb, a[i]);
      bool both = at < nb && b[at] == a[i];
      long long place = i + at - (long long)shared[i];
      unionIndices[place] = a[i];
      unionValues[place] =
          both ? __fadd_rn(aValues[i], bValues[at]) : aValues[i];
    } else {
      long long j = t - capacity;
      if (j >= nb)
        continue;
      long long at = lowerBound(a, na, b[j]);
      if (at < na && a[at] == b[j])
        continue;
      long long place = j + at - (long long)shared[at];
      unionIndices[place] = b[j];
      unionValues[place] = bValues[j];
    }
  }
}

__global__ void subtractInSet(float *x, const int *indices, const float *values,
                              long long count, const int *set,
                              const int64_t *setCount) {
  const long long n = *setCount;
  AGTF_GRID_STRIDE(i, count) {
    int j = indices[i];
    long long at = lowerBound(set, n, j);
    if (at < n && set[at] == j)
      x[j] = __fsub_rn(x[j], values[i]);
  }
}

__global__ void indicesAt(const int *unionIndices, const int *positions,
                          const int64_t *count, long long k, int *out) {
  const long long n = *count;
  AGTF_GRID_STRIDE(i, k) {
    if (i < n)
      out[i] = unionIndices[positions[i]];
  }
}

struct MergeScratch {
  unsigned *flags, *shared;
  void *scanTemp;
  size_t scanTempBytes;
  int *unionIndices, *positions;
  float *unionValues;
  int64_t *unionSize;
  SelectScratch select;
};

size_t mergeBytes(int64_t capacity, int64_t k, MergeScratch *carved,
                  void *base) {
  char *at = static_cast<char *>(base);
  size_t used = 0;
  auto take = [&](size_t bytes) {
    char *p = at + used;
    used += alignUp(bytes);
    return p;
  };
  MergeScratch s;
  s.flags = reinterpret_cast<unsigned *>(take((capacity + 1) * 4));
  s.shared = reinterpret_cast<unsigned *>(take((capacity + 1) * 4));
  s.scanTempBytes = exclusiveSumTempBytes(capacity + 1);
  s.scanTemp = take(s.scanTempBytes);
  s.unionIndices = reinterpret_cast<int *>(take(2 * capacity * 4));
  s.unionValues = reinterpret_cast<float *>(take(2 * capacity * 4));
  s.positions = reinterpret_cast<int *>(take(k * 4));
  s.unionSize = reinterpret_cast<int64_t *>(take(8));
  char *select = take(0);
  used += selectScratchBytes(2 * capacity, true);
  if (carved) {
    s.select = carveSelectScratch(select, 2 * capacity, true);
    *carved = s;
  }
  return used;
}

} // namespace

void agtf::kernels::scatterAddCuda(const int32_t *indices, const float *values,
                                   int64_t count, float *out,
                                   DeviceStream stream) {
  if (count <= 0)
    return;
  scatterAdd<<<gridFor256(count), 256, 0, stream>>>(
      indices, values, ValueFormat::f32, count, out, nullptr);
  checkLaunch("scatterAdd");
}

void agtf::kernels::zeroAtCuda(const int32_t *indices, int64_t count, float *x,
                               DeviceStream stream) {
  if (count <= 0)
    return;
  zeroAt<<<gridFor256(count), 256, 0, stream>>>(indices, count, x);
  checkLaunch("zeroAt");
}

void agtf::kernels::gatherAtCuda(const float *x, const int32_t *indices,
                                 int64_t count, float *values,
                                 DeviceStream stream) {
  if (count <= 0)
    return;
  gatherAt<<<gridFor256(count), 256, 0, stream>>>(x, indices, count, values);
  checkLaunch("gatherAt");
}

void agtf::kernels::subtractInSetCuda(float *x, const int32_t *indices,
                                      const float *values, int64_t count,
                                      const int32_t *setIndices,
                                      const int64_t *setCount,
                                      DeviceStream stream) {
  if (count <= 0)
    return;
  subtractInSet<<<gridFor256(count), 256, 0, stream>>>(
      x, indices, values, count, setIndices, setCount);
  checkLaunch("subtractInSet");
}

size_t agtf::kernels::averageSelectionsCudaScratchBytes(int64_t n) {
  return alignUp(size_t((n + 31) / 32) * 4);
}

void agtf::kernels::averageSelectionsCuda(const RankSelection *selections,
                                          int ranks, ValueFormat format,
                                          float *out, int64_t n, float scale,
                                          void *scratch, DeviceStream stream) {
  requireInt32Count(n, "averageSelectionsCuda");
  auto *touched = static_cast<unsigned *>(scratch);
  check(cudaMemsetAsync(out, 0, size_t(n) * 4, stream),
        "cudaMemsetAsync (bucket)");
  check(cudaMemsetAsync(touched, 0, size_t((n + 31) / 32) * 4, stream),
        "cudaMemsetAsync (touched marks)");
  // One launch per rank: the additions happen in rank order, as on the CPU.
  for (int r = 0; r < ranks; ++r) {
    const RankSelection &s = selections[r];
    if (s.count <= 0)
      continue;
    scatterAdd<<<gridFor256(s.count), 256, 0, stream>>>(
        s.indices, s.values, format, s.count, out, touched);
    checkLaunch("scatterAdd");
  }
  for (int r = 0; r < ranks; ++r) {
    const RankSelection &s = selections[r];
    if (s.count <= 0)
      continue;
    scaleTouched<<<gridFor256(s.count), 256, 0, stream>>>(s.indices, s.count,
                                                          out, scale, touched);
    checkLaunch("scaleTouched");
  }
}

size_t agtf::kernels::mergeTopKCudaScratchBytes(int64_t capacity, int64_t k) {
  return mergeBytes(capacity, k, nullptr, nullptr);
}

void agtf::kernels::mergeTopKCuda(const int32_t *aIndices, const float *aValues,
                                  const int64_t *aCount,
                                  const int32_t *bIndices, const float *bValues,
                                  const int64_t *bCount, int64_t capacity,
                                  int64_t k, int32_t *outIndices,
                                  float *outValues, int64_t *outCount,
                                  void *scratch, DeviceStream stream) {
  MergeScratch s;
  mergeBytes(capacity, k, &s, scratch);
  flagShared<<<gridFor256(capacity + 1), 256, 0, stream>>>(
      aIndices, aCount, bIndices, bCount, capacity, s.flags);
  checkLaunch("flagShared");
  exclusiveSum(s.flags, s.shared, capacity + 1, s.scanTemp, s.scanTempBytes,
               stream);
  buildUnion<<<gridFor256(2 * capacity), 256, 0, stream>>>(
      aIndices, aValues, aCount, bIndices, bValues, bCount, capacity, s.shared,
      s.unionIndices, s.unionValues, s.unionSize);
  checkLaunch("buildUnion");

  // Top-k over positions in the union: positions increase with indices, so
  // ties to the lower position are ties to the lower index.
  resetSelect(s.select, stream);
  SelectInput in;
  in.x = s.unionValues;
  in.n = 2 * capacity;
  in.deviceN = s.unionSize;
  enqueueSelect(in, k, /*exactKey=*/false, s.select, stream);
  SelectionTarget target;
  target.indices = s.positions;
  target.values = outValues;
  target.count = outCount;
  enqueueCompaction(s.unionValues, s.select, target, k, stream);
  indicesAt<<<gridFor256(k), 256, 0, stream>>>(s.unionIndices, s.positions,
                                               outCount, k, outIndices);
  checkLaunch("indicesAt");
}
