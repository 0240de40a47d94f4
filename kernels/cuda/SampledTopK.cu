//===- SampledTopK.cu - CUDA twin of DGC's sampled-threshold selection ----===//
//
// The sample's geometry (stride, offset, size) is the CPU twin's, computed
// on the host from (n, k, seed). Its k-th magnitude comes from the radix
// selection in exact-key mode; the up to ten counting rounds each launch
// one kernel whose last block decides, on the device, whether to lower the
// threshold, stop, and which way to select: by the threshold (marking
// |x| >= threshold) or, when the count is 0 or above 1.3k, by the exact
// top-k of x, which equals the CPU twin's exact top-k of the candidates
// (every candidate is larger than every other element). Rounds after the
// decision, and the path not taken, return at once.
//
// NaN: the CPU twin leaves NaN out of the sample; here it ranks above
// infinity. Inputs with NaN may therefore select differently.
//
//===----------------------------------------------------------------------===//

#include "kernels/SampledTopK.h"

#include "kernels/Random.h"
#include "kernels/cuda/CudaCheck.h"
#include "kernels/cuda/RadixSelect.h"

#include <algorithm>

using namespace agtf::kernels;
using namespace agtf::kernels::detail;

namespace {

constexpr int kMaxRounds = 10;
constexpr unsigned kFull = 0xffffffffu;

struct RoundState {
  float threshold;
  int rounds;
  int finished;
  int byThreshold;
  unsigned long long counts[kMaxRounds];
  unsigned tickets[kMaxRounds];
  int64_t selected; // the count when the caller asked for none
};

struct SampleGeometry {
  int64_t stride = 1, offset = 0, size = 0, largest = 0, top = 1;
};

SampleGeometry geometryOf(int64_t n, int64_t k, uint64_t seed) {
  SampleGeometry g;
  int64_t wanted = std::max((n + 99) / 100, (2 * n + k - 1) / k);
  g.stride = std::max<int64_t>(1, n / wanted);
  g.offset = int64_t(randomBits(seed, 0) % uint64_t(g.stride));
  g.size = (n - g.offset + g.stride - 1) / g.stride;
  g.largest = (n + g.stride - 1) / g.stride;
  g.top = std::clamp<int64_t>((k * g.size + n - 1) / n, 1, g.size);
  return g;
}

struct SampledScratch {
  SelectScratch exact, sample;
  float *samples = nullptr;
  RoundState *rounds = nullptr;
};

size_t sampledBytes(int64_t n, const SampleGeometry &g) {
  return selectScratchBytes(n, true) + selectScratchBytes(g.largest, false) +
         alignUp(size_t(g.largest) * 4) + alignUp(sizeof(RoundState));
}

SampledScratch carve(void *base, int64_t n, const SampleGeometry &g) {
  char *at = static_cast<char *>(base);
  SampledScratch s;
  s.exact = carveSelectScratch(at, n, true);
  at += selectScratchBytes(n, true);
  s.sample = carveSelectScratch(at, g.largest, false);
  at += selectScratchBytes(g.largest, false);
  s.samples = reinterpret_cast<float *>(at);
  at += alignUp(size_t(g.largest) * 4);
  s.rounds = reinterpret_cast<RoundState *>(at);
  return s;
}

__global__ void gatherSample(const float *x, long long offset, long long stride,
                             long long size, float *samples) {
  for (long long j = (long long)blockIdx.x * blockDim.x + threadIdx.x; j < size;
       j += (long long)gridDim.x * blockDim.x)
    samples[j] = fabsf(x[offset + j * stride]);
}

/// One threshold round: counts |x| >= threshold; the last block decides.
__global__ void countRound(const float *x, long long n, long long k, int round,
                           RoundState *rs, const SelectState *sample,
                           SelectState *exact) {
  __shared__ unsigned long long partial[32];
  __shared__ int isLast;
  if (rs->finished)
    return;
  const float threshold = round == 1 ? thresholdOf(sample) : rs->threshold;
  unsigned long long count = 0;
  const long long stride = (long long)gridDim.x * blockDim.x;
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  for (; i + 3 * stride < n; i += 4 * stride) {
    float a = x[i], b = x[i + stride], c = x[i + 2 * stride],
          d = x[i + 3 * stride];
    count += (fabsf(a) >= threshold) + (fabsf(b) >= threshold) +
             (fabsf(c) >= threshold) + (fabsf(d) >= threshold);
  }
  for (; i < n; i += stride)
    count += fabsf(x[i]) >= threshold;
  for (int offset = 16; offset > 0; offset >>= 1)
    count += __shfl_down_sync(kFull, count, offset);
  if ((threadIdx.x & 31) == 0)
    partial[threadIdx.x >> 5] = count;
  __syncthreads();
  if (threadIdx.x == 0) {
    unsigned long long total = 0;
    for (int w = 0; w < int(blockDim.x >> 5); ++w)
      total += partial[w];
    atomicAdd(&rs->counts[round - 1], total);
    __threadfence();
    isLast = atomicAdd(&rs->tickets[round - 1], 1u) == gridDim.x - 1;
  }
  __syncthreads();
  if (!isLast || threadIdx.x != 0)
    return;
  __threadfence();
  volatile RoundState *v = rs;
  unsigned long long c = v->counts[round - 1];
  v->rounds = round;
  if (c * 10 >= 8ull * k || threshold == 0.0f || round == kMaxRounds) {
    v->threshold = threshold;
    v->finished = 1;
    bool exactPath = c == 0 || c * 10 > 13ull * k;
    v->byThreshold = !exactPath;
    exact->skip = exactPath ? 0 : 1;
  } else {
    v->threshold = __fmul_rn(threshold, 0.8f);
  }
}

/// The threshold path's marks: a warp per 256 elements, as in pass 2.
__global__ void markAtLeast(const float *x, long long n, long long groups,
                            const RoundState *rs, unsigned *bitmap,
                            unsigned *groupCounts) {
  if (!rs->byThreshold)
    return;
  const float threshold = rs->threshold;
  const int lane = threadIdx.x & 31;
  const long long warp =
      ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  const long long warps = ((long long)gridDim.x * blockDim.x) >> 5;
  for (long long g = warp; g < groups; g += warps) {
    float v[8];
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      long long i = g * 256 + j * 32 + lane;
      v[j] = i < n ? x[i] : 0.0f;
    }
    unsigned mine = 0, total = 0;
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      long long i = g * 256 + j * 32 + lane;
      unsigned word = __ballot_sync(kFull, i < n && fabsf(v[j]) >= threshold);
      total += __popc(word);
      if (lane == j)
        mine = word;
    }
    if (lane < 8)
      bitmap[g * 8 + lane] = mine;
    if (lane == 0)
      groupCounts[g] = total;
  }
}

__global__ void reportSelection(const RoundState *rs, const int64_t *count,
                                SampledSelection *info) {
  info->count = *count;
  info->threshold = rs->threshold;
  info->rounds = rs->rounds;
}

} // namespace

size_t agtf::kernels::sampledTopKCudaScratchBytes(int64_t n, int64_t k) {
  // The sample is largest at offset 0, whatever the seed.
  return sampledBytes(n, geometryOf(n, k, 0));
}

void agtf::kernels::selectSampledTopKCuda(const float *x, int64_t n, int64_t k,
                                          uint64_t seed,
                                          const SelectionTarget &out,
                                          SampledSelection *info, void *scratch,
                                          DeviceStream stream) {
  SampleGeometry g = geometryOf(n, k, seed);
  SampledScratch s = carve(scratch, n, geometryOf(n, k, 0));
  resetSelect(s.exact, stream);
  resetSelect(s.sample, stream);
  check(cudaMemsetAsync(s.rounds, 0, sizeof(RoundState), stream),
        "cudaMemsetAsync (threshold rounds)");

  gatherSample<<<gridFor(g.size, 256), 256, 0, stream>>>(x, g.offset, g.stride,
                                                         g.size, s.samples);
  checkLaunch("gatherSample");
  SelectInput sample;
  sample.x = s.samples;
  sample.n = g.size;
  enqueueSelect(sample, g.top, /*exactKey=*/true, s.sample, stream);

  const int grid = gridFor(n, 256 * 4, 8);
  for (int round = 1; round <= kMaxRounds; ++round) {
    countRound<<<grid, 256, 0, stream>>>(x, n, k, round, s.rounds,
                                         s.sample.state, s.exact.state);
    checkLaunch("countRound");
  }

  // Exactly one of the two paths marks the bitmap.
  SelectInput all;
  all.x = const_cast<float *>(x);
  all.n = n;
  enqueueSelect(all, k, /*exactKey=*/false, s.exact, stream);
  markAtLeast<<<gridFor(s.exact.groups, 8, 4), 256, 0, stream>>>(
      x, n, s.exact.groups, s.rounds, s.exact.bitmap, s.exact.groupCounts);
  checkLaunch("markAtLeast");

  SelectionTarget target = out;
  if (!target.count)
    target.count = &s.rounds->selected;
  enqueueCompaction(x, s.exact, target, sampledTopKCapacity(n, k), stream);
  if (info) {
    reportSelection<<<1, 1, 0, stream>>>(s.rounds, target.count, info);
    checkLaunch("reportSelection");
  }
}
