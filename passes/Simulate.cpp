//===- Simulate.cpp - gcomm-simulate pass ---------------------------------===//

#include "passes/GraphProblem.h"
#include "passes/Passes.h"
#include "runtime/OutputFile.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace agtf::gcomm {
#define GEN_PASS_DEF_GCOMMSIMULATE
#include "passes/Passes.h.inc"
} // namespace agtf::gcomm

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
struct SimulatePass
    : public agtf::gcomm::impl::GCommSimulateBase<SimulatePass> {
  using Base::Base;
  void runOnOperation() override;

private:
  LogicalResult writeTrace(GraphOp graph, const cost::Problem &problem,
                           const cost::PlanTimeline &timeline);
};

enum Lane { ComputeLane = 0, SparsifyLane = 1, CommLane = 2 };
} // namespace

LogicalResult SimulatePass::writeTrace(GraphOp graph,
                                       const cost::Problem &problem,
                                       const cost::PlanTimeline &timeline) {
  llvm::json::Array events;
  auto event = [&](std::string name, Lane lane, double start, double duration) {
    events.push_back(llvm::json::Object{{"name", std::move(name)},
                                        {"ph", "X"},
                                        {"pid", 0},
                                        {"tid", int(lane)},
                                        {"ts", start},
                                        {"dur", duration}});
  };
  const char *laneNames[] = {"compute", "sparsify", "comm"};
  for (int lane = 0; lane < 3; ++lane)
    events.push_back(llvm::json::Object{
        {"name", "thread_name"},
        {"ph", "M"},
        {"pid", 0},
        {"tid", lane},
        {"args", llvm::json::Object{{"name", laneNames[lane]}}}});
  // Times in the timeline start at backprop; the trace starts at forward.
  double fwd = problem.forwardUs;
  event("forward", ComputeLane, 0.0, fwd);
  double clock = fwd;
  for (const cost::Tensor &t : problem.tensors) {
    event("backward " + t.name, ComputeLane, clock, t.backwardUs);
    clock += t.backwardUs;
  }
  SmallVector<BucketOp> buckets(graph.getBuckets());
  for (auto [bucket, times, cost] :
       llvm::zip(buckets, timeline.buckets, timeline.costs)) {
    std::string name = bucket.getSymName().str();
    event((cost.sparse ? "sparsify " : "pack ") + name, SparsifyLane,
          fwd + times.ready - cost.sparsifyUs, cost.sparsifyUs);
    event("comm " + name, CommLane, fwd + times.start, times.end - times.start);
  }
  event("update", ComputeLane, timeline.iterUs - problem.updateUs,
        problem.updateUs);

  std::string text = llvm::formatv(
      "{0:2}",
      llvm::json::Value(llvm::json::Object{{"traceEvents", std::move(events)},
                                           {"displayTimeUnit", "ns"}}));
  if (std::string error = runtime::writeFile(trace, text); !error.empty())
    return graph.emitError() << "gcomm-simulate: " << error;
  return success();
}

void SimulatePass::runOnOperation() {
  GraphOp graph = getOperation();
  if (!graph.isPlanned()) {
    graph.emitError() << "gcomm-simulate: @" << graph.getSymName()
                      << " has no buckets: run gcomm-merge first";
    return signalPassFailure();
  }
  FailureOr<cost::NoiseKind> noiseKind = parseNoiseKind(graph, noise);
  if (failed(noiseKind))
    return signalPassFailure();
  CompressionChoice dense;
  FailureOr<cost::Problem> problem =
      buildProblem(graph, dense, /*needTimes=*/true);
  if (failed(problem))
    return signalPassFailure();
  ExistingPlan plan = readPlan(graph, *problem);
  cost::PlanTimeline timeline =
      cost::simulate(*problem, plan.partition, plan.costs);

  // Noise of the plan as written: each bucket keeps what its attribute
  // says.
  cost::CostTable table(*problem);
  cost::NoiseModel noiseModel(table, *noiseKind);
  double noiseSum = 0.0;
  size_t begin = 0;
  for (auto [end, cost] : llvm::zip(plan.partition, plan.costs)) {
    if (cost.sparse && cost.method != cost::Method::LowRank &&
        cost.method != cost::Method::PowerSGD)
      noiseSum += noiseModel.bucket(begin, end, cost.kept);
    begin = end;
  }

  MLIRContext *ctx = &getContext();
  Builder builder(ctx);
  for (auto [bucket, times] : llvm::zip(graph.getBuckets(), timeline.buckets))
    bucket.setPredictedAttr(TimesAttr::get(ctx, llvm::APFloat(times.ready),
                                           llvm::APFloat(times.start),
                                           llvm::APFloat(times.end)));
  graph.setPredictedIterUsAttr(builder.getF64FloatAttr(timeline.iterUs));
  graph.setPredictedExposedCommUsAttr(
      builder.getF64FloatAttr(timeline.exposedCommUs));
  graph.setPredictedNoiseAttr(builder.getF64FloatAttr(noiseSum));
  if (!trace.empty() && failed(writeTrace(graph, *problem, timeline)))
    return signalPassFailure();
}
