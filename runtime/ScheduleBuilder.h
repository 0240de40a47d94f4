//===- ScheduleBuilder.h - write schedule.bin from plain structs -*- C++
//-*-===//
//
// Builds a schedule buffer from plain structs, with no checks: tests use it
// to write broken schedules on purpose, and agtf-translate will use it to
// write real ones. Pass the result through readScheduleBuffer to check it.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_SCHEDULEBUILDER_H
#define AGTF_RUNTIME_SCHEDULEBUILDER_H

#include "runtime/Schedule_generated.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agtf::runtime {

struct CollectiveCostSpec {
  fb::Collective collective = fb::Collective::allreduce;
  double alphaUs = 100;
  double betaUsPerByte = 0.0085;
};

struct CostModelSpec {
  std::vector<CollectiveCostSpec> collectives = {{fb::Collective::allreduce},
                                                 {fb::Collective::allgather},
                                                 {fb::Collective::gtopk}};
  double sparsifyUs = 20;
  double sparsifyUsPerElement = 2.6e-5;
  double packUsPerElement = 2.7e-6;
  double decompressUsPerElement = 0.0;
  /// h: the engine's fixed cost per bucket (dispatch, hand-offs).
  double bucketUs = 0.0;
  /// Measured curves by name: sizes and times, the same length.
  struct Curve {
    std::string name;
    std::vector<double> size, us;
  };
  std::vector<Curve> curves;
  uint32_t valueBytes = 4;
  uint32_t indexBytes = 4;
  fb::TimelineKind timeline = fb::TimelineKind::serial;
};

struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
  /// When unset: the product of `shape`.
  std::optional<int64_t> numel;
  fb::DType dtype = fb::DType::f32;
  /// When unset: right after the previous tensor.
  std::optional<int64_t> offset;
  double backwardUs = 0;
};

struct CompressionSpec {
  fb::CompressionKind kind = fb::CompressionKind::dense;
  double density = 1.0;
  fb::SelectMethod select = fb::SelectMethod::exact;
  fb::DType valueDtype = fb::DType::f32;
  fb::DType indexDtype = fb::DType::int32;
  double momentum = 0.9;
  int32_t warmupEpochs = 0;
  int32_t rank = 0;
  fb::LowRankMethod lowRankMethod = fb::LowRankMethod::acp;
};

/// A schedule's compression table as a spec: the inverse of what
/// buildSchedule writes, so that a field is added in one place each way.
CompressionSpec compressionSpecOf(const fb::Compression &c);

struct BucketSpec {
  std::string name;
  uint32_t firstTensor = 0;
  uint32_t tensorCount = 0;
  CompressionSpec compression;
  fb::Collective collective = fb::Collective::allreduce;
};

struct StepSpec {
  fb::StepKind kind = fb::StepKind::pack;
  uint32_t bucket = 0;
  uint32_t stream = 0;
  std::vector<uint32_t> deps;
};

struct BucketTimesSpec {
  double readyUs = 0, startUs = 0, endUs = 0;
};

struct TimelineSpec {
  std::vector<BucketTimesSpec> buckets;
  double iterationUs = 0;
  double exposedCommUs = 0;
  double noise = 0;
  double forwardUs = 0, backwardUs = 0, updateUs = 0;
};

struct ScheduleSpec {
  uint32_t formatVersion = 1;
  std::string producerVersion = "agtf 0.1.0";
  /// When unset: layoutHash of the tensors.
  std::optional<uint64_t> layoutHash;
  uint32_t worldSize = 1;
  std::optional<CostModelSpec> costModel = CostModelSpec();
  std::vector<TensorSpec> tensors;
  std::vector<BucketSpec> buckets;
  std::vector<StepSpec> steps;
  std::optional<TimelineSpec> timeline;
};

/// Serializes `spec` as a finished buffer with the "AGTF" identifier.
std::vector<uint8_t> buildSchedule(const ScheduleSpec &spec);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_SCHEDULEBUILDER_H
