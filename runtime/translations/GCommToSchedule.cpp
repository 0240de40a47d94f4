//===- GCommToSchedule.cpp - gcomm.graph to schedule.bin ------------------===//

#include "runtime/translations/CompressionSpecs.h"
#include "runtime/translations/Translations.h"

#include "dialect/GCommOps.h"
#include "passes/GraphProblem.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/ScheduleReader.h"

#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;
namespace fb = agtf::fb;

static FailureOr<fb::DType> dtypeOf(Operation *op, Type type) {
  if (type.isF32())
    return fb::DType::f32;
  if (type.isF16())
    return fb::DType::f16;
  if (type.isBF16())
    return fb::DType::bf16;
  return op->emitError() << "schedule.bin has no element type " << type
                         << " (f32, f16, bf16)";
}

static fb::Collective collectiveOf(Collective c) {
  switch (c) {
  case Collective::allreduce:
    return fb::Collective::allreduce;
  case Collective::allgather:
    return fb::Collective::allgather;
  case Collective::gtopk:
    return fb::Collective::gtopk;
  }
  return fb::Collective::allreduce;
}

static std::optional<fb::StepKind> stepKindOf(Operation &op) {
  return llvm::TypeSwitch<Operation *, std::optional<fb::StepKind>>(&op)
      .Case([](PackOp) { return fb::StepKind::pack; })
      .Case([](CompressOp) { return fb::StepKind::compress; })
      .Case([](AllreduceOp) { return fb::StepKind::allreduce; })
      .Case([](AllgatherOp) { return fb::StepKind::allgather; })
      .Case([](GTopKReduceOp) { return fb::StepKind::gtopk_reduce; })
      .Case([](DecompressOp) { return fb::StepKind::decompress; })
      .Case([](UnpackOp) { return fb::StepKind::unpack; })
      .Case([](ResidualUpdateOp) { return fb::StepKind::residual_update; })
      .Default([](Operation *) { return std::nullopt; });
}

static LogicalResult translate(Operation *op, llvm::raw_ostream &output) {
  SmallVector<GraphOp> graphs;
  op->walk([&](GraphOp g) { graphs.push_back(g); });
  if (graphs.size() != 1)
    return op->emitError() << "gcomm-to-schedule: expected one gcomm.graph, "
                              "found "
                           << graphs.size();
  GraphOp graph = graphs.front();
  if (!graph.isPlanned())
    return graph.emitError() << "gcomm-to-schedule: @" << graph.getSymName()
                             << " has no buckets: run gcomm-merge first";
  FailureOr<cost::Cluster> cluster = graphCluster(graph);
  if (failed(cluster))
    return failure();

  runtime::ScheduleSpec spec;
  spec.worldSize = uint32_t(cluster->workers);
  runtime::CostModelSpec &costs = *spec.costModel;
  for (runtime::CollectiveCostSpec &c : costs.collectives) {
    c.alphaUs = cluster->alphaUs[int(c.collective)];
    c.betaUsPerByte = cluster->betaUsPerByte[int(c.collective)];
  }
  costs.sparsifyUs = cluster->sparsifyUs;
  costs.sparsifyUsPerElement = cluster->sparsifyUsPerElement;
  costs.packUsPerElement = cluster->packUsPerElement;
  costs.decompressUsPerElement = cluster->decompressUsPerElement;
  costs.bucketUs = cluster->bucketUs;
  for (int c = 0; c < cost::kCurves; ++c) {
    if (cluster->samples[c].empty())
      continue;
    runtime::CostModelSpec::Curve curve;
    curve.name = cost::curveName(cost::Curve(c));
    for (const cost::Sample &s : cluster->samples[c]) {
      curve.size.push_back(s.size);
      curve.us.push_back(s.us);
    }
    costs.curves.push_back(std::move(curve));
  }
  costs.valueBytes = uint32_t(cluster->valueBytes);
  costs.indexBytes = uint32_t(cluster->indexBytes);
  static_assert(int(fb::TimelineKind::shared) == int(cost::Timeline::Shared),
                "the schedule's timelines follow cost::Timeline");
  costs.timeline = fb::TimelineKind(int(cluster->timeline));

  llvm::DenseMap<StringAttr, uint32_t> tensorIndex;
  for (TensorOp t : graph.getTensors()) {
    runtime::TensorSpec ts;
    ts.name = t.getSymName().str();
    ts.shape.assign(t.getRankedType().getShape().begin(),
                    t.getRankedType().getShape().end());
    FailureOr<fb::DType> dtype = dtypeOf(t, t.getRankedType().getElementType());
    if (failed(dtype))
      return failure();
    ts.dtype = *dtype;
    if (FloatAttr b = t.getBackwardUsAttr())
      ts.backwardUs = b.getValueAsDouble();
    tensorIndex[t.getSymNameAttr()] = spec.tensors.size();
    spec.tensors.push_back(std::move(ts));
  }

  llvm::DenseMap<StringAttr, uint32_t> bucketIndex;
  runtime::TimelineSpec timeline;
  bool predicted = bool(graph.getPredictedIterUsAttr());
  for (BucketOp b : graph.getBuckets()) {
    runtime::BucketSpec bs;
    bs.name = b.getSymName().str();
    ArrayRef<Attribute> members = b.getMembers().getValue();
    bs.firstTensor =
        tensorIndex[cast<FlatSymbolRefAttr>(members.front()).getAttr()];
    bs.tensorCount = members.size();
    bs.compression = compressionSpecOf(b.getCompression());
    bs.collective = collectiveOf(b.getCollective());
    bucketIndex[b.getSymNameAttr()] = spec.buckets.size();
    spec.buckets.push_back(std::move(bs));
    if (std::optional<TimesAttr> t = b.getPredicted())
      timeline.buckets.push_back({t->getReady().convertToDouble(),
                                  t->getStart().convertToDouble(),
                                  t->getEnd().convertToDouble()});
    else
      predicted = false;
  }
  if (predicted) {
    timeline.iterationUs = graph.getPredictedIterUsAttr().getValueAsDouble();
    if (FloatAttr e = graph.getPredictedExposedCommUsAttr())
      timeline.exposedCommUs = e.getValueAsDouble();
    if (FloatAttr n = graph.getPredictedNoiseAttr())
      timeline.noise = n.getValueAsDouble();
    if (FloatAttr f = graph.getForwardUsAttr())
      timeline.forwardUs = f.getValueAsDouble();
    if (FloatAttr f = graph.getBackwardUsAttr())
      timeline.backwardUs = f.getValueAsDouble();
    if (FloatAttr f = graph.getUpdateUsAttr())
      timeline.updateUs = f.getValueAsDouble();
    spec.timeline = std::move(timeline);
  }

  llvm::DenseMap<Operation *, uint32_t> stepIndex;
  for (Operation &step : graph.getBody().front()) {
    std::optional<fb::StepKind> kind = stepKindOf(step);
    if (!kind)
      continue;
    runtime::StepSpec ss;
    ss.kind = *kind;
    ss.bucket =
        bucketIndex[step.getAttrOfType<FlatSymbolRefAttr>("bucket").getAttr()];
    ss.stream = uint32_t(
        step.getAttrOfType<IntegerAttr>("stream").getValue().getZExtValue());
    for (Value dep : step.getOperands())
      ss.deps.push_back(stepIndex[dep.getDefiningOp()]);
    stepIndex[&step] = spec.steps.size();
    spec.steps.push_back(std::move(ss));
  }

  std::vector<uint8_t> bytes = runtime::buildSchedule(spec);
  // The reader's checks are the format's contract: never write a file
  // agtf-run would refuse.
  runtime::ScheduleOrError checked = runtime::readScheduleBuffer(bytes);
  if (!checked)
    return graph.emitError() << "gcomm-to-schedule: the plan does not make a "
                                "valid schedule: "
                             << checked.error;
  output.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  return success();
}

void agtf::registerGCommToSchedule() {
  TranslateFromMLIRRegistration registration(
      "gcomm-to-schedule", "Write a planned gcomm.graph as schedule.bin",
      translate,
      [](DialectRegistry &registry) { registry.insert<GCommDialect>(); });
}
