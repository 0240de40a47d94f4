//===- RadixSelect.h - exact selection by radix passes ----------*- C++ -*-===//
//
// Internal to kernels/cuda: the machinery behind exact top-k, DGC's exact
// fallback, the sample threshold and the gTop-k merge.
//
// Order: element i of x has the 63-bit composite key
//   (bits(|x[i]|) << 32) | (0xffffffff - i),
// so a larger key is a larger magnitude, and of equal magnitudes the lower
// index: the CPU twin's order. Keys are distinct, so "the top k" is one
// set. The k-th key is found by up to six radix passes (digits of 11, 11,
// 11, 11, 11 and 8 bits from the top) over histograms, in the manner of AIR
// top-k: the last block of each pass picks the digit that holds the k-th
// key on the device, so no pass waits for the host. Pass 1 reads the input
// (optionally adding the gradient into the residual first: the fused
// error-feedback step). Pass 2 reads it again, marks every element whose
// first digit is above the chosen one in a bitmap, and copies the elements
// of the chosen digit (the candidates, ~0.05% of a heavy-tailed input) to
// a buffer; the remaining passes read only that buffer, all in one block
// when it is small. A selection is finished as soon as every element of
// the chosen digit belongs to it. Compaction then scans the bitmap's
// per-group counts and writes indices in increasing order: two reads of
// the input in all. With few distinct values (candidates overflowing the
// buffer) the later passes read the input instead: slower, still exact.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_CUDA_RADIXSELECT_H
#define AGTF_KERNELS_CUDA_RADIXSELECT_H

#include "kernels/DeviceSelection.h"

#include <cuda_runtime.h>

namespace agtf::kernels::detail {

constexpr int kPasses = 6;
constexpr int kBins = 2048;
/// Elements per bitmap group: 8 words of 32 bits, one count per group.
constexpr int kGroup = 256;

struct SelectState {
  /// The selection is "(key >> shift) >= prefix" once `done`; before, the
  /// candidates are the keys with (key >> shift) == prefix.
  unsigned long long prefix;
  int shift; // 63 before the first pass: every key matches prefix 0
  int done;
  long long kRemaining; // still to pick among the candidates
  int skip;             // set on the device: the whole selection is off
  int candidateMode;    // 0: none needed, 1: in the buffer, 2: re-read x
  unsigned long long candidateCount;
  unsigned long long firstPrefix; // the chosen first digit
  unsigned tickets[kPasses];
  unsigned hist[kPasses][kBins];
};

/// One selection's scratch, carved from the caller's block.
struct SelectScratch {
  SelectState *state = nullptr;
  unsigned long long *candidates = nullptr;
  long long candidateCapacity = 0;
  long long groups = 0;             // ceil(n / kGroup), at least 1
  unsigned *bitmap = nullptr;       // 8 words per group; null: not kept
  unsigned *groupCounts = nullptr;  // selected per group
  unsigned *groupOffsets = nullptr; // exclusive prefix sums of the counts
  void *scanTemp = nullptr;
  size_t scanTempBytes = 0;
};

/// Bytes of scratch for selecting among up to `n` elements; `bitmap`: the
/// selection is compacted (not only its k-th key found).
size_t selectScratchBytes(int64_t n, bool bitmap);
/// Carves those bytes at `base`.
SelectScratch carveSelectScratch(void *base, int64_t n, bool bitmap);

struct SelectInput {
  /// Ranked by magnitude. With `grad` set, the first pass stores
  /// x[i] + grad[i] into x (the residual) and ranks that.
  float *x = nullptr;
  const float *grad = nullptr;
  /// Elements, known on the host; `deviceN` (optional) is the effective
  /// count, at most n, read on the device.
  int64_t n = 0;
  const int64_t *deviceN = nullptr;
};

/// Clears the state: every selection starts with it.
void resetSelect(const SelectScratch &s, cudaStream_t stream);

/// Finds the top min(k, n) keys and (with a bitmap) marks them, unless the
/// state's skip flag is set on the device by the time the kernels run.
/// `exactKey`: keep refining until the k-th magnitude itself is known
/// (thresholdOf), even when the set is decided earlier.
void enqueueSelect(const SelectInput &in, int64_t k, bool exactKey,
                   const SelectScratch &s, cudaStream_t stream);

/// Writes the marked elements of x, in increasing index order, to `out`:
/// at most `capacity` of them (the count written is the number marked).
void enqueueCompaction(const float *x, const SelectScratch &s,
                       const SelectionTarget &out, int64_t capacity,
                       cudaStream_t stream);

/// Scratch bytes of exclusiveSum over `items` counts.
size_t exclusiveSumTempBytes(int64_t items);
/// out[i] = in[0] + ... + in[i - 1] (CUB's device scan).
void exclusiveSum(const unsigned *in, unsigned *out, int64_t items, void *temp,
                  size_t tempBytes, cudaStream_t stream);

#ifdef __CUDACC__
/// The k-th magnitude of a finished exactKey selection.
__device__ __forceinline__ float thresholdOf(const SelectState *st) {
  const volatile SelectState *v = st;
  return __uint_as_float(unsigned(v->prefix >> (32 - v->shift)));
}
#endif

} // namespace agtf::kernels::detail

#endif // AGTF_KERNELS_CUDA_RADIXSELECT_H
