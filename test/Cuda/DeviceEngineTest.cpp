//===- DeviceEngineTest.cpp - the engine on a GPU against the CPU engine --===//
//
// One rank: the device engine (CudaDevice, its streams and the device
// compressors) must give the CPU engine's results bit for bit, iteration
// after iteration (so the residual, momentum and factor states agree too),
// for every compression algorithm and value format, with --check's
// comparison running on the device path as well.
//
//===----------------------------------------------------------------------===//

#include "DeviceBuffer.h"
#include "Inputs.h"

#include "runtime/Engine.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/comm/SelfCommunicator.h"
#include "runtime/cuda/CudaDevice.h"
#include "runtime/cuda/comm/SelfDeviceCommunicator.h"

#include <cstring>

using namespace agtf;
using namespace agtf::runtime;
using namespace agtf::test;

namespace {

/// Three tensors in one bucket: a matrix, a vector and a 4-d kernel.
std::shared_ptr<const Schedule> threeTensors(CompressionSpec compression) {
  ScheduleSpec spec;
  spec.tensors.push_back({"fc.weight", {64, 300}});
  spec.tensors.push_back({"fc.bias", {64}});
  spec.tensors.push_back({"conv.weight", {16, 8, 3, 3}});
  BucketSpec bucket;
  bucket.name = "b0";
  bucket.tensorCount = 3;
  bucket.compression = compression;
  bucket.collective = compression.kind == fb::CompressionKind::gtopk
                          ? fb::Collective::gtopk
                      : compression.kind == fb::CompressionKind::dense ||
                              compression.kind == fb::CompressionKind::lowrank
                          ? fb::Collective::allreduce
                          : fb::Collective::allgather;
  spec.buckets.push_back(bucket);
  ScheduleOrError s = readScheduleBuffer(buildSchedule(spec));
  EXPECT_TRUE(s) << s.error;
  return s.schedule;
}

/// Every iteration's result of `iterations` on one rank, on the CPU or on
/// the device.
std::vector<std::vector<float>> run(std::shared_ptr<const Schedule> s,
                                    bool onDevice, int iterations,
                                    uint64_t seed) {
  SelfCommunicator comm;
  std::unique_ptr<CudaDevice> device;
  EngineOptions options;
  options.check = onDevice;
  if (onDevice) {
    std::string error;
    device = CudaDevice::create(comm, error);
    EXPECT_TRUE(device) << error;
    device->setCommunicator(std::make_unique<SelfDeviceCommunicator>(comm));
    options.device = device.get();
  }
  std::string error;
  std::unique_ptr<Engine> engine = Engine::create(s, comm, options, error);
  EXPECT_TRUE(engine) << error;
  std::vector<std::vector<float>> results;
  int64_t n = engine->numel();
  for (int i = 0; i < iterations; ++i) {
    engine->beginIteration({i, i / 2});
    std::vector<float> g = heavyTailed(n, seed + i);
    if (onDevice)
      device->upload(engine->gradients(), g.data(), n);
    else
      std::copy(g.begin(), g.end(), engine->gradients());
    // Backprop order is the reverse of the tensors' order here.
    for (uint32_t t = 3; t-- > 0;)
      engine->markReady(t);
    engine->synchronize();
    std::vector<float> r(n);
    if (onDevice)
      device->download(r.data(), engine->gradients(), n);
    else
      std::copy_n(engine->gradients(), n, r.data());
    results.push_back(std::move(r));
  }
  engine.reset();
  return results;
}

void expectSameOnDevice(CompressionSpec c, const std::string &what) {
  SCOPED_TRACE(what);
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  auto s = threeTensors(c);
  auto cpu = run(s, false, 6, seed);
  auto gpu = run(s, true, 6, seed);
  ASSERT_EQ(cpu.size(), gpu.size());
  for (size_t i = 0; i < cpu.size(); ++i)
    for (size_t j = 0; j < cpu[i].size(); ++j)
      ASSERT_EQ(std::memcmp(&cpu[i][j], &gpu[i][j], 4), 0)
          << "iteration " << i << " element " << j << ": " << cpu[i][j]
          << " on the CPU, " << gpu[i][j] << " on the device";
}

CompressionSpec spec(fb::CompressionKind kind, double density,
                     fb::DType dtype = fb::DType::f32,
                     fb::SelectMethod select = fb::SelectMethod::exact) {
  CompressionSpec c;
  c.kind = kind;
  c.density = density;
  c.valueDtype = dtype;
  c.select = select;
  return c;
}

TEST(DeviceEngine, DenseMatchesTheCpuEngine) {
  AGTF_REQUIRE_CUDA_DEVICE();
  for (fb::DType d : {fb::DType::f32, fb::DType::f16, fb::DType::bf16})
    expectSameOnDevice(spec(fb::CompressionKind::dense, 1.0, d),
                       std::string("dense ") + fb::EnumNameDType(d));
}

TEST(DeviceEngine, TopKMatchesTheCpuEngine) {
  AGTF_REQUIRE_CUDA_DEVICE();
  for (fb::DType d : {fb::DType::f32, fb::DType::f16, fb::DType::bf16})
    for (double density : {0.001, 0.05, 1.0}) {
      expectSameOnDevice(spec(fb::CompressionKind::topk, density, d),
                         "exact top-k " + std::to_string(density));
      expectSameOnDevice(spec(fb::CompressionKind::topk, density, d,
                              fb::SelectMethod::sampled),
                         "sampled top-k " + std::to_string(density));
    }
}

TEST(DeviceEngine, DgcAndGTopKMatchTheCpuEngine) {
  AGTF_REQUIRE_CUDA_DEVICE();
  CompressionSpec dgc = spec(fb::CompressionKind::dgc, 0.01);
  dgc.warmupEpochs = 2;
  expectSameOnDevice(dgc, "dgc with warmup");
  // At 0.001 the final k's sample (2n/k entries) is ten times the warmup's:
  // the selection scratch must be sized for it, not for the warmup's k.
  dgc.density = 0.001;
  expectSameOnDevice(dgc, "dgc with warmup to density 0.001");
  for (fb::DType d : {fb::DType::f32, fb::DType::f16})
    expectSameOnDevice(spec(fb::CompressionKind::gtopk, 0.02, d), "gtopk");
}

TEST(DeviceEngine, LowRankStagedThroughTheHostMatches) {
  AGTF_REQUIRE_CUDA_DEVICE();
  for (fb::LowRankMethod m :
       {fb::LowRankMethod::acp, fb::LowRankMethod::powersgd}) {
    CompressionSpec c = spec(fb::CompressionKind::lowrank, 1.0);
    c.rank = 4;
    c.lowRankMethod = m;
    expectSameOnDevice(c, fb::EnumNameLowRankMethod(m));
  }
}

} // namespace
