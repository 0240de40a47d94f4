//===- MergeBuckets.cpp - gcomm-merge pass --------------------------------===//
//
// Chooses how the gradient tensors of a graph are fused into buckets. The
// bucket's sparsity keeps the top-k budget of its members (DESIGN.md §4):
// k_G = sum_i max(1, ceil(rho_i * n_i)).
//
//===----------------------------------------------------------------------===//

#include "passes/GraphProblem.h"
#include "passes/Passes.h"
#include "passes/cost/MergeSolvers.h"
#include "passes/cost/MergeStrategy.h"

#include "mlir/IR/Builders.h"

#include <cmath>
#include <optional>

namespace agtf::gcomm {
#define GEN_PASS_DEF_GCOMMMERGE
#include "passes/Passes.h.inc"
} // namespace agtf::gcomm

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
struct MergeBucketsPass
    : public agtf::gcomm::impl::GCommMergeBase<MergeBucketsPass> {
  using Base::Base;
  void runOnOperation() override;
};
} // namespace

void MergeBucketsPass::runOnOperation() {
  GraphOp graph = getOperation();
  auto fail = [&](const Twine &message) {
    graph.emitError() << "gcomm-merge: " << message;
    signalPassFailure();
  };
  if (bucketBytes < 1 || firstBucketBytes < 1)
    return fail("bucket-bytes and first-bucket-bytes must be >= 1");
  // NaN would make every noise comparison false, and decide by accident.
  if (!std::isfinite(noiseTolerance))
    return fail("noise-tolerance must be finite (negative: no guard), got " +
                formatF64(noiseTolerance));
  if (!std::isfinite(noiseBudget))
    return fail("noise-budget must be finite (negative: none), got " +
                formatF64(noiseBudget));
  std::optional<cost::NoiseReference> reference =
      noiseReference == "layerwise" ? cost::NoiseReference::Layerwise
      : noiseReference == "single"  ? cost::NoiseReference::Single
                                    : std::optional<cost::NoiseReference>();
  if (!reference)
    return fail("unknown noise-reference '" + noiseReference +
                "'; expected layerwise or single");
  if (!std::isfinite(optimalityGap) || optimalityGap < 0.0)
    return fail("optimality-gap must be finite and >= 0, got " +
                formatF64(optimalityGap));
  FailureOr<CompressionChoice> choice =
      parseCompression(graph, compression, density, rank);
  FailureOr<cost::NoiseKind> noiseKind = parseNoiseKind(graph, noise);
  if (failed(choice) || failed(noiseKind))
    return signalPassFailure();
  const cost::MergeStrategyInfo &merge = cost::getMergeStrategy(strategy);
  FailureOr<cost::Problem> problem =
      buildProblem(graph, *choice, merge.needsBackwardTimes);
  if (failed(problem))
    return signalPassFailure();

  cost::CostTable table(*problem);
  cost::NoiseModel noiseModel(table, *noiseKind);
  cost::MergeOptions options;
  options.bucketBytes = bucketBytes;
  options.firstBucketBytes = firstBucketBytes;
  options.elementBytes = choice->halfPrecision ? 2 : 4;
  options.noiseTolerance = noiseTolerance;
  options.noiseReference = *reference;
  options.noiseBudget = noiseBudget;
  options.optimalityGap = optimalityGap;
  cost::OptimalityCertificate certificate;
  options.certificate = &certificate;
  cost::Partition plan = merge.solve(table, noiseModel, options);
  // An absolute budget can be below every plan's noise (the references
  // always meet theirs): say so rather than write a plan outside it.
  std::optional<double> budget =
      cost::noiseBudgetOf(table, noiseModel, options);
  if (strategy == cost::MergeStrategy::Optimal && budget &&
      noiseModel.plan(plan) > *budget * (1.0 + 1e-9)) {
    size_t n = problem->tensors.size();
    return fail("no plan within noise-budget " + formatF64(*budget) +
                "; top-k over one bucket has noise " +
                formatF64(noiseModel.bucket(0, n)) + " and layer-wise " +
                formatF64(noiseModel.layerwise(n)));
  }
  writePlan(graph, plan, table, *choice);
  // What optimal proved, for this plan only.
  if (strategy == cost::MergeStrategy::Optimal)
    graph.setOptimalLowerBoundUsAttr(
        Builder(graph.getContext()).getF64FloatAttr(certificate.lowerBoundUs));
  else
    graph.removeOptimalLowerBoundUsAttr();
}
