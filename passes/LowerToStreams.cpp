//===- LowerToStreams.cpp - gcomm-lower-to-streams pass -------------------===//

#include "passes/CompressionMethods.h"
#include "passes/GraphProblem.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

namespace agtf::gcomm {
#define GEN_PASS_DEF_GCOMMLOWERTOSTREAMS
#include "passes/Passes.h.inc"
} // namespace agtf::gcomm

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {
struct LowerToStreamsPass
    : public agtf::gcomm::impl::GCommLowerToStreamsBase<LowerToStreamsPass> {
  void runOnOperation() override;
};

/// Appends the steps of one bucket.
struct StepBuilder {
  OpBuilder &builder;
  Location loc;
  Type event;
  FlatSymbolRefAttr bucket;

  template <typename StepOp> Value add(int64_t stream, ValueRange after) {
    return builder.create<StepOp>(loc, event, bucket,
                                  builder.getI64IntegerAttr(stream), after);
  }
};

constexpr int64_t kComputeStream = 0;
constexpr int64_t kCompressStream = 1;
constexpr int64_t kCommStream = 2;
// Steps that wait for a collective get their own stream, so that they never
// hold up packing and compressing the buckets that come after.
constexpr int64_t kFinishStream = 3;
} // namespace

void LowerToStreamsPass::runOnOperation() {
  GraphOp graph = getOperation();
  if (!graph.isPlanned()) {
    graph.emitError() << "gcomm-lower-to-streams: @" << graph.getSymName()
                      << " has no buckets: run gcomm-merge first";
    return signalPassFailure();
  }
  FailureOr<cost::Cluster> cluster = graphCluster(graph);
  if (failed(cluster))
    return signalPassFailure();
  int64_t local = cluster->timeline == cost::Timeline::Serial ? kComputeStream
                                                              : kCompressStream;

  // Replace an earlier lowering.
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(graph.getBody().front())))
    if (!isa<TensorOp, BucketOp>(op))
      op.erase();

  OpBuilder builder = OpBuilder::atBlockEnd(&graph.getBody().front());
  Type event = EventType::get(&getContext());
  SmallVector<BucketOp> buckets(graph.getBuckets());
  for (BucketOp bucket : buckets) {
    StepBuilder steps{builder, bucket.getLoc(), event,
                      FlatSymbolRefAttr::get(bucket.getSymNameAttr())};
    Value packed = steps.add<PackOp>(local, {});
    ResidualUpdate residual = rowOf(bucket.getCompression()).residual;
    if (residual == ResidualUpdate::None) {
      Value reduced = steps.add<AllreduceOp>(kCommStream, {packed});
      steps.add<UnpackOp>(kFinishStream, {reduced});
      continue;
    }
    Value compressed = steps.add<CompressOp>(local, {packed});
    Value communicated;
    switch (bucket.getCollective()) {
    case Collective::allreduce:
      communicated = steps.add<AllreduceOp>(kCommStream, {compressed});
      break;
    case Collective::allgather:
      communicated = steps.add<AllgatherOp>(kCommStream, {compressed});
      break;
    case Collective::gtopk:
      communicated = steps.add<GTopKReduceOp>(kCommStream, {compressed});
      break;
    }
    if (residual == ResidualUpdate::AfterCompress)
      steps.add<ResidualUpdateOp>(local, {compressed});
    else if (residual == ResidualUpdate::AfterCollective)
      steps.add<ResidualUpdateOp>(kFinishStream, {communicated});
    Value decompressed = steps.add<DecompressOp>(kFinishStream, {communicated});
    if (residual == ResidualUpdate::AfterDecompress)
      steps.add<ResidualUpdateOp>(kFinishStream, {decompressed});
    steps.add<UnpackOp>(kFinishStream, {decompressed});
  }
}
