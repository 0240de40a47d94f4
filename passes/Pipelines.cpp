//===- Pipelines.cpp - gcomm pass pipelines -------------------------------===//

#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace agtf::gcomm;

namespace {
struct FuseSparseOptions : public PassPipelineOptions<FuseSparseOptions> {
  Option<std::string> clusterFile{*this, "cluster-file",
                                  llvm::cl::desc("JSON cluster file")};
  Option<std::string> workers{*this, "workers",
                              llvm::cl::desc("number of workers P")};
  Option<std::string> timeline{*this, "timeline",
                               llvm::cl::desc("serial | stream")};
  Option<double> density{*this, "density",
                         llvm::cl::desc("mean density of the budget"),
                         llvm::cl::init(0.001)};
  Option<std::string> compression{
      *this, "compression", CompressionMethodNames(), llvm::cl::init("topk")};
  Option<std::string> noise{*this, "noise",
                            llvm::cl::desc("relative | agtf-norm | energy"),
                            llvm::cl::init("relative")};
  Option<double> noiseTolerance{
      *this, "noise-tolerance",
      llvm::cl::desc("eps: noise at most (1 + eps) x the noise-reference "
                     "plan's; negative: no guard"),
      llvm::cl::init(0.0)};
  Option<std::string> noiseReference{
      *this, "noise-reference",
      llvm::cl::desc("layerwise | single (top-k over one bucket)"),
      llvm::cl::init("layerwise")};
  Option<double> noiseBudget{
      *this, "noise-budget",
      llvm::cl::desc("absolute noise budget, in place of noise-tolerance "
                     "when >= 0 (energy: the fraction of the gradient's "
                     "energy left unsent)"),
      llvm::cl::init(-1.0)};
  Option<double> optimalityGap{
      *this, "optimality-gap",
      llvm::cl::desc("delta: the plan at most (1 + delta) x the optimum's "
                     "predicted iteration time; 0: the exact optimum"),
      llvm::cl::init(0.01)};
  Option<std::string> trace{*this, "trace",
                            llvm::cl::desc("Chrome trace JSON file")};
};
} // namespace

void agtf::gcomm::registerGCommPipelines() {
  PassPipelineRegistration<>(
      "ddp-buckets",
      "Dense buckets as PyTorch DDP forms them: 25 MiB, the first 1 MiB",
      [](OpPassManager &pm) {
        GCommMergeOptions options;
        options.strategy = agtf::cost::MergeStrategy::Threshold;
        pm.addNestedPass<GraphOp>(createGCommMerge(options));
      });

  PassPipelineRegistration<FuseSparseOptions>(
      "fuse-sparse",
      "Plan sparse fused communication: timing, cost, importance budget, "
      "optimal merge under the noise guard, simulation",
      [](OpPassManager &pm, const FuseSparseOptions &opts) {
        OpPassManager &graph = pm.nest<GraphOp>();
        GCommAnnotateCostOptions cost;
        cost.clusterFile = opts.clusterFile;
        cost.workers = opts.workers;
        cost.timeline = opts.timeline;
        graph.addPass(createGCommAnnotateCost(cost));
        graph.addPass(createGCommAnnotateTiming());
        GCommSparsityBudgetOptions budget;
        budget.rule = "importance";
        budget.density = opts.density;
        graph.addPass(createGCommSparsityBudget(budget));
        GCommMergeOptions merge;
        merge.strategy = agtf::cost::MergeStrategy::Optimal;
        merge.compression = opts.compression;
        merge.noise = opts.noise;
        merge.noiseTolerance = opts.noiseTolerance;
        merge.noiseReference = opts.noiseReference;
        merge.noiseBudget = opts.noiseBudget;
        merge.optimalityGap = opts.optimalityGap;
        graph.addPass(createGCommMerge(merge));
        GCommSimulateOptions simulate;
        simulate.noise = opts.noise;
        simulate.trace = opts.trace;
        graph.addPass(createGCommSimulate(simulate));
      });
}
