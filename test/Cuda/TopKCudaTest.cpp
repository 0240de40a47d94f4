//===- TopKCudaTest.cpp - CUDA exact top-k against its CPU twin -----------===//
//
// Bit-identical indices and values, fresh random inputs on every run
// (heavy-tailed, with ties, uniform, constant, zeros), k = 1 to k = n, tiny
// to 10^8 elements, each path of the radix selection (finished after one
// pass, candidates refined in one block, in many blocks, and re-read from
// the input when they overflow their buffer), fp16/bf16 values with error
// feedback, and the fused residual add.
//
//===----------------------------------------------------------------------===//

#include "DeviceBuffer.h"
#include "Inputs.h"

#include "kernels/Half.h"
#include "kernels/Random.h"
#include "kernels/TopK.h"

#include <cstring>

using namespace agtf;
using namespace agtf::kernels;
using namespace agtf::test;

namespace {

struct DeviceTopK {
  std::vector<int32_t> indices;
  std::vector<uint16_t> halves; // f16/bf16 values
  std::vector<float> values;    // f32 values
  int64_t count = -1;
  std::vector<float> source; // x after the call (error feedback)
};

DeviceTopK runCuda(const std::vector<float> &x, int64_t k, ValueFormat format,
                   bool subtract, const std::vector<float> *grad = nullptr) {
  int64_t n = int64_t(x.size());
  DeviceBuffer<float> dx(x);
  DeviceBuffer<float> dg(grad ? *grad : std::vector<float>());
  DeviceBuffer<int32_t> indices(k);
  DeviceBuffer<uint8_t> values(k * 4);
  DeviceBuffer<int64_t> count(1);
  DeviceBuffer<uint8_t> scratch(topKCudaScratchBytes(n));
  SelectionTarget out;
  out.indices = indices.get();
  out.values = values.get();
  out.format = format;
  out.count = count.get();
  if (subtract)
    out.subtractFrom = dx.get();
  if (grad)
    accumulateSelectTopKCuda(dx.get(), dg.get(), n, k, out, scratch.get(),
                             nullptr);
  else
    selectTopKCuda(dx.get(), n, k, out, scratch.get(), nullptr);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
  DeviceTopK r;
  r.indices = indices.download();
  std::vector<uint8_t> bytes = values.download();
  if (format == ValueFormat::f32) {
    r.values.resize(k);
    std::memcpy(r.values.data(), bytes.data(), size_t(k) * 4);
  } else {
    r.halves.resize(k);
    std::memcpy(r.halves.data(), bytes.data(), size_t(k) * 2);
  }
  r.count = count.download()[0];
  r.source = dx.download();
  return r;
}

/// Runs both twins on x and requires the same selection, bit for bit.
void expectSameAsCpu(const std::vector<float> &x, int64_t k,
                     ValueFormat format = ValueFormat::f32,
                     bool subtract = false) {
  int64_t n = int64_t(x.size());
  SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k));
  std::vector<int32_t> indices(k);
  std::vector<float> values(k);
  selectTopKCpu(x.data(), n, k, indices.data(), values.data());
  DeviceTopK got = runCuda(x, k, format, subtract);
  ASSERT_EQ(got.count, k);
  ASSERT_EQ(got.indices, indices);
  std::vector<float> sent(k);
  for (int64_t i = 0; i < k; ++i) {
    if (format == ValueFormat::f32) {
      ASSERT_EQ(std::memcmp(&got.values[i], &values[i], 4), 0) << "value " << i;
      sent[i] = values[i];
    } else if (format == ValueFormat::f16) {
      ASSERT_EQ(got.halves[i], floatToHalf(values[i])) << "value " << i;
      sent[i] = halfToFloat(got.halves[i]);
    } else {
      ASSERT_EQ(got.halves[i], floatToBfloat16(values[i])) << "value " << i;
      sent[i] = bfloat16ToFloat(got.halves[i]);
    }
  }
  if (!subtract)
    return;
  std::vector<float> residual = x;
  for (int64_t i = 0; i < k; ++i)
    residual[indices[i]] -= sent[i];
  ASSERT_EQ(std::memcmp(residual.data(), got.source.data(), size_t(n) * 4), 0)
      << "residual after error feedback";
}

std::vector<int64_t> ksFor(int64_t n) {
  std::vector<int64_t> ks = {1, 2, topKCount(n, 0.001), n / 2 + 1, n - 1, n};
  std::vector<int64_t> valid;
  for (int64_t k : ks)
    if (k >= 1 && k <= n)
      valid.push_back(k);
  return valid;
}

TEST(TopKCuda, TinyAndSmallTensorsEveryK) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (int64_t n : {1, 2, 3, 31, 32, 33, 255, 256, 257, 1000, 4097}) {
    std::vector<float> x = heavyTailed(n, seed + n);
    for (int64_t k : ksFor(n))
      expectSameAsCpu(x, k);
  }
}

TEST(TopKCuda, TiesGoToTheLowerIndex) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (int64_t n : {7, 1000, 65537, 300001}) {
    std::vector<float> x = withTies(heavyTailed(n, seed ^ n), 0.25f);
    for (int64_t k : ksFor(n))
      expectSameAsCpu(x, k);
    // Every magnitude equal, both signs: the k lowest indices.
    std::vector<float> same(n, 1.5f);
    for (int64_t i = 0; i < n; i += 3)
      same[i] = -1.5f;
    for (int64_t k : ksFor(n))
      expectSameAsCpu(same, k);
    expectSameAsCpu(std::vector<float>(n, 0.0f), std::max<int64_t>(1, n / 3));
  }
}

// 2^22 uniform values: ~2^18 candidates after pass 1, more than one block
// refines; 2^20 values of three magnitudes: candidates overflow the buffer
// and the later passes re-read the input.
TEST(TopKCuda, ManyCandidatesAndOverflowingCandidates) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::vector<float> x = uniform(int64_t(1) << 22, seed);
  for (int64_t k : {int64_t(1), int64_t(4194), int64_t(1) << 21})
    expectSameAsCpu(x, k);
  std::vector<float> few(int64_t(1) << 20);
  for (size_t i = 0; i < few.size(); ++i)
    few[i] = float(int(kernels::randomBits(seed, i) % 3) + 1) *
             (i % 2 ? 1.0f : -1.0f);
  for (int64_t k : {int64_t(1), int64_t(1049), int64_t(400000)})
    expectSameAsCpu(few, k);
}

TEST(TopKCuda, HalfAndBfloatValuesWithErrorFeedback) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::vector<float> x = heavyTailed(100003, seed);
  for (ValueFormat format :
       {ValueFormat::f32, ValueFormat::f16, ValueFormat::bf16})
    for (int64_t k : {int64_t(1), int64_t(101), int64_t(100003)})
      expectSameAsCpu(x, k, format, /*subtract=*/true);
}

TEST(TopKCuda, FusedResidualAdd) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (int64_t n : {1, 1000, 1000003}) {
    std::vector<float> residual = heavyTailed(n, seed);
    std::vector<float> grad = heavyTailed(n, seed + 1);
    std::vector<float> acc(n);
    for (int64_t i = 0; i < n; ++i)
      acc[i] = residual[i] + grad[i];
    int64_t k = topKCount(n, 0.01);
    std::vector<int32_t> indices(k);
    std::vector<float> values(k);
    selectTopKCpu(acc.data(), n, k, indices.data(), values.data());
    DeviceTopK got = runCuda(residual, k, ValueFormat::f16, true, &grad);
    ASSERT_EQ(got.count, k);
    ASSERT_EQ(got.indices, indices);
    for (int64_t i = 0; i < k; ++i) {
      ASSERT_EQ(got.halves[i], floatToHalf(values[i]));
      acc[indices[i]] -= halfToFloat(got.halves[i]);
    }
    ASSERT_EQ(std::memcmp(acc.data(), got.source.data(), size_t(n) * 4), 0);
  }
}

// The benchmark's size: 10^8 elements at density 0.001.
TEST(TopKCuda, Large100M) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const int64_t n = 100000000;
  std::vector<float> x = heavyTailed(n, seed);
  expectSameAsCpu(x, topKCount(n, 0.001));
}

} // namespace
