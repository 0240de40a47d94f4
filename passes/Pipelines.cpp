//===- Pipelines.cpp - gcomm pass pipelines -------------------------------===//

#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void agtf::gcomm::registerGCommPipelines() {
  PassPipelineRegistration<>(
      "ddp-buckets",
      "Dense buckets as PyTorch DDP forms them: 25 MiB, the first 1 MiB",
      [](OpPassManager &pm) {
        GCommMergeOptions options;
        options.strategy = "threshold";
        pm.addNestedPass<GraphOp>(createGCommMerge(options));
      });
}
