//===- GraphProblem.h - gcomm.graph to and from the cost model --*- C++ -*-===//

#ifndef AGTF_PASSES_GRAPHPROBLEM_H
#define AGTF_PASSES_GRAPHPROBLEM_H

#include "dialect/GCommOps.h"
#include "passes/CompressionMethods.h"
#include "passes/cost/CostModel.h"
#include "passes/cost/NoiseModel.h"

namespace agtf::gcomm {

/// How tensors without a `density` attribute are compressed.
struct CompressionChoice {
  /// The option's method, whose attribute the plan's compressed buckets get
  /// (null: the row of `method`); methods may share a cost::Method.
  const CompressionMethodRow *row = nullptr;
  cost::Method method = cost::Method::Dense;
  double density = 0.001; // for tensors without a `density` attribute
  int64_t rank = 4;
  bool halfPrecision = false; // dense-f16
};

/// Parses the `compression` option of the merge pass.
mlir::FailureOr<CompressionChoice> parseCompression(mlir::Operation *op,
                                                    llvm::StringRef name,
                                                    double density,
                                                    int64_t rank);

/// The graph's cost problem: tensors in backprop order with their budgets,
/// the cluster from the graph's `cluster` dictionary (defaults otherwise)
/// and `workers`. With `needTimes`, a tensor without `backward_us` is an
/// error that names it.
mlir::FailureOr<cost::Problem>
buildProblem(GraphOp graph, const CompressionChoice &choice, bool needTimes);

/// The graph's current plan and the cost of each bucket, from the buckets'
/// own compression attributes.
struct ExistingPlan {
  cost::Partition partition;
  std::vector<cost::BucketCost> costs;
};
ExistingPlan readPlan(GraphOp graph, const cost::Problem &problem);

/// Replaces the graph's buckets with `plan`, compressing each bucket as
/// `table` prices it.
void writePlan(GraphOp graph, const cost::Partition &plan,
               const cost::CostTable &table, const CompressionChoice &choice);

/// Parses a noise model option: relative | agtf-norm.
mlir::FailureOr<cost::NoiseKind> parseNoiseKind(mlir::Operation *op,
                                                llvm::StringRef name);

/// The cluster of a graph: its `cluster` dictionary over the defaults.
mlir::FailureOr<cost::Cluster> graphCluster(GraphOp graph);

} // namespace agtf::gcomm

#endif // AGTF_PASSES_GRAPHPROBLEM_H
