//===- NoiseModel.h - accuracy model of a merge plan (§5) -------*- C++ -*-===//

#ifndef AGTF_PASSES_COST_NOISEMODEL_H
#define AGTF_PASSES_COST_NOISEMODEL_H

#include "passes/cost/CostModel.h"

namespace agtf::cost {

enum class NoiseKind {
  /// Sum over members of the squared-norm fraction the bucket's top-k drops,
  /// from the gradient-magnitude sketches.
  Relative,
  /// AGTF's metric: (N_G / k_G - 1) * sum of member gradient norms.
  AgtfNorm,
};

/// A tensor's sketch read between its points (docs/passes.md), the
/// definitions the relative noise is built on. `logKept` holds log(t.kept).
/// The fraction of the elements whose magnitude is at least theta:
/// log-linear in theta between sketch points, f0 * theta0 / theta above the
/// largest threshold theta0.
double fractionAbove(const Tensor &t, const std::vector<double> &logKept,
                     double theta);
/// The fraction of the squared norm that the top fraction `kept` of the
/// elements holds: linear in log(kept) between sketch points, linear in
/// kept below the first.
double energyKept(const Tensor &t, const std::vector<double> &logKept,
                  double kept);

/// Noise of buckets under one noise model. Noise adds over buckets.
class NoiseModel {
public:
  NoiseModel(const CostTable &table, NoiseKind kind);
  /// Noise of the bucket [begin, end); 0 when it is dense.
  double bucket(size_t begin, size_t end) const;
  /// Noise of the bucket [begin, end) keeping `kept` of its elements.
  double bucket(size_t begin, size_t end, int64_t kept) const;
  /// Noise of the buckets [begin, end) for end = begin + 1, ..., L. With
  /// `enough` and `exact`, an entry may instead be a lower bound of the
  /// noise above enough[end], marked false in `exact`.
  /// `roots` receives where each threshold search ended, for bucket(begin,
  /// end, root).
  std::vector<double> bucketsFrom(size_t begin,
                                  const std::vector<double> *enough = nullptr,
                                  std::vector<bool> *exact = nullptr,
                                  std::vector<double> *roots = nullptr) const;
  /// Noise of the bucket [begin, end), its threshold search resuming at
  /// `root` from bucketsFrom (NaN: from scratch).
  double bucket(size_t begin, size_t end, double root) const;
  /// Noise of the layer-wise plan of tensors [0, end).
  double layerwise(size_t end) const { return layerwisePrefix[end]; }
  /// Noise of a whole plan.
  double plan(const Partition &plan) const;

private:
  struct RowState;
  static constexpr double kNoBound = 1e300;
  /// `row`: the search state of the bucket [begin, end - 1), updated. With
  /// `bounded`, returns a lower bound of the noise when it exceeds `enough`
  /// and sets *bounded.
  double bucket(size_t begin, size_t end, int64_t kept, RowState *row,
                double enough, bool *bounded) const;
  double relative(size_t begin, size_t end, double kept, RowState *row,
                  double enough, bool *bounded) const;

  const CostTable &table;
  NoiseKind kind;
  std::vector<double> layerwisePrefix;
  std::vector<double> gradNorm;
  std::vector<std::vector<double>> logKept; // log of each sketch's fractions
};

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_NOISEMODEL_H
