//===- MagnitudeSelect.h - radix selection by magnitude bits ----*- C++ -*-===//
//
// Internal to kernels/cpu: the histogram machinery behind selectTopKCpu and
// selectSampledTopKCpu.
//
// Order: the key of a float is its bit pattern without the sign,
// bits(x) & 0x7fffffff. For non-NaN floats a larger key is exactly a larger
// magnitude and equal keys are equal magnitudes (-0 and +0 are both key 0);
// NaNs have the keys above infinity's (0x7f800000). Of equal keys the lower
// index comes first. A selection is found by a histogram of the top 16 bits
// of the keys (the bin holding the k-th key and the count above it), then a
// histogram of the low 16 bits of the keys in that bin (the k-th key T and
// how many elements equal to T are taken), then one pass that writes, in
// index order, every key above T and the first of those equal to T. When the
// bin holds few elements the second pass keeps them, so the third pass
// reads only those. Scans test 16 keys at once (SSE2 where there is) and
// look one by one only at the elements that reach the bound that matters.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_CPU_MAGNITUDESELECT_H
#define AGTF_KERNELS_CPU_MAGNITUDESELECT_H

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace agtf::kernels::detail {

/// Key of infinity: keys above it are NaN.
constexpr uint32_t kInfinityKey = 0x7f800000u;
/// Largest key (a NaN).
constexpr uint32_t kMaxKey = 0x7fffffffu;
/// Bins of the top-16-bit histogram: the key's top bit is always zero.
constexpr int64_t kHighBins = int64_t(1) << 15;

inline uint32_t magnitudeKey(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return bits & kMaxKey;
}

inline float keyMagnitude(uint32_t key) {
  float v;
  std::memcpy(&v, &key, sizeof(v));
  return v;
}

/// Elements a scan tests at once before looking at them one by one.
constexpr int64_t kBlock = 16;

/// Bit j set where the key of x[j], j < kBlock, is at least `bound`
/// (<= kMaxKey).
inline unsigned reachMask(const float *x, uint32_t bound) {
#if defined(__SSE2__)
  const __m128i magnitude = _mm_set1_epi32(static_cast<int32_t>(kMaxKey));
  // Keys are below 2^31, so a signed compare with bound - 1 (>= -1) holds.
  const __m128i below = _mm_set1_epi32(static_cast<int32_t>(bound) - 1);
  __m128i reach[4];
  for (int q = 0; q < 4; ++q)
    reach[q] = _mm_cmpgt_epi32(
        _mm_and_si128(
            _mm_loadu_si128(reinterpret_cast<const __m128i *>(x + 4 * q)),
            magnitude),
        below);
  __m128i any = _mm_or_si128(_mm_or_si128(reach[0], reach[1]),
                             _mm_or_si128(reach[2], reach[3]));
  if (_mm_movemask_epi8(any) == 0)
    return 0;
  unsigned mask = 0;
  for (int q = 0; q < 4; ++q)
    mask |= static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(reach[q])))
            << (4 * q);
  return mask;
#else
  unsigned mask = 0;
  for (int j = 0; j < kBlock; ++j)
    mask |= static_cast<unsigned>(magnitudeKey(x[j]) >= bound) << j;
  return mask;
#endif
}

/// Index of the lowest set bit of mask != 0.
inline int lowestBit(unsigned mask) {
#if defined(__GNUC__)
  return __builtin_ctz(mask);
#else
  int bit = 0;
  for (; !(mask & 1u); mask >>= 1)
    ++bit;
  return bit;
#endif
}

/// Number of set bits of a 16-bit mask (without the popcount instruction,
/// which x86-64's baseline lacks).
inline int bitCount(unsigned mask) {
  mask = mask - ((mask >> 1) & 0x5555u);
  mask = (mask & 0x3333u) + ((mask >> 2) & 0x3333u);
  mask = (mask + (mask >> 4)) & 0x0f0fu;
  return static_cast<int>((mask + (mask >> 8)) & 0x1fu);
}

struct RangeMasks {
  unsigned inRange = 0; // bit j: lo <= key(x[j]) <= hi
  unsigned equal = 0;   // bit j: key(x[j]) == key
};

/// The masks of x[0, kBlock) for keys in [lo, hi] (lo <= hi <= kMaxKey)
/// and keys equal to `key`.
inline RangeMasks rangeMasks(const float *x, uint32_t lo, uint32_t hi,
                             uint32_t key) {
  RangeMasks m;
#if defined(__SSE2__)
  const __m128i magnitude = _mm_set1_epi32(static_cast<int32_t>(kMaxKey));
  const __m128i below = _mm_set1_epi32(static_cast<int32_t>(lo) - 1);
  const __m128i top = _mm_set1_epi32(static_cast<int32_t>(hi));
  const __m128i same = _mm_set1_epi32(static_cast<int32_t>(key));
  for (int q = 0; q < 4; ++q) {
    __m128i v = _mm_and_si128(
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(x + 4 * q)),
        magnitude);
    __m128i in =
        _mm_andnot_si128(_mm_cmpgt_epi32(v, top), _mm_cmpgt_epi32(v, below));
    m.inRange |= static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(in)))
                 << (4 * q);
    m.equal |= static_cast<unsigned>(
                   _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(v, same))))
               << (4 * q);
  }
#else
  for (int j = 0; j < kBlock; ++j) {
    uint32_t k = magnitudeKey(x[j]);
    m.inRange |= static_cast<unsigned>(k >= lo && k <= hi) << j;
    m.equal |= static_cast<unsigned>(k == key) << j;
  }
#endif
  return m;
}

/// Calls visit(i, key) for every i in [0, n) whose key is at least `bound`
/// (<= kMaxKey), in increasing order, while it returns true. Blocks without
/// such a key cost a few vector instructions. Returns the index whose visit
/// returned false, or n.
template <typename Visit>
int64_t forEachReaching(const float *x, int64_t n, uint32_t bound,
                        Visit visit) {
  int64_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    for (unsigned mask = reachMask(x + i, bound); mask != 0; mask &= mask - 1) {
      int64_t j = i + lowestBit(mask);
      if (!visit(j, magnitudeKey(x[j])))
        return j;
    }
  }
  for (; i < n; ++i) {
    uint32_t key = magnitudeKey(x[i]);
    if (key >= bound && !visit(i, key))
      return i;
  }
  return n;
}

/// Adds, for every element of x[0, n) whose key lies in [lo, hi], one to
/// `highHistogram[key >> 16]` (kHighBins entries).
void addHighHistogram(const float *x, int64_t n, uint32_t lo, uint32_t hi,
                      uint32_t *highHistogram);

/// Exact top-k of the elements of x[0, n) whose key lies in [lo, hi], by
/// (key descending, index ascending); writes their indices in increasing
/// order and their values. Requires 1 <= k <= the number of such elements.
/// `highHistogram`, when not null, is addHighHistogram(x, n, lo, hi) on a
/// zeroed histogram: the first pass is then skipped.
void selectTopKByKey(const float *x, int64_t n, int64_t k, uint32_t lo,
                     uint32_t hi, const uint32_t *highHistogram,
                     int32_t *indices, float *values);

} // namespace agtf::kernels::detail

#endif // AGTF_KERNELS_CPU_MAGNITUDESELECT_H
