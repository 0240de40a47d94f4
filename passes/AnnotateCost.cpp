//===- AnnotateCost.cpp - gcomm-annotate-cost pass ------------------------===//

#include "passes/ClusterFile.h"
#include "passes/GraphProblem.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

#include <cmath>

namespace agtf::gcomm {
#define GEN_PASS_DEF_GCOMMANNOTATECOST
#include "passes/Passes.h.inc"
} // namespace agtf::gcomm

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
struct AnnotateCostPass
    : public agtf::gcomm::impl::GCommAnnotateCostBase<AnnotateCostPass> {
  using Base::Base;
  void runOnOperation() override;
};
} // namespace

void AnnotateCostPass::runOnOperation() {
  GraphOp graph = getOperation();
  auto fail = [&](const Twine &message) {
    graph.emitError() << "gcomm-annotate-cost: " << message;
    signalPassFailure();
  };
  FailureOr<cost::Cluster> cluster = graphCluster(graph);
  if (failed(cluster))
    return signalPassFailure();
  std::string error;
  if (!clusterFile.empty() &&
      failed(readClusterFile(clusterFile, *cluster, error)))
    return fail(error);
  if (!workers.empty()) {
    int64_t p;
    if (StringRef(workers).getAsInteger(10, p) || p < 1)
      return fail("workers must be an integer >= 1, got '" + workers + "'");
    // Measured samples price the rank count they were measured at only.
    if (p != cluster->workers)
      cluster->clearCollectiveSamples();
    cluster->workers = p;
  }
  for (auto [text, name, values] :
       {std::tuple(StringRef(alpha), "alpha", cluster->alphaUs),
        std::tuple(StringRef(beta), "beta", cluster->betaUsPerByte)}) {
    if (text.empty())
      continue;
    // Given constants replace what was measured.
    cluster->clearCollectiveSamples();
    double value;
    if (text.getAsDouble(value) || !std::isfinite(value) || value < 0.0)
      return fail(Twine(name) + " must be a finite number >= 0, got '" + text +
                  "'");
    std::fill(values, values + 3, value);
  }
  if (!timeline.empty()) {
    if (timeline == "serial")
      cluster->timeline = cost::Timeline::Serial;
    else if (timeline == "stream")
      cluster->timeline = cost::Timeline::Stream;
    else if (timeline == "shared")
      cluster->timeline = cost::Timeline::Shared;
    else
      return fail("timeline must be serial, stream or shared, got '" +
                  timeline + "'");
  }
  if (failed(validateCluster(*cluster, error)))
    return fail(error);
  graph->setAttr("cluster", clusterToAttr(&getContext(), *cluster));
  graph.setWorkersAttr(
      Builder(&getContext()).getI64IntegerAttr(cluster->workers));
}
