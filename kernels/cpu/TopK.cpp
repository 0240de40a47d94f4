//===- TopK.cpp - CPU twin of exact magnitude top-k -----------------------===//
//
// Radix selection on the magnitude bits (MagnitudeSelect.h): a histogram of
// the top 16 bits, one of the low 16 bits of the elements in the bin that
// holds the k-th key, and a pass writing the selection in index order; at
// most three reads of the input, two when the k-th key's bin is small or
// taken whole.
//
// With n >= 2^16 and k <= n / 16 the first pass is cheaper: a sample of
// 16 K elements (256 runs of 64) gives a bound that, with a margin of four
// standard deviations, at least k keys reach; the first pass then counts
// only the keys from the bound on, skipping the blocks below it, and keeps
// them (up to kMaxCandidates) so that the rest reads only them. Should
// fewer than k reach it, a second pass counts the keys below it and the
// selection goes on as without a bound.
//
//===----------------------------------------------------------------------===//

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

/// Up to this many elements a partial sort of their indices is cheaper than
/// clearing and scanning the 384 KB of histograms, a fixed ~10 us a call
/// (best of 300 calls at density 0.01: 2,048 elements 12.5 us by histogram
/// against 3.8 by sorting; even at about 12,000). Layer-wise plans run many
/// buckets this small every iteration.
constexpr int64_t kSmallN = 16384;
/// Most elements of the k-th key's bin that the second pass keeps (8 bytes
/// each), so that the third pass reads only them.
constexpr int64_t kMaxKept = 65536;
constexpr int64_t kLowBins = 65536;
/// From this many elements (and k <= n / 16) a sample bounds the top k.
constexpr int64_t kSampleMinN = int64_t(1) << 16;
constexpr int64_t kSampleChunks = 256;
constexpr int64_t kSampleRun = 64;
/// Most candidates above a sampled bound that pass 1 keeps (8 bytes each).
constexpr int64_t kMaxCandidates = int64_t(1) << 19;

/// Small inputs: sort the indices of the elements in range.
void selectSmall(const float *x, int64_t n, int64_t k, uint32_t lo, uint32_t hi,
                 int32_t *indices, float *values) {
  std::vector<int32_t> order;
  order.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    uint32_t key = magnitudeKey(x[i]);
    if (key >= lo && key <= hi)
      order.push_back(static_cast<int32_t>(i));
  }
  assert(static_cast<int64_t>(order.size()) >= k);
  auto before = [x](int32_t a, int32_t b) {
    uint32_t ka = magnitudeKey(x[a]), kb = magnitudeKey(x[b]);
    return ka > kb || (ka == kb && a < b);
  };
  std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), before);
  std::sort(order.begin(), order.begin() + k);
  for (int64_t i = 0; i < k; ++i) {
    indices[i] = order[i];
    values[i] = x[order[i]];
  }
}

/// Writes every element with a key in [lo, hi]: exactly `count` of them.
void writeInRange(const float *x, int64_t n, uint32_t lo, uint32_t hi,
                  int64_t count, int32_t *indices, float *values) {
  int64_t written = 0;
  forEachReaching(x, n, lo, [&](int64_t i, uint32_t key) {
    if (key <= hi) {
      indices[written] = static_cast<int32_t>(i);
      values[written++] = x[i];
    }
    return written < count;
  });
  assert(written == count);
  (void)count;
}

/// The largest low-16-bit digit d such that the elements with a digit >= d
/// number at least `rank` (1-based); `*above` = those with a digit > d.
uint32_t lowDigitOfRank(const uint32_t *low, int64_t rank, int64_t *above) {
  int64_t count = 0;
  uint32_t digit = kLowBins - 1;
  for (; digit > 0 && count + low[digit] < rank; --digit)
    count += low[digit];
  *above = count;
  return digit;
}

/// The rest of selectTopKByKey once the histogram of the top 16 bits of the
/// keys in [lo, hi] is known.
void selectWithHistogram(const float *x, int64_t n, int64_t k, uint32_t lo,
                         uint32_t hi, const uint32_t *highHistogram,
                         int32_t *indices, float *values) {
  int64_t above = 0;
  int64_t bin = kHighBins - 1;
  for (; bin > 0 && above + highHistogram[bin] < k; --bin)
    above += highHistogram[bin];
  auto inBin = static_cast<int64_t>(highHistogram[bin]);
  int64_t needed = k - above; // from the bin: 1 <= needed <= inBin
  assert(needed >= 1 && needed <= inBin);
  auto binBase = static_cast<uint32_t>(bin) << 16;
  uint32_t binLo = std::max(lo, binBase);
  uint32_t binHi = std::min(hi, binBase | 0xffffu);
  // Keys of the bins above: from aboveLo (2^31, none, for the top bin) to hi.
  uint32_t aboveLo = binBase + 0x10000u;

  if (needed == inBin) {
    // The whole bin: every key in [binLo, hi].
    writeInRange(x, n, binLo, hi, k, indices, values);
    return;
  }

  std::vector<uint32_t> low(kLowBins, 0);
  if (inBin <= kMaxKept) {
    // Pass 2: the keys above the bin go straight to the output (fewer than
    // k of them), the bin's elements to `kept`, both in index order.
    struct Kept {
      int32_t index;
      float value;
    };
    std::vector<Kept> kept(inBin);
    int64_t written = 0, keptCount = 0;
    forEachReaching(x, n, binLo, [&](int64_t i, uint32_t key) {
      if (key >= aboveLo) {
        if (key <= hi) {
          indices[written] = static_cast<int32_t>(i);
          values[written++] = x[i];
        }
      } else if (key <= binHi) {
        kept[keptCount++] = {static_cast<int32_t>(i), x[i]};
      }
      return true;
    });
    assert(written == above && keptCount == inBin);
    for (const Kept &e : kept)
      ++low[magnitudeKey(e.value) & 0xffffu];
    int64_t aboveDigit = 0;
    uint32_t digit = lowDigitOfRank(low.data(), needed, &aboveDigit);
    int64_t atThreshold = needed - aboveDigit; // keys equal to the k-th taken
    // Of the bin's elements, in index order: the digits above the k-th
    // key's and the first `atThreshold` equal to it.
    int64_t taken = 0;
    for (const Kept &e : kept) {
      uint32_t d = magnitudeKey(e.value) & 0xffffu;
      if (d > digit || (d == digit && atThreshold > 0)) {
        atThreshold -= d == digit;
        kept[taken++] = e;
      }
    }
    assert(taken == needed);
    // Merge them with the keys above the bin, from the back, in place.
    int64_t a = above - 1, b = needed - 1;
    for (int64_t out = k - 1; b >= 0; --out) {
      if (a >= 0 && indices[a] > kept[b].index) {
        indices[out] = indices[a];
        values[out] = values[a--];
      } else {
        indices[out] = kept[b].index;
        values[out] = kept[b--].value;
      }
    }
    return;
  }

  // Pass 2: the low 16 bits of the bin's keys. A bin this full is often
  // mostly ties (zeros, a few distinct values): the copies of its first key
  // are counted 16 at a time and only the other keys visited.
  uint32_t common = binLo;
  forEachReaching(x, n, binLo, [&](int64_t, uint32_t key) {
    common = key;
    return key > binHi;
  });
  int64_t commonCount = 0;
  int64_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    RangeMasks m = rangeMasks(x + i, binLo, binHi, common);
    commonCount += bitCount(m.equal);
    for (unsigned other = m.inRange & ~m.equal; other != 0; other &= other - 1)
      ++low[magnitudeKey(x[i + lowestBit(other)]) & 0xffffu];
  }
  for (; i < n; ++i) {
    uint32_t key = magnitudeKey(x[i]);
    if (key >= binLo && key <= binHi)
      ++low[key & 0xffffu];
  }
  low[common & 0xffffu] += static_cast<uint32_t>(commonCount);
  int64_t aboveDigit = 0;
  uint32_t threshold =
      binBase | lowDigitOfRank(low.data(), needed, &aboveDigit);
  int64_t atThreshold = needed - aboveDigit;
  // Pass 3: every key in (threshold, hi] and the first `atThreshold` equal
  // to threshold, in index order; once those are found, only the keys above
  // threshold are looked at.
  int64_t written = 0;
  auto write = [&](int64_t i) {
    indices[written] = static_cast<int32_t>(i);
    values[written++] = x[i];
  };
  int64_t last = forEachReaching(x, n, threshold, [&](int64_t i, uint32_t key) {
    if (key == threshold) {
      write(i);
      --atThreshold;
    } else if (key <= hi) {
      write(i);
    }
    return atThreshold > 0;
  });
  if (written < k && threshold < hi) {
    int64_t begin = last + 1;
    forEachReaching(x + begin, n - begin, threshold + 1,
                    [&](int64_t i, uint32_t key) {
                      if (key <= hi)
                        write(begin + i);
                      return written < k;
                    });
  }
  assert(written == k && atThreshold == 0);
}

/// A key that, on a sample of x, at least k keys in [lo, hi] reach with a
/// margin (the sample's rank-th largest for an expected rank m = k s / n,
/// rank = m + 4 sqrt(m) + 8, rounded down to its bin of the top 16 bits),
/// or lo when the sample has fewer such keys or an eighth of it reaches
/// the bound. The sample is kSampleChunks runs of kSampleRun consecutive
/// elements spread evenly over x: a few cache lines each, where single
/// elements at a stride would each cost a miss.
uint32_t sampledBound(const float *x, int64_t n, int64_t k, uint32_t lo,
                      uint32_t hi) {
  std::vector<uint32_t> histogram(kHighBins, 0);
  int64_t spacing = n / kSampleChunks;
  assert(spacing >= kSampleRun);
  for (int64_t c = 0; c < kSampleChunks; ++c) {
    const float *run = x + c * spacing;
    for (int64_t j = 0; j < kSampleRun; ++j) {
      uint32_t key = magnitudeKey(run[j]);
      histogram[key >> 16] += key >= lo && key <= hi;
    }
  }
  double m = static_cast<double>(k) * static_cast<double>(kSampleChunks) *
             static_cast<double>(kSampleRun) / static_cast<double>(n);
  auto rank = static_cast<int64_t>(std::ceil(m + 4.0 * std::sqrt(m) + 8.0));
  int64_t count = 0;
  for (int64_t bin = kHighBins - 1; bin >= 0; --bin) {
    count += histogram[bin];
    if (count < rank)
      continue;
    // A bound that more than an eighth of x reaches (few distinct values)
    // saves little over counting everything.
    if (count > kSampleChunks * kSampleRun / 8)
      return lo;
    return std::max(lo, static_cast<uint32_t>(bin) << 16);
  }
  return lo;
}

} // namespace

void agtf::kernels::detail::addHighHistogram(const float *x, int64_t n,
                                             uint32_t lo, uint32_t hi,
                                             uint32_t *highHistogram) {
  if (lo == 0) {
    // Every element reaches lo: count without a branch.
    for (int64_t i = 0; i < n; ++i) {
      uint32_t key = magnitudeKey(x[i]);
      highHistogram[key >> 16] += key <= hi;
    }
    return;
  }
  forEachReaching(x, n, lo, [&](int64_t, uint32_t key) {
    if (key <= hi)
      ++highHistogram[key >> 16];
    return true;
  });
}

void agtf::kernels::detail::selectTopKByKey(const float *x, int64_t n,
                                            int64_t k, uint32_t lo, uint32_t hi,
                                            const uint32_t *highHistogram,
                                            int32_t *indices, float *values) {
  assert(k >= 1 && k <= n && lo <= hi && hi <= kMaxKey);
  if (highHistogram) {
    selectWithHistogram(x, n, k, lo, hi, highHistogram, indices, values);
    return;
  }
  if (n <= kSmallN) {
    selectSmall(x, n, k, lo, hi, indices, values);
    return;
  }

  // Pass 1: the histogram of the top 16 bits. When a sample says that the
  // keys from some bound on hold the top k, only those are counted, in a
  // scan that skips the blocks below the bound, and kept while they fit:
  // the rest then reads only them.
  std::vector<uint32_t> histogram(kHighBins, 0);
  uint32_t bound =
      n >= kSampleMinN && k <= n / 16 ? sampledBound(x, n, k, lo, hi) : lo;
  if (bound > lo) {
    int64_t room = std::min(kMaxCandidates, n / 8);
    std::unique_ptr<int32_t[]> candidateIndices(new int32_t[room]);
    std::unique_ptr<float[]> candidateValues(new float[room]);
    int64_t count = 0;
    forEachReaching(x, n, bound, [&](int64_t i, uint32_t key) {
      if (key <= hi) {
        ++histogram[key >> 16];
        if (count < room) {
          candidateIndices[count] = static_cast<int32_t>(i);
          candidateValues[count] = x[i];
        }
        ++count;
      }
      return true;
    });
    if (count >= k && count <= room) {
      // The top k of x are the top k of the candidates, whose order is x's.
      selectWithHistogram(candidateValues.get(), count, k, bound, hi,
                          histogram.data(), indices, values);
      for (int64_t i = 0; i < k; ++i)
        indices[i] = candidateIndices[indices[i]];
      return;
    }
    if (count >= k)
      lo = bound; // the top k lie in [bound, hi]: histogram complete
    else
      addHighHistogram(x, n, lo, bound - 1, histogram.data()); // the rest
  } else {
    addHighHistogram(x, n, lo, hi, histogram.data());
  }
  selectWithHistogram(x, n, k, lo, hi, histogram.data(), indices, values);
}

int64_t agtf::kernels::topKCount(int64_t n, double density) {
  if (n <= 0)
    return 0;
  auto k = static_cast<int64_t>(std::ceil(density * static_cast<double>(n)));
  return std::clamp<int64_t>(k, 1, n);
}

void agtf::kernels::selectTopKCpu(const float *x, int64_t n, int64_t k,
                                  int32_t *indices, float *values) {
  assert(k >= 1 && k <= n && "top-k needs 1 <= k <= n");
  if (k == n) {
    for (int64_t i = 0; i < n; ++i) {
      indices[i] = static_cast<int32_t>(i);
      values[i] = x[i];
    }
    return;
  }
  selectTopKByKey(x, n, k, 0, kMaxKey, nullptr, indices, values);
}
