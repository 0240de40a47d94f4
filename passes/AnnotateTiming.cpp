//===- AnnotateTiming.cpp - gcomm-annotate-timing pass --------------------===//

#include "passes/GraphProblem.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

namespace agtf::gcomm {
#define GEN_PASS_DEF_GCOMMANNOTATETIMING
#include "passes/Passes.h.inc"
} // namespace agtf::gcomm

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
struct AnnotateTimingPass
    : public agtf::gcomm::impl::GCommAnnotateTimingBase<AnnotateTimingPass> {
  void runOnOperation() override;
};
} // namespace

void AnnotateTimingPass::runOnOperation() {
  GraphOp graph = getOperation();
  FailureOr<cost::Cluster> cluster = graphCluster(graph);
  if (failed(cluster))
    return signalPassFailure();
  // FLOPs per microsecond the device sustains.
  double flopsPerUs = cluster->peakGflops * 1e3 * cluster->efficiency;
  Builder builder(&getContext());
  double backwardSum = 0.0;
  int64_t parameters = 0;
  for (TensorOp tensor : graph.getTensors()) {
    parameters += tensor.getNumel();
    if (FloatAttr backward = tensor.getBackwardUsAttr()) {
      backwardSum += backward.getValueAsDouble();
      continue;
    }
    FloatAttr flops = tensor.getFlopsAttr();
    if (!flops) {
      tensor.emitOpError() << "tensor @" << tensor.getSymName()
                           << " has neither backward_us nor flops";
      return signalPassFailure();
    }
    double us = flops.getValueAsDouble() / flopsPerUs;
    tensor.setBackwardUsAttr(builder.getF64FloatAttr(us));
    backwardSum += us;
  }
  if (!graph.getBackwardUsAttr())
    graph.setBackwardUsAttr(builder.getF64FloatAttr(backwardSum));
  if (!graph.getForwardUsAttr())
    graph.setForwardUsAttr(builder.getF64FloatAttr(
        graph.getBackwardUsAttr().getValueAsDouble() / 2.0));
  if (!graph.getUpdateUsAttr())
    graph.setUpdateUsAttr(builder.getF64FloatAttr(cluster->updateUsPerElement *
                                                  double(parameters)));
}
