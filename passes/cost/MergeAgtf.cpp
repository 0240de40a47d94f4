//===- MergeAgtf.cpp - AGTF's DP with the noise rule ----------------------===//

#include "passes/cost/MergeSolvers.h"

#include <algorithm>
#include <limits>

using namespace agtf::cost;

Partition agtf::cost::mergeAgtf(const CostTable &table, const NoiseModel &noise,
                                double tolerance) {
  size_t n = table.getProblem().tensors.size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> best(n + 1, inf), bestNoise(n + 1, 0.0);
  std::vector<size_t> parent(n + 1, 0);
  best[0] = 0.0;
  for (size_t j = 1; j <= n; ++j) {
    // Relative slack for rounding: sums of the same terms in another order
    // differ by a few ulps of the total, whatever the noise's scale.
    double limit = (1.0 + tolerance) * noise.layerwise(j) * (1.0 + 1e-12);
    for (size_t i = 0; i < j; ++i) {
      double candidateNoise = bestNoise[i] + noise.bucket(i, j);
      // A single-tensor bucket is the layer-wise choice, always allowed.
      if (j - i > 1 && candidateNoise > limit)
        continue;
      double end =
          std::max(best[i], table.backwardUntil(j)) + table.bucket(i, j).commUs;
      if (end < best[j]) {
        best[j] = end;
        bestNoise[j] = candidateNoise;
        parent[j] = i;
      }
    }
  }
  Partition plan;
  for (size_t j = n; j > 0; j = parent[j])
    plan.push_back(j);
  std::reverse(plan.begin(), plan.end());
  return plan;
}
