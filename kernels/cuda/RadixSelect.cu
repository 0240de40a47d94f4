//===- RadixSelect.cu - exact selection by radix passes -------------------===//
//
// See RadixSelect.h for the method. Every pass kernel is launched with a
// grid sized on the host from the host bound of n; what a pass does (or
// that it has nothing left to do) is read from the state on the device.
//
//===----------------------------------------------------------------------===//

#include "kernels/cuda/CudaCheck.h"
#include "kernels/cuda/RadixSelect.h"
#include "kernels/cuda/WireFormat.cuh"

#include <cub/device/device_scan.cuh>

#include <algorithm>

using namespace agtf::kernels;
using namespace agtf::kernels::detail;

namespace {

constexpr int kThreads = 512;
constexpr unsigned kFull = 0xffffffffu;
/// Candidates that one block refines on its own, right after pass 2.
constexpr long long kSmallCandidates = 16384;

__host__ __device__ constexpr int passShift(int pass) {
  return pass < kPasses - 1 ? 52 - 11 * pass : 0;
}
__host__ __device__ constexpr int passWidth(int pass) {
  return pass < kPasses - 1 ? 11 : 8;
}

long long candidateCapacityFor(int64_t n) {
  return std::min<long long>(n, std::max<long long>(65536, n / 8));
}
long long groupsFor(int64_t n) {
  return std::max<long long>(1, (n + kGroup - 1) / kGroup);
}

__device__ __forceinline__ unsigned long long compositeKey(float v,
                                                           long long i) {
  unsigned key = __float_as_uint(v) & 0x7fffffffu;
  return (static_cast<unsigned long long>(key) << 32) |
         (0xffffffffu - static_cast<unsigned>(i));
}

__device__ __forceinline__ long long indexOf(unsigned long long key) {
  return 0xffffffffu - static_cast<unsigned>(key);
}

__device__ __forceinline__ long long effectiveN(long long n,
                                                const int64_t *deviceN) {
  return deviceN ? *deviceN : n;
}

/// Zeroes a block's shared histogram and waits for every thread, so that no
/// thread counts into a bin another has not cleared yet. Every thread of the
/// block must call it (it holds a barrier).
__device__ void clearHistogram(unsigned *hist) {
  for (int b = threadIdx.x; b < kBins; b += blockDim.x)
    hist[b] = 0;
  __syncthreads();
}

/// Warp 0 of the deciding block: picks the digit of pass `pass` that holds
/// the k-th key, from `hist` (global after a multi-block pass, or shared).
__device__ void chooseDigit(SelectState *st, const volatile unsigned *hist,
                            int pass, long long k, long long n, bool exactKey) {
  volatile SelectState *vs = st;
  const int lane = threadIdx.x & 31;
  long long kRemaining = pass == 0 ? (k < n ? k : n) : vs->kRemaining;
  unsigned long long sums = 0;
  for (int j = 0; j < 64; ++j)
    sums += hist[lane * 64 + j];
  // Inclusive sums from the top digit down: lane L covers lanes >= L.
  unsigned long long suffix = sums;
  for (int offset = 1; offset < 32; offset <<= 1) {
    unsigned long long other = __shfl_down_sync(kFull, suffix, offset);
    if (lane + offset < 32)
      suffix += other;
  }
  unsigned reach = __ballot_sync(
      kFull, kRemaining > 0 && suffix >= (unsigned long long)kRemaining);
  if (reach == 0) {
    // Nothing to select (no elements): a prefix no key reaches.
    if (lane == 0) {
      vs->shift = 63;
      vs->prefix = 1;
      vs->kRemaining = 0;
      vs->done = 1;
    }
    return;
  }
  int owner = 31 - __clz(reach);
  if (lane != owner)
    return;
  unsigned long long above = suffix - sums, count = 0;
  int digit = lane * 64;
  for (int j = 63; j >= 0; --j) {
    unsigned h = hist[lane * 64 + j];
    if (above + h >= (unsigned long long)kRemaining) {
      digit = lane * 64 + j;
      count = h;
      break;
    }
    above += h;
  }
  long long left = kRemaining - (long long)above;
  int shift = passShift(pass);
  unsigned long long prefix =
      pass == 0 ? digit : ((vs->prefix << passWidth(pass)) | digit);
  vs->prefix = prefix;
  vs->shift = shift;
  vs->kRemaining = left;
  if (pass == 0)
    vs->firstPrefix = prefix;
  // Keys are distinct: the last pass always leaves exactly one.
  vs->done = pass == kPasses - 1 ||
             (count == (unsigned long long)left && (!exactKey || shift <= 32));
}

/// Adds this block's histogram to pass `pass`'s and tells whether this is
/// the last block of the pass to do so (the one that decides).
__device__ bool flushIsLast(SelectState *st, const unsigned *hist, int pass) {
  __shared__ int isLast;
  for (int b = threadIdx.x; b < kBins; b += blockDim.x)
    if (hist[b])
      atomicAdd(&st->hist[pass][b], hist[b]);
  __threadfence();
  __syncthreads();
  if (threadIdx.x == 0)
    isLast = atomicAdd(&st->tickets[pass], 1u) == gridDim.x - 1;
  __syncthreads();
  if (isLast)
    __threadfence();
  return isLast;
}

/// Passes `first`.. on `count` candidates in one block, with `hist` in
/// shared memory.
__device__ void finishInBlock(SelectState *st,
                              const unsigned long long *candidates,
                              long long count, int first, long long k,
                              long long n, bool exactKey, unsigned *hist) {
  volatile SelectState *vs = st;
  for (int pass = first; pass < kPasses; ++pass) {
    __syncthreads();
    if (vs->done)
      return;
    const int shift = vs->shift;
    const unsigned long long prefix = vs->prefix;
    clearHistogram(hist);
    const int digitShift = passShift(pass);
    const unsigned mask = (1u << passWidth(pass)) - 1;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) {
      unsigned long long key = __ldcg(candidates + i);
      if ((key >> shift) == prefix)
        atomicAdd(&hist[(key >> digitShift) & mask], 1u);
    }
    __syncthreads();
    if (threadIdx.x < 32)
      chooseDigit(st, hist, pass, k, n, exactKey);
  }
}

template <bool Fused>
__global__ void __launch_bounds__(kThreads)
    histogramPass(float *x, const float *grad, long long nHost,
                  const int64_t *deviceN, long long k, int exactKey,
                  SelectState *st) {
  __shared__ unsigned hist[kBins];
  if (st->skip)
    return;
  const long long n = effectiveN(nHost, deviceN);
  clearHistogram(hist);
  const long long stride = (long long)gridDim.x * blockDim.x;
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  constexpr int kUnroll = 4;
  // Four independent loads in flight per thread before the first use.
  for (; i + (kUnroll - 1) * stride < n; i += kUnroll * stride) {
    float v[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u)
      v[u] = x[i + u * stride];
    if (Fused) {
      float g[kUnroll];
#pragma unroll
      for (int u = 0; u < kUnroll; ++u)
        g[u] = grad[i + u * stride];
#pragma unroll
      for (int u = 0; u < kUnroll; ++u) {
        v[u] = __fadd_rn(v[u], g[u]);
        x[i + u * stride] = v[u];
      }
    }
#pragma unroll
    for (int u = 0; u < kUnroll; ++u)
      atomicAdd(&hist[(__float_as_uint(v[u]) & 0x7fffffffu) >> 20], 1u);
  }
  for (; i < n; i += stride) {
    float v = x[i];
    if (Fused) {
      v = __fadd_rn(v, grad[i]);
      x[i] = v;
    }
    atomicAdd(&hist[(__float_as_uint(v) & 0x7fffffffu) >> 20], 1u);
  }
  __syncthreads();
  if (!flushIsLast(st, hist, 0))
    return;
  if (threadIdx.x < 32)
    chooseDigit(st, st->hist[0], 0, k, n, exactKey);
}

/// Pass 2: a warp takes 256 consecutive elements at a time, marks those
/// above the chosen first digit (one bitmap word per 32, one count per
/// 256), appends the chosen digit's elements to the candidates and
/// histograms their second digit.
__global__ void __launch_bounds__(kThreads)
    filterPass(const float *x, long long nHost, const int64_t *deviceN,
               long long groups, long long k, int exactKey, SelectState *st,
               unsigned long long *candidates, long long capacity,
               unsigned *bitmap, unsigned *groupCounts) {
  __shared__ unsigned hist[kBins];
  if (st->skip)
    return;
  const long long n = effectiveN(nHost, deviceN);
  const bool done = st->done;
  const int shift = st->shift;
  const unsigned long long prefix = st->prefix;
  clearHistogram(hist);
  const int lane = threadIdx.x & 31;
  const long long warp =
      ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  const long long warps = ((long long)gridDim.x * blockDim.x) >> 5;
  for (long long g = warp; g < groups; g += warps) {
    const long long base = g * kGroup;
    float v[8];
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      long long i = base + j * 32 + lane;
      v[j] = i < n ? x[i] : 0.0f;
    }
    unsigned mine = 0, total = 0;
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      long long i = base + j * 32 + lane;
      bool in = i < n;
      unsigned long long key = compositeKey(v[j], i);
      unsigned long long top = key >> shift;
      bool selected = in && (done ? top >= prefix : top > prefix);
      bool candidate = in && !done && top == prefix;
      unsigned word = __ballot_sync(kFull, selected);
      total += __popc(word);
      if (lane == j)
        mine = word;
      unsigned many = __ballot_sync(kFull, candidate);
      if (many) {
        int leader = __ffs(many) - 1;
        unsigned long long at = 0;
        if (lane == leader)
          at = atomicAdd(&st->candidateCount, (unsigned long long)__popc(many));
        at = __shfl_sync(kFull, at, leader);
        if (candidate) {
          at += __popc(many & ((1u << lane) - 1));
          if (at < (unsigned long long)capacity)
            candidates[at] = key;
          atomicAdd(&hist[(key >> passShift(1)) & (kBins - 1)], 1u);
        }
      }
    }
    if (bitmap) {
      if (lane < 8)
        bitmap[g * 8 + lane] = mine;
      if (lane == 0)
        groupCounts[g] = total;
    }
  }
  if (done)
    return;
  __syncthreads();
  if (!flushIsLast(st, hist, 1))
    return;
  if (threadIdx.x < 32)
    chooseDigit(st, st->hist[1], 1, k, n, exactKey);
  __syncthreads();
  volatile SelectState *vs = st;
  unsigned long long count = vs->candidateCount;
  if (threadIdx.x == 0)
    vs->candidateMode = count <= (unsigned long long)capacity ? 1 : 2;
  if (count <= (unsigned long long)capacity &&
      count <= (unsigned long long)kSmallCandidates)
    finishInBlock(st, candidates, (long long)count, 2, k, n, exactKey, hist);
}

/// Passes 3 to 6 over the candidates (or over x when they overflowed).
__global__ void __launch_bounds__(kThreads)
    refinePass(int pass, const float *x, long long nHost,
               const int64_t *deviceN, long long k, int exactKey,
               SelectState *st, const unsigned long long *candidates) {
  __shared__ unsigned hist[kBins];
  if (st->skip || st->done)
    return;
  const long long n = effectiveN(nHost, deviceN);
  const bool fromBuffer = st->candidateMode == 1;
  const long long count = fromBuffer ? (long long)st->candidateCount : n;
  const int shift = st->shift;
  const unsigned long long prefix = st->prefix;
  clearHistogram(hist);
  const int digitShift = passShift(pass);
  const unsigned mask = (1u << passWidth(pass)) - 1;
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
       i < count; i += stride) {
    unsigned long long key = fromBuffer ? candidates[i] : compositeKey(x[i], i);
    if ((key >> shift) == prefix)
      atomicAdd(&hist[(key >> digitShift) & mask], 1u);
  }
  __syncthreads();
  if (!flushIsLast(st, hist, pass))
    return;
  if (threadIdx.x < 32)
    chooseDigit(st, st->hist[pass], pass, k, n, exactKey);
}

/// Marks the selected candidates (pass 2 marked everything above them).
__global__ void markCandidates(const float *x, long long nHost,
                               const int64_t *deviceN, SelectState *st,
                               const unsigned long long *candidates,
                               unsigned *bitmap, unsigned *groupCounts) {
  if (st->skip || st->candidateMode == 0)
    return;
  const long long n = effectiveN(nHost, deviceN);
  const bool fromBuffer = st->candidateMode == 1;
  const long long count = fromBuffer ? (long long)st->candidateCount : n;
  const int shift = st->shift;
  const unsigned long long prefix = st->prefix;
  const unsigned long long first = st->firstPrefix;
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
       i < count; i += stride) {
    unsigned long long key = fromBuffer ? candidates[i] : compositeKey(x[i], i);
    if (!fromBuffer && (key >> passShift(0)) != first)
      continue;
    if ((key >> shift) < prefix)
      continue;
    long long j = indexOf(key);
    unsigned bit = 1u << (j & 31);
    unsigned old = atomicOr(&bitmap[j >> 5], bit);
    if (!(old & bit))
      atomicAdd(&groupCounts[j / kGroup], 1u);
  }
}

/// One thread per group: its marked elements go to `offsets[g]` onwards.
__global__ void writeSelection(const float *x, long long groups,
                               const unsigned *bitmap,
                               const unsigned *groupCounts,
                               const unsigned *offsets, SelectionTarget out,
                               long long capacity) {
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long g = (long long)blockIdx.x * blockDim.x + threadIdx.x;
       g < groups; g += stride) {
    if (g == groups - 1 && out.count)
      *out.count = (long long)offsets[g] + groupCounts[g];
    const uint4 *quads = reinterpret_cast<const uint4 *>(bitmap + g * 8);
    uint4 a = quads[0], b = quads[1];
    unsigned words[8] = {a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w};
    if (!(a.x | a.y | a.z | a.w | b.x | b.y | b.z | b.w))
      continue;
    long long at = offsets[g];
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      unsigned w = words[j];
      while (w) {
        int bit = __ffs(w) - 1;
        w &= w - 1;
        long long i = g * kGroup + j * 32 + bit;
        if (at < capacity) {
          float v = x[i];
          out.indices[at] = static_cast<int>(i);
          float sent = storeValue(out.values, at, out.format, v);
          if (out.subtractFrom)
            out.subtractFrom[i] = __fsub_rn(v, sent);
          if (out.zeroAt)
            out.zeroAt[i] = 0.0f;
        }
        ++at;
      }
    }
  }
}

} // namespace

size_t agtf::kernels::detail::exclusiveSumTempBytes(int64_t items) {
  requireInt32Count(items, "exclusiveSum");
  size_t bytes = 0;
  check(cub::DeviceScan::ExclusiveSum(
            nullptr, bytes, static_cast<const unsigned *>(nullptr),
            static_cast<unsigned *>(nullptr), static_cast<int>(items)),
        "cub::DeviceScan::ExclusiveSum (size)");
  return bytes;
}

void agtf::kernels::detail::exclusiveSum(const unsigned *in, unsigned *out,
                                         int64_t items, void *temp,
                                         size_t tempBytes,
                                         cudaStream_t stream) {
  requireInt32Count(items, "exclusiveSum");
  check(cub::DeviceScan::ExclusiveSum(temp, tempBytes, in, out,
                                      static_cast<int>(items), stream),
        "cub::DeviceScan::ExclusiveSum");
}

size_t agtf::kernels::detail::selectScratchBytes(int64_t n, bool bitmap) {
  size_t bytes = alignUp(sizeof(SelectState)) +
                 alignUp(size_t(candidateCapacityFor(n)) * 8);
  if (bitmap) {
    long long groups = groupsFor(n);
    bytes += alignUp(size_t(groups) * 32) +
             2 * alignUp(size_t(groups + 1) * 4) +
             alignUp(exclusiveSumTempBytes(groups));
  }
  return bytes;
}

SelectScratch agtf::kernels::detail::carveSelectScratch(void *base, int64_t n,
                                                        bool bitmap) {
  char *at = static_cast<char *>(base);
  SelectScratch s;
  s.state = reinterpret_cast<SelectState *>(at);
  at += alignUp(sizeof(SelectState));
  s.candidateCapacity = candidateCapacityFor(n);
  s.candidates = reinterpret_cast<unsigned long long *>(at);
  at += alignUp(size_t(s.candidateCapacity) * 8);
  s.groups = groupsFor(n);
  if (bitmap) {
    s.bitmap = reinterpret_cast<unsigned *>(at);
    at += alignUp(size_t(s.groups) * 32);
    s.groupCounts = reinterpret_cast<unsigned *>(at);
    at += alignUp(size_t(s.groups + 1) * 4);
    s.groupOffsets = reinterpret_cast<unsigned *>(at);
    at += alignUp(size_t(s.groups + 1) * 4);
    s.scanTemp = at;
    s.scanTempBytes = exclusiveSumTempBytes(s.groups);
  }
  return s;
}

void agtf::kernels::detail::resetSelect(const SelectScratch &s,
                                        cudaStream_t stream) {
  check(cudaMemsetAsync(s.state, 0, sizeof(SelectState), stream),
        "cudaMemsetAsync (selection state)");
}

void agtf::kernels::detail::enqueueSelect(const SelectInput &in, int64_t k,
                                          bool exactKey, const SelectScratch &s,
                                          cudaStream_t stream) {
  // Keys hold the index in 32 bits and the compaction writes int32.
  requireInt32Count(in.n, "top-k selection");
  const int grid = gridFor(in.n, int64_t(kThreads) * 4, 4);
  if (in.grad)
    histogramPass<true><<<grid, kThreads, 0, stream>>>(
        in.x, in.grad, in.n, in.deviceN, k, exactKey, s.state);
  else
    histogramPass<false><<<grid, kThreads, 0, stream>>>(
        in.x, nullptr, in.n, in.deviceN, k, exactKey, s.state);
  checkLaunch("histogramPass");
  const int filterGrid = gridFor(s.groups, kThreads / 32, 4);
  filterPass<<<filterGrid, kThreads, 0, stream>>>(
      in.x, in.n, in.deviceN, s.groups, k, exactKey, s.state, s.candidates,
      s.candidateCapacity, s.bitmap, s.groupCounts);
  checkLaunch("filterPass");
  for (int pass = 2; pass < kPasses; ++pass) {
    refinePass<<<grid, kThreads, 0, stream>>>(pass, in.x, in.n, in.deviceN, k,
                                              exactKey, s.state, s.candidates);
    checkLaunch("refinePass");
  }
  if (s.bitmap) {
    markCandidates<<<grid, 256, 0, stream>>>(
        in.x, in.n, in.deviceN, s.state, s.candidates, s.bitmap, s.groupCounts);
    checkLaunch("markCandidates");
  }
}

void agtf::kernels::detail::enqueueCompaction(const float *x,
                                              const SelectScratch &s,
                                              const SelectionTarget &out,
                                              int64_t capacity,
                                              cudaStream_t stream) {
  exclusiveSum(s.groupCounts, s.groupOffsets, s.groups, s.scanTemp,
               s.scanTempBytes, stream);
  const int grid = gridFor(s.groups, 256, 8);
  writeSelection<<<grid, 256, 0, stream>>>(x, s.groups, s.bitmap, s.groupCounts,
                                           s.groupOffsets, out, capacity);
  checkLaunch("writeSelection");
}
