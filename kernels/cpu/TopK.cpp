//===- TopK.cpp - CPU twin of exact magnitude top-k -----------------------===//

#include "kernels/TopK.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <vector>

using namespace agtf::kernels;

int64_t agtf::kernels::topKCount(int64_t n, double density) {
  if (n <= 0)
    return 0;
  auto k = static_cast<int64_t>(std::ceil(density * static_cast<double>(n)));
  return std::clamp<int64_t>(k, 1, n);
}

void agtf::kernels::selectTopKCpu(const float *x, int64_t n, int64_t k,
                                  int32_t *indices, float *values) {
  assert(k >= 1 && k <= n && "top-k needs 1 <= k <= n");
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Larger magnitude first; equal magnitudes by lower index.
  auto before = [x](int32_t a, int32_t b) {
    float ma = std::fabs(x[a]), mb = std::fabs(x[b]);
    return ma > mb || (ma == mb && a < b);
  };
  std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), before);
  std::sort(order.begin(), order.begin() + k);
  for (int64_t i = 0; i < k; ++i) {
    indices[i] = order[i];
    values[i] = x[order[i]];
  }
}
