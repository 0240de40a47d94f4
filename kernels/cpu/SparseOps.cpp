//===- SparseOps.cpp - CPU twins of scatter, gather and gTop-k merge ------===//

#include "kernels/SparseOps.h"

#include "kernels/TopK.h"

#include <algorithm>
#include <cassert>
#include <vector>

using namespace agtf::kernels;

void agtf::kernels::scatterAddCpu(const int32_t *indices, const float *values,
                                  int64_t count, float *out) {
  // Sequential, so repeated indices accumulate in selection order.
  for (int64_t i = 0; i < count; ++i)
    out[indices[i]] += values[i];
}

void agtf::kernels::zeroAtCpu(const int32_t *indices, int64_t count, float *x) {
  for (int64_t i = 0; i < count; ++i)
    x[indices[i]] = 0.0f;
}

void agtf::kernels::gatherAtCpu(const float *x, const int32_t *indices,
                                int64_t count, float *values) {
  for (int64_t i = 0; i < count; ++i)
    values[i] = x[indices[i]];
}

int64_t agtf::kernels::mergeTopKCpu(const int32_t *aIndices,
                                    const float *aValues, int64_t aCount,
                                    const int32_t *bIndices,
                                    const float *bValues, int64_t bCount,
                                    int64_t k, int32_t *outIndices,
                                    float *outValues) {
  // Union by a two-pointer merge: indices stay increasing.
  std::vector<int32_t> unionIndices;
  std::vector<float> unionValues;
  unionIndices.reserve(aCount + bCount);
  unionValues.reserve(aCount + bCount);
  int64_t a = 0, b = 0;
  while (a < aCount || b < bCount) {
    if (b == bCount || (a < aCount && aIndices[a] < bIndices[b])) {
      unionIndices.push_back(aIndices[a]);
      unionValues.push_back(aValues[a++]);
    } else if (a == aCount || bIndices[b] < aIndices[a]) {
      unionIndices.push_back(bIndices[b]);
      unionValues.push_back(bValues[b++]);
    } else {
      assert(aIndices[a] == bIndices[b]);
      unionIndices.push_back(aIndices[a]);
      unionValues.push_back(aValues[a++] + bValues[b++]);
    }
  }

  auto size = static_cast<int64_t>(unionIndices.size());
  if (k <= 0 || size == 0)
    return 0;
  if (k >= size) {
    std::copy(unionIndices.begin(), unionIndices.end(), outIndices);
    std::copy(unionValues.begin(), unionValues.end(), outValues);
    return size;
  }
  // Top-k over positions in the union: as positions increase with indices,
  // its ties to the lower position are ties to the lower index, and its
  // increasing positions are increasing indices.
  std::vector<int32_t> positions(k);
  selectTopKCpu(unionValues.data(), size, k, positions.data(), outValues);
  for (int64_t i = 0; i < k; ++i)
    outIndices[i] = unionIndices[positions[i]];
  return k;
}
