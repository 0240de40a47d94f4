//===- MergeBuckets.cpp - gcomm-merge pass --------------------------------===//
//
// Chooses how the gradient tensors of a graph are fused into buckets. The
// bucket's sparsity keeps the top-k budget of its members (DESIGN.md §4):
// k_G = sum_i max(1, ceil(rho_i * n_i)).
//
//===----------------------------------------------------------------------===//

#include "passes/GraphProblem.h"
#include "passes/MergeSolvers.h"
#include "passes/Passes.h"

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
  bool structural = strategy == "layerwise" || strategy == "single" ||
                    strategy == "threshold";
  if (!structural && strategy != "mgwfbp" && strategy != "omgs" &&
      strategy != "agtf" && strategy != "optimal")
    return fail("unknown strategy '" + strategy +
                "'; expected layerwise, single, threshold, mgwfbp, omgs, "
                "agtf or optimal");
  if (bucketBytes < 1 || firstBucketBytes < 1)
    return fail("bucket-bytes and first-bucket-bytes must be >= 1");
  FailureOr<CompressionChoice> choice =
      parseCompression(graph, compression, density, rank);
  FailureOr<cost::NoiseKind> noiseKind = parseNoiseKind(graph, noise);
  if (failed(choice) || failed(noiseKind))
    return signalPassFailure();
  FailureOr<cost::Problem> problem =
      buildProblem(graph, *choice, /*needTimes=*/!structural);
  if (failed(problem))
    return signalPassFailure();

  cost::CostTable table(*problem);
  cost::NoiseModel noiseModel(table, *noiseKind);
  size_t n = problem->tensors.size();
  cost::Partition plan;
  if (strategy == "layerwise") {
    plan = cost::mergeLayerwise(*problem);
  } else if (strategy == "single") {
    plan = cost::mergeSingle(*problem);
  } else if (strategy == "threshold") {
    int64_t elementBytes = choice->halfPrecision ? 2 : 4;
    plan = cost::mergeThreshold(*problem, bucketBytes, firstBucketBytes,
                                elementBytes);
  } else if (strategy == "mgwfbp") {
    plan = cost::mergeMgwfbp(table);
  } else if (strategy == "omgs") {
    plan = cost::mergeOmgs(table);
  } else if (strategy == "agtf") {
    plan = cost::mergeAgtf(table, noiseModel,
                           std::max(0.0, double(noiseTolerance)));
  } else {
    std::optional<double> budget;
    if (noiseTolerance >= 0.0)
      budget = (1.0 + noiseTolerance) * noiseModel.layerwise(n);
    plan = cost::mergeOptimal(table, &noiseModel, budget);
  }
  writePlan(graph, plan, table, *choice);
}
