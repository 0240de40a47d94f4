//===- ScheduleToGComm.cpp - schedule.bin back to gcomm.graph -------------===//
//
// Gives back everything schedule.bin holds, so that plan -> binary -> MLIR
// -> binary is byte-identical. What the binary does not hold (the graph's
// name, profiles, sketches) does not come back.
//
//===----------------------------------------------------------------------===//

#include "runtime/translations/CompressionSpecs.h"
#include "runtime/translations/Translations.h"

#include "dialect/GCommOps.h"
#include "passes/ClusterFile.h"
#include "runtime/ScheduleCosts.h"
#include "runtime/ScheduleReader.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;
namespace fb = agtf::fb;

template <typename StepOp>
static Value addStep(OpBuilder &b, Location loc, FlatSymbolRefAttr bucket,
                     uint32_t stream, ValueRange after) {
  return b.create<StepOp>(loc, EventType::get(b.getContext()), bucket,
                          b.getI64IntegerAttr(stream), after);
}

static OwningOpRef<Operation *> translate(llvm::SourceMgr &sourceMgr,
                                          MLIRContext *ctx) {
  ctx->loadDialect<GCommDialect>();
  const llvm::MemoryBuffer *input =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  Location loc = FileLineColLoc::get(ctx, input->getBufferIdentifier(), 0, 0);
  std::vector<uint8_t> bytes(input->getBufferStart(), input->getBufferEnd());
  runtime::ScheduleOrError read = runtime::readScheduleBuffer(bytes);
  if (!read) {
    emitError(loc) << read.error;
    return nullptr;
  }
  const fb::Schedule &s = read.schedule->root();

  OpBuilder b(ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto graph = b.create<GraphOp>(loc, "schedule");
  graph.setWorkersAttr(b.getI64IntegerAttr(s.world_size()));

  cost::Cluster cluster = runtime::clusterOf(s);
  graph->setAttr("cluster", clusterToAttr(ctx, cluster));

  b.setInsertionPointToEnd(&graph.getBody().front());
  SmallVector<FlatSymbolRefAttr> tensorRefs;
  for (const fb::Tensor *t : *s.tensors()) {
    SmallVector<int64_t> shape; // absent: a scalar
    if (t->shape())
      shape.assign(t->shape()->begin(), t->shape()->end());
    auto op = b.create<TensorOp>(
        loc, b.getStringAttr(t->name()->str()),
        TypeAttr::get(RankedTensorType::get(shape, typeOf(ctx, t->dtype()))),
        b.getF64FloatAttr(t->backward_us()), FloatAttr(), FloatAttr(),
        FloatAttr(), SketchAttr(), FloatAttr());
    tensorRefs.push_back(FlatSymbolRefAttr::get(op.getSymNameAttr()));
  }
  const fb::PredictedTimeline *timeline = s.timeline();
  SmallVector<FlatSymbolRefAttr> bucketRefs;
  for (auto [index, bucket] : llvm::enumerate(*s.buckets())) {
    SmallVector<Attribute> members(tensorRefs.begin() + bucket->first_tensor(),
                                   tensorRefs.begin() + bucket->first_tensor() +
                                       bucket->tensor_count());
    TimesAttr times;
    if (timeline) {
      const fb::BucketTimes *t = timeline->buckets()->Get(index);
      times = TimesAttr::get(ctx, llvm::APFloat(t->ready_us()),
                             llvm::APFloat(t->start_us()),
                             llvm::APFloat(t->end_us()));
    }
    auto op = b.create<BucketOp>(
        loc, b.getStringAttr(bucket->name()->str()), b.getArrayAttr(members),
        cast<CompressionAttrInterface>(attributeOf(
            ctx, runtime::compressionSpecOf(*bucket->compression()))),
        CollectiveAttr::get(ctx, Collective(int(bucket->collective()))), times);
    bucketRefs.push_back(FlatSymbolRefAttr::get(op.getSymNameAttr()));
  }
  if (timeline) {
    graph.setPredictedIterUsAttr(b.getF64FloatAttr(timeline->iteration_us()));
    graph.setPredictedExposedCommUsAttr(
        b.getF64FloatAttr(timeline->exposed_comm_us()));
    graph.setPredictedNoiseAttr(b.getF64FloatAttr(timeline->noise()));
    // Older files lack the compute times: leave the attributes unset.
    if (timeline->forward_us() > 0)
      graph.setForwardUsAttr(b.getF64FloatAttr(timeline->forward_us()));
    if (timeline->backward_us() > 0)
      graph.setBackwardUsAttr(b.getF64FloatAttr(timeline->backward_us()));
    if (timeline->update_us() > 0)
      graph.setUpdateUsAttr(b.getF64FloatAttr(timeline->update_us()));
  }
  SmallVector<Value> events;
  if (s.steps()) {
    for (const fb::Step *step : *s.steps()) {
      SmallVector<Value> after;
      if (step->deps())
        for (uint32_t d : *step->deps())
          after.push_back(events[d]);
      FlatSymbolRefAttr ref = bucketRefs[step->bucket()];
      uint32_t stream = step->stream();
      Value e;
      switch (step->kind()) {
      case fb::StepKind::pack:
        e = addStep<PackOp>(b, loc, ref, stream, after);
        break;
      case fb::StepKind::compress:
        e = addStep<CompressOp>(b, loc, ref, stream, after);
        break;
      case fb::StepKind::allreduce:
        e = addStep<AllreduceOp>(b, loc, ref, stream, after);
        break;
      case fb::StepKind::allgather:
        e = addStep<AllgatherOp>(b, loc, ref, stream, after);
        break;
      case fb::StepKind::gtopk_reduce:
        e = addStep<GTopKReduceOp>(b, loc, ref, stream, after);
        break;
      case fb::StepKind::decompress:
        e = addStep<DecompressOp>(b, loc, ref, stream, after);
        break;
      case fb::StepKind::unpack:
        e = addStep<UnpackOp>(b, loc, ref, stream, after);
        break;
      case fb::StepKind::residual_update:
        e = addStep<ResidualUpdateOp>(b, loc, ref, stream, after);
        break;
      }
      events.push_back(e);
    }
  }
  return OwningOpRef<Operation *>(module.release());
}

void agtf::registerScheduleToGComm() {
  TranslateToMLIRRegistration registration(
      "schedule-to-gcomm", "Read schedule.bin back as a gcomm.graph",
      translate);
}
