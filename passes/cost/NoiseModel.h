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
  /// The plan's relative residual: the squared norm that the buckets' top-k
  /// leave unsent over the whole gradient's, the members' dropped fractions
  /// (as Relative) weighted by their share of the squared gradient norm.
  /// At most 1; top-k over one bucket has the least for a given total k.
  Energy,
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
  /// Noise of the bucket [begin, end), the relative model's search for its
  /// threshold starting at log(theta) = `start` (NaN: the middle of its
  /// range). The noise is the same, bit for bit; a start near the
  /// threshold saves passes over the members.
  double bucket(size_t begin, size_t end, double start) const;
  /// Whether bucket(begin, end) takes O(1): the agtf-norm model, and
  /// relative buckets that are dense, keep every element, have a member
  /// without a sketch or only zero magnitudes. The others search a
  /// threshold, a pass over the members a step.
  bool isQuick(size_t begin, size_t end) const;
  NoiseKind getKind() const { return kind; }
  /// Whether buckets' noise comes from a threshold search over the
  /// sketches (Relative, Energy).
  bool searchesThreshold() const { return kind != NoiseKind::AgtfNorm; }
  /// What member i's dropped fraction counts: 1 (Relative), its share of
  /// the squared gradient norm (Energy).
  double weight(size_t i) const { return weights[i]; }
  /// Noise of the layer-wise plan of tensors [0, end).
  double layerwise(size_t end) const { return layerwisePrefix[end]; }
  /// Noise of a whole plan.
  double plan(const Partition &plan) const;

private:
  double relative(size_t begin, size_t end, double kept, double start) const;

  const CostTable &table;
  NoiseKind kind;
  std::vector<double> layerwisePrefix;
  std::vector<double> gradNorm;
  std::vector<double> weights, weightPrefix;
  // Prefix counts of the tensors without a sketch, and of those whose
  // sketch has a magnitude above 0.
  std::vector<uint32_t> unsketched, magnitudes;
  std::vector<std::vector<double>> logKept; // log of each sketch's fractions
};

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_NOISEMODEL_H
