//===- SampledTopKCudaTest.cpp - CUDA DGC selection against its twin ------===//
//
// The same count, threshold, rounds, indices and values as the CPU twin on
// fresh random inputs, over distributions that take every branch: the
// sample's threshold kept, lowered over several rounds, zero, and the
// exact fallback when too many (or no) elements pass.
//
//===----------------------------------------------------------------------===//

#include "DeviceBuffer.h"
#include "Inputs.h"

#include "kernels/Random.h"
#include "kernels/SampledTopK.h"
#include "kernels/TopK.h"

#include <cstring>

using namespace agtf;
using namespace agtf::kernels;
using namespace agtf::test;

namespace {

void expectSameAsCpu(const std::vector<float> &x, int64_t k, uint64_t seed) {
  int64_t n = int64_t(x.size());
  SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k));
  int64_t room = sampledTopKCapacity(n, k);
  std::vector<int32_t> indices(room);
  std::vector<float> values(room);
  SampledSelection cpu =
      selectSampledTopKCpu(x.data(), n, k, seed, indices.data(), values.data());

  DeviceBuffer<float> dx(x);
  DeviceBuffer<int32_t> dIndices(room);
  DeviceBuffer<float> dValues(room);
  DeviceBuffer<int64_t> count(1);
  DeviceBuffer<SampledSelection> info(1);
  DeviceBuffer<uint8_t> scratch(sampledTopKCudaScratchBytes(n, k));
  SelectionTarget out;
  out.indices = dIndices.get();
  out.values = dValues.get();
  out.count = count.get();
  selectSampledTopKCuda(dx.get(), n, k, seed, out, info.get(), scratch.get(),
                        nullptr);
  ASSERT_EQ(cudaGetLastError(), cudaSuccess);
  SampledSelection got = info.download()[0];
  ASSERT_EQ(got.count, cpu.count);
  ASSERT_EQ(count.download()[0], cpu.count);
  EXPECT_EQ(got.rounds, cpu.rounds);
  EXPECT_EQ(std::memcmp(&got.threshold, &cpu.threshold, 4), 0)
      << got.threshold << " vs " << cpu.threshold;
  std::vector<int32_t> gotIndices = dIndices.download(cpu.count);
  std::vector<float> gotValues = dValues.download(cpu.count);
  indices.resize(cpu.count);
  values.resize(cpu.count);
  ASSERT_EQ(gotIndices, indices);
  ASSERT_EQ(std::memcmp(gotValues.data(), values.data(), cpu.count * 4), 0);
}

TEST(SampledTopKCuda, HeavyTailedAtDgcDensities) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (int64_t n : {1, 10, 1000, 100003, 2000000})
    for (double density : {0.001, 0.01, 0.25, 1.0}) {
      std::vector<float> x = heavyTailed(n, seed + n);
      expectSameAsCpu(x, topKCount(n, density), seed * 31 + n);
    }
}

TEST(SampledTopKCuda, TiesUniformConstantAndZeros) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const int64_t n = 300007;
  for (int64_t k : {int64_t(1), int64_t(301), int64_t(30001)}) {
    expectSameAsCpu(withTies(heavyTailed(n, seed), 0.5f), k, seed + 1);
    expectSameAsCpu(uniform(n, seed), k, seed + 2);
    expectSameAsCpu(std::vector<float>(n, -2.0f), k, seed + 3);
    expectSameAsCpu(std::vector<float>(n, 0.0f), k, seed + 4);
  }
}

// A few large values the strided sample misses: the threshold comes from
// the small ones and must be lowered, or overshoots; many seeds, so that
// offsets hit and miss.
TEST(SampledTopKCuda, ThresholdRounds) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const int64_t n = 50000;
  for (uint64_t s = 0; s < 20; ++s) {
    std::vector<float> x = heavyTailed(n, seed + s);
    for (int64_t i = 0; i < n; ++i)
      x[i] *= (kernels::randomBits(seed + s, uint64_t(i) + 7) % 97 == 0)
                  ? 100.0f
                  : 0.01f;
    expectSameAsCpu(x, 500, seed + 100 + s);
  }
}

} // namespace
