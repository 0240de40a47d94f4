//===- SampledTopK.cpp - CPU twin of DGC's sampled-threshold selection ----===//
//
// The counts are compared in integers (count * 10 against 13 k and 8 k), so
// the 1.3k and 0.8k bounds do not depend on float rounding.
//
// The same results as the rules' direct code (a sorted sample, one count
// per round, an exact top-k of the gathered candidates), in fewer reads of
// x: the sample's top is found by histograms of its keys
// (MagnitudeSelect.h); round 1 counts, writes and histograms its
// candidates in one scan that looks only at the elements reaching the
// threshold, so that without a lower round or a trim that one read is all;
// the lower rounds are counted together in one more; a trim is the exact
// top-k of the keys from the threshold on, from round 1's kept candidates
// when they fit.
//
//===----------------------------------------------------------------------===//

#include "kernels/SampledTopK.h"

#include "kernels/Random.h"
#include "kernels/TopK.h"
#include "kernels/cpu/MagnitudeSelect.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <memory>
#include <vector>

using namespace agtf::kernels;
using namespace agtf::kernels::detail;

namespace {

constexpr int kMaxRounds = 10;
/// Most sample entries gathered in one read of x (4 bytes each).
constexpr int64_t kMaxGathered = int64_t(1) << 20;
/// Most round-1 candidates kept for a trim (8 bytes each).
constexpr int64_t kMaxCandidates = int64_t(1) << 19;

// Magnitude threshold estimated on a strided sample of x: the top-th
// largest magnitude of its non-NaN entries, found by two histogram passes
// over the sample (MagnitudeSelect.h's keys order non-NaN magnitudes as
// floats do, so it is the value nth_element would find); and whether much
// of the sample reaches it (few distinct values), so that the candidates
// had better be counted than visited.
struct Sample {
  float threshold = 0.0f;
  bool dense = true; // an eighth of the sample reaches the threshold
};

Sample sampleThreshold(const float *x, int64_t n, int64_t k, uint64_t seed) {
  // At least max(1% of n, 2 / density) samples with density = k / n;
  // stride = floor(n / wanted) yields at least `wanted` of them whatever the
  // offset in [0, stride).
  int64_t wanted = std::max((n + 99) / 100, (2 * n + k - 1) / k);
  int64_t stride = std::max<int64_t>(1, n / wanted);
  auto offset =
      static_cast<int64_t>(randomBits(seed, 0) % static_cast<uint64_t>(stride));
  // The sample's keys, read from x once when they are few (each costs a
  // cache line of x), else at the stride in both passes. NaN has no place in
  // an ordering: it is left out.
  int64_t entries = (n - offset + stride - 1) / stride;
  std::vector<uint32_t> gathered;
  bool gather = stride > 1 && entries <= kMaxGathered;
  if (gather) {
    gathered.reserve(entries);
    for (int64_t i = offset; i < n; i += stride) {
      uint32_t key = magnitudeKey(x[i]);
      if (key <= kInfinityKey)
        gathered.push_back(key);
    }
  }
  auto forEachSampleKey = [&](auto visit) {
    if (gather) {
      for (uint32_t key : gathered)
        visit(key);
      return;
    }
    for (int64_t i = offset; i < n; i += stride) {
      uint32_t key = magnitudeKey(x[i]);
      if (key <= kInfinityKey)
        visit(key);
    }
  };
  std::vector<uint32_t> high(kHighBins, 0);
  int64_t size = 0;
  forEachSampleKey([&](uint32_t key) {
    ++high[key >> 16];
    ++size;
  });
  if (size == 0)
    return {};
  // ceil(density * size), at least 1 and at most size.
  int64_t top = std::clamp<int64_t>((k * size + n - 1) / n, 1, size);
  int64_t above = 0;
  uint32_t bin = kHighBins - 1;
  for (; bin > 0 && above + high[bin] < top; --bin)
    above += high[bin];
  std::vector<uint32_t> low(65536, 0);
  forEachSampleKey([&](uint32_t key) {
    if (key >> 16 == bin)
      ++low[key & 0xffffu];
  });
  uint32_t digit = 0xffffu;
  for (; digit > 0 && above + low[digit] < top; --digit)
    above += low[digit];
  return {keyMagnitude(bin << 16 | digit), (above + low[digit]) * 8 > size};
}

// The elements |x[i]| >= threshold in index order: the first `capacity` in
// the output, all of them in `spill` (allocated at the first beyond
// capacity) while they number at most `room`.
struct Candidates {
  int64_t count = 0;
  std::unique_ptr<int32_t[]> spillIndices;
  std::unique_ptr<float[]> spillValues;
  bool spilled() const { return spillIndices != nullptr; }
};

// Counts |x[i]| >= threshold (NaN never counts), writes them as
// Candidates says and adds each one's top 16 key bits to `highHistogram`:
// addHighHistogram on the candidates.
Candidates countWriteAtLeast(const float *x, int64_t n, float threshold,
                             int64_t capacity, int64_t room, int32_t *indices,
                             float *values, uint32_t *highHistogram) {
  uint32_t bound = magnitudeKey(threshold);
  Candidates c;
  forEachReaching(x, n, bound, [&](int64_t i, uint32_t key) {
    if (key <= kInfinityKey) {
      ++highHistogram[key >> 16];
      if (c.count < capacity) {
        indices[c.count] = static_cast<int32_t>(i);
        values[c.count] = x[i];
      } else if (c.count < room) {
        if (!c.spilled()) {
          c.spillIndices.reset(new int32_t[room]);
          c.spillValues.reset(new float[room]);
          std::copy(indices, indices + capacity, c.spillIndices.get());
          std::copy(values, values + capacity, c.spillValues.get());
        }
        c.spillIndices[c.count] = static_cast<int32_t>(i);
        c.spillValues[c.count] = x[i];
      }
      ++c.count;
    }
    return true;
  });
  return c;
}

// counts[r] = number of |x[i]| >= thresholds[r] for r in [0, Rounds), in
// one pass. NaN never counts.
template <int Rounds>
void countAtLeastEach(const float *x, int64_t n, const float *thresholds,
                      int64_t *counts) {
  uint32_t bounds[Rounds] = {};
  for (int r = 0; r < Rounds; ++r) {
    bounds[r] = magnitudeKey(thresholds[r]);
    counts[r] = 0;
  }
  // Lanes count up to kChunk / 4 each.
  constexpr int64_t kChunk = 4096;
  int64_t i = 0;
#if defined(__SSE2__)
  const __m128i magnitude = _mm_set1_epi32(static_cast<int32_t>(kMaxKey));
  const __m128i infinity = _mm_set1_epi32(static_cast<int32_t>(kInfinityKey));
  __m128i below[Rounds];
  for (int r = 0; r < Rounds; ++r)
    below[r] = _mm_set1_epi32(static_cast<int32_t>(bounds[r]) - 1);
  for (; i + kChunk <= n; i += kChunk) {
    __m128i lanes[Rounds];
    for (int r = 0; r < Rounds; ++r)
      lanes[r] = _mm_setzero_si128();
    for (int64_t j = i; j < i + kChunk; j += 4) {
      __m128i key = _mm_and_si128(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(x + j)), magnitude);
      // NaN becomes -1, below every bound.
      __m128i nan = _mm_cmpgt_epi32(key, infinity);
      key = _mm_or_si128(key, nan);
      for (int r = 0; r < Rounds; ++r)
        lanes[r] = _mm_sub_epi32(lanes[r], _mm_cmpgt_epi32(key, below[r]));
    }
    for (int r = 0; r < Rounds; ++r) {
      uint32_t lane[4];
      _mm_storeu_si128(reinterpret_cast<__m128i *>(lane), lanes[r]);
      counts[r] += int64_t(lane[0]) + lane[1] + lane[2] + lane[3];
    }
  }
#endif
  for (; i < n; i += kChunk) {
    int64_t end = std::min(n, i + kChunk);
    uint32_t chunk[Rounds] = {};
    for (int64_t j = i; j < end; ++j) {
      uint32_t key = magnitudeKey(x[j]);
      uint32_t finite = key <= kInfinityKey;
      for (int r = 0; r < Rounds; ++r)
        chunk[r] += finite & (key >= bounds[r]);
    }
    for (int r = 0; r < Rounds; ++r)
      counts[r] += chunk[r];
  }
}

// countAtLeastEach for the rounds from thresholds[0] on up to the first
// zero threshold, after which no round counts again (at most `rounds`).
void countRounds(const float *x, int64_t n, const float *thresholds, int rounds,
                 int64_t *counts) {
  static_assert(kMaxRounds == 10, "one case per round below");
  int used = 1;
  while (used < rounds && thresholds[used - 1] != 0.0f)
    ++used;
  switch (used) {
#define AGTF_COUNT_ROUNDS(R)                                                   \
  case R:                                                                      \
    countAtLeastEach<R>(x, n, thresholds, counts);                             \
    break;
    AGTF_COUNT_ROUNDS(1)
    AGTF_COUNT_ROUNDS(2)
    AGTF_COUNT_ROUNDS(3)
    AGTF_COUNT_ROUNDS(4)
    AGTF_COUNT_ROUNDS(5)
    AGTF_COUNT_ROUNDS(6)
    AGTF_COUNT_ROUNDS(7)
    AGTF_COUNT_ROUNDS(8)
    AGTF_COUNT_ROUNDS(9)
    AGTF_COUNT_ROUNDS(10)
#undef AGTF_COUNT_ROUNDS
  }
}

} // namespace

int64_t agtf::kernels::sampledTopKCapacity(int64_t n, int64_t k) {
  return std::min(n, std::max(k, (13 * k) / 10));
}

SampledSelection agtf::kernels::selectSampledTopKCpu(const float *x, int64_t n,
                                                     int64_t k, uint64_t seed,
                                                     int32_t *indices,
                                                     float *values) {
  assert(k >= 1 && k <= n && "sampled top-k needs 1 <= k <= n");
  SampledSelection result;
  int64_t capacity = sampledTopKCapacity(n, k);
  // The thresholds of the rounds, as the rounds would compute them.
  float thresholds[kMaxRounds];
  Sample sample = sampleThreshold(x, n, k, seed);
  thresholds[0] = sample.threshold;
  for (int r = 1; r < kMaxRounds; ++r)
    thresholds[r] = thresholds[r - 1] * 0.8f;

  // Round 1 counts its candidates and keeps them, in the output while they
  // fit (the final selection whenever round 1 is the last and needs no
  // trim) and up to kMaxCandidates beside it, with their histogram: the
  // trim's exact top-k then reads only them. When most of the sample is a
  // candidate, all rounds are counted at once instead, without a visit to
  // each candidate.
  std::vector<uint32_t> high(kHighBins, 0);
  int64_t counts[kMaxRounds];
  int64_t room = std::max(capacity, std::min(n, kMaxCandidates));
  Candidates first;
  bool counted = sample.dense;
  if (counted)
    countRounds(x, n, thresholds, kMaxRounds, counts);
  else
    first = countWriteAtLeast(x, n, thresholds[0], capacity, room, indices,
                              values, high.data());
  bool kept = !counted; // round 1's candidates are in the output
  if (kept)
    counts[0] = first.count;
  int round = 0;
  for (;; ++round) {
    if (round > 0 && !counted) {
      // Lower thresholds: all the remaining rounds' counts in one pass.
      countRounds(x, n, thresholds + round, kMaxRounds - round, counts + round);
      counted = true;
    }
    // A zero threshold cannot go lower: stop lowering it.
    if (counts[round] * 10 >= 8 * k || thresholds[round] == 0.0f ||
        round == kMaxRounds - 1)
      break;
  }
  kept = kept && round == 0;
  float threshold = thresholds[round];
  int64_t count = counts[round];
  result.rounds = round + 1;
  result.threshold = threshold;

  if (count == 0) {
    // Only when x is NaN everywhere: fall back to exact top-k so the
    // selection is never empty.
    selectTopKCpu(x, n, k, indices, values);
    result.count = k;
    return result;
  }

  if (count * 10 > 13 * k) {
    // Too many candidates: keep exactly the k largest of them (ties to the
    // lower index, as exact top-k does): the exact top-k of the keys from
    // the threshold's to infinity's.
    if (kept && first.spilled() && count <= room) {
      // The top k of the candidates, whose order is x's.
      selectTopKByKey(first.spillValues.get(), count, k,
                      magnitudeKey(threshold), kInfinityKey, high.data(),
                      indices, values);
      for (int64_t i = 0; i < k; ++i)
        indices[i] = first.spillIndices[indices[i]];
    } else {
      selectTopKByKey(x, n, k, magnitudeKey(threshold), kInfinityKey,
                      kept ? high.data() : nullptr, indices, values);
    }
    result.count = k;
    return result;
  }

  assert(count <= capacity);
  if (!kept) {
    std::fill(high.begin(), high.end(), 0);
    int64_t written = countWriteAtLeast(x, n, threshold, capacity, capacity,
                                        indices, values, high.data())
                          .count;
    assert(written == count);
    (void)written;
  }
  result.count = count;
  return result;
}
