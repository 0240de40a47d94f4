//===- ScheduleBuilder.cpp - write schedule.bin from plain structs --------===//

#include "runtime/ScheduleBuilder.h"
#include "runtime/LayoutHash.h"

namespace agtf::runtime {

std::vector<uint8_t> buildSchedule(const ScheduleSpec &spec) {
  flatbuffers::FlatBufferBuilder b;

  flatbuffers::Offset<fb::CostModel> costModel;
  if (spec.costModel) {
    const CostModelSpec &cm = *spec.costModel;
    std::vector<flatbuffers::Offset<fb::CollectiveCost>> costs;
    for (const CollectiveCostSpec &c : cm.collectives)
      costs.push_back(fb::CreateCollectiveCost(b, c.collective, c.alphaUs,
                                               c.betaUsPerByte));
    std::vector<flatbuffers::Offset<fb::CostCurve>> curves;
    for (const CostModelSpec::Curve &c : cm.curves)
      curves.push_back(fb::CreateCostCurve(b, b.CreateString(c.name),
                                           b.CreateVector(c.size),
                                           b.CreateVector(c.us)));
    costModel = fb::CreateCostModel(
        b, b.CreateVector(costs), cm.sparsifyUs, cm.sparsifyUsPerElement,
        cm.packUsPerElement, cm.valueBytes, cm.indexBytes, cm.timeline,
        cm.decompressUsPerElement, curves.empty() ? 0 : b.CreateVector(curves),
        cm.bucketUs);
  }

  LayoutHasher hasher;
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
  int64_t next = 0;
  for (const TensorSpec &t : spec.tensors) {
    int64_t product = 1;
    for (int64_t d : t.shape)
      product *= d;
    int64_t numel = t.numel.value_or(product);
    int64_t offset = t.offset.value_or(next);
    next = offset + numel;
    hasher.add(t.name, t.shape.data(), t.shape.size());
    tensors.push_back(fb::CreateTensor(b, b.CreateString(t.name),
                                       b.CreateVector(t.shape), numel, t.dtype,
                                       offset, t.backwardUs));
  }

  std::vector<flatbuffers::Offset<fb::Bucket>> buckets;
  for (const BucketSpec &k : spec.buckets) {
    const CompressionSpec &c = k.compression;
    auto compression = fb::CreateCompression(
        b, c.kind, c.density, c.select, c.valueDtype, c.indexDtype, c.momentum,
        c.warmupEpochs, c.rank, c.lowRankMethod);
    buckets.push_back(fb::CreateBucket(b, b.CreateString(k.name), k.firstTensor,
                                       k.tensorCount, compression,
                                       k.collective));
  }

  std::vector<flatbuffers::Offset<fb::Step>> steps;
  for (const StepSpec &s : spec.steps)
    steps.push_back(
        fb::CreateStep(b, s.kind, s.bucket, s.stream, b.CreateVector(s.deps)));

  flatbuffers::Offset<fb::PredictedTimeline> timeline;
  if (spec.timeline) {
    std::vector<fb::BucketTimes> times;
    for (const BucketTimesSpec &t : spec.timeline->buckets)
      times.emplace_back(t.readyUs, t.startUs, t.endUs);
    timeline = fb::CreatePredictedTimeline(
        b, b.CreateVectorOfStructs(times), spec.timeline->iterationUs,
        spec.timeline->exposedCommUs, spec.timeline->noise,
        spec.timeline->forwardUs, spec.timeline->backwardUs,
        spec.timeline->updateUs);
  }

  auto root = fb::CreateSchedule(
      b, spec.formatVersion, b.CreateString(spec.producerVersion),
      spec.layoutHash.value_or(hasher.value()), spec.worldSize, costModel,
      b.CreateVector(tensors), b.CreateVector(buckets), b.CreateVector(steps),
      timeline);
  fb::FinishScheduleBuffer(b, root);
  return std::vector<uint8_t>(b.GetBufferPointer(),
                              b.GetBufferPointer() + b.GetSize());
}

CompressionSpec compressionSpecOf(const fb::Compression &c) {
  CompressionSpec spec;
  spec.kind = c.kind();
  spec.density = c.density();
  spec.select = c.select();
  spec.valueDtype = c.value_dtype();
  spec.indexDtype = c.index_dtype();
  spec.momentum = c.momentum();
  spec.warmupEpochs = c.warmup_epochs();
  spec.rank = c.rank();
  spec.lowRankMethod = c.lowrank_method();
  return spec;
}

} // namespace agtf::runtime
