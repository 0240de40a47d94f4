//===- SampledTopK.cpp - CPU twin of DGC's sampled-threshold selection ----===//
//
// The counts are compared in integers (count * 10 against 13 k and 8 k), so
// the 1.3k and 0.8k bounds do not depend on float rounding.
//
//===----------------------------------------------------------------------===//

#include "kernels/SampledTopK.h"

#include "kernels/Random.h"
#include "kernels/TopK.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <vector>

using namespace agtf::kernels;

namespace {

constexpr int kMaxRounds = 10;

// Number of |x[i]| >= threshold. NaN never counts.
int64_t countAtLeast(const float *x, int64_t n, float threshold) {
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i)
    count += std::fabs(x[i]) >= threshold;
  return count;
}

// Magnitude threshold estimated on a strided sample of x.
float sampleThreshold(const float *x, int64_t n, int64_t k, uint64_t seed) {
  // At least max(1% of n, 2 / density) samples with density = k / n;
  // stride = floor(n / wanted) yields at least `wanted` of them whatever the
  // offset in [0, stride).
  int64_t wanted = std::max((n + 99) / 100, (2 * n + k - 1) / k);
  int64_t stride = std::max<int64_t>(1, n / wanted);
  auto offset =
      static_cast<int64_t>(randomBits(seed, 0) % static_cast<uint64_t>(stride));
  std::vector<float> sample;
  sample.reserve((n - offset + stride - 1) / stride);
  for (int64_t i = offset; i < n; i += stride) {
    float magnitude = std::fabs(x[i]);
    // NaN has no place in an ordering; leaving it out keeps nth_element sound.
    if (!std::isnan(magnitude))
      sample.push_back(magnitude);
  }
  if (sample.empty())
    return 0.0f;
  auto size = static_cast<int64_t>(sample.size());
  // ceil(density * size), at least 1 and at most size.
  int64_t top = std::clamp<int64_t>((k * size + n - 1) / n, 1, size);
  std::nth_element(sample.begin(), sample.begin() + (top - 1), sample.end(),
                   std::greater<float>());
  return sample[top - 1];
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
  float threshold = sampleThreshold(x, n, k, seed);
  int64_t count = 0;
  for (int round = 1; round <= kMaxRounds; ++round) {
    result.rounds = round;
    count = countAtLeast(x, n, threshold);
    // A zero threshold cannot go lower: stop lowering it.
    if (count * 10 >= 8 * k || threshold == 0.0f || round == kMaxRounds)
      break;
    threshold *= 0.8f;
  }
  result.threshold = threshold;

  if (count == 0) {
    // Only when x has NaN where the sample found its threshold, or NaN
    // everywhere: fall back to exact top-k so the selection is never empty.
    selectTopKCpu(x, n, k, indices, values);
    result.count = k;
    return result;
  }

  if (count * 10 > 13 * k) {
    // Too many candidates: keep exactly the k largest of them (ties to the
    // lower index, as exact top-k does).
    std::vector<int32_t> candidateIndices;
    std::vector<float> candidateValues;
    candidateIndices.reserve(count);
    candidateValues.reserve(count);
    for (int64_t i = 0; i < n; ++i) {
      if (std::fabs(x[i]) >= threshold) {
        candidateIndices.push_back(static_cast<int32_t>(i));
        candidateValues.push_back(x[i]);
      }
    }
    std::vector<int32_t> positions(k);
    selectTopKCpu(candidateValues.data(), count, k, positions.data(), values);
    for (int64_t i = 0; i < k; ++i)
      indices[i] = candidateIndices[positions[i]];
    result.count = k;
    return result;
  }

  int64_t written = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::fabs(x[i]) >= threshold) {
      indices[written] = static_cast<int32_t>(i);
      values[written++] = x[i];
    }
  }
  assert(written == count && count <= sampledTopKCapacity(n, k));
  result.count = count;
  return result;
}
