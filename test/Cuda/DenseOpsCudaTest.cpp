//===- DenseOpsCudaTest.cpp - CUDA conversions, scaling and packing -------===//

#include "DeviceBuffer.h"
#include "Inputs.h"

#include "kernels/DenseOps.h"
#include "kernels/Half.h"
#include "kernels/Pack.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace agtf;
using namespace agtf::kernels;
using namespace agtf::test;

namespace {

TEST(DenseOpsCuda, HalfConversionsAreTheCpuBits) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  // Every binary16 pattern decodes to the same float.
  std::vector<uint16_t> all(65536);
  for (int i = 0; i < 65536; ++i)
    all[i] = uint16_t(i);
  DeviceBuffer<uint16_t> dAll(all);
  DeviceBuffer<float> decoded(all.size());
  halfToFloatCuda(dAll.get(), int64_t(all.size()), decoded.get(), nullptr);
  std::vector<float> got = decoded.download(), expected(all.size());
  halfToFloatCpu(all.data(), int64_t(all.size()), expected.data());
  ASSERT_EQ(std::memcmp(got.data(), expected.data(), got.size() * 4), 0);

  // Random floats across the range, halfway cases and specials encode alike.
  std::vector<float> x = heavyTailed(200000, seed);
  for (size_t i = 0; i < x.size(); i += 2)
    x[i] = std::ldexp(x[i], int(i % 60) - 40);
  for (float special :
       {0.0f, -0.0f, 65504.0f, 65520.0f, 65519.99f, 1e-8f, 5.96e-8f, 2.98e-8f,
        std::numeric_limits<float>::infinity(),
        -std::numeric_limits<float>::infinity(),
        std::numeric_limits<float>::quiet_NaN()})
    x.push_back(special);
  DeviceBuffer<float> dx(x);
  DeviceBuffer<uint16_t> encoded(x.size());
  floatToHalfCuda(dx.get(), int64_t(x.size()), encoded.get(), nullptr);
  std::vector<uint16_t> bits = encoded.download(), want(x.size());
  floatToHalfCpu(x.data(), int64_t(x.size()), want.data());
  ASSERT_EQ(bits, want);
}

TEST(DenseOpsCuda, ScaleAndSgdStepAreTheCpuLoops) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const int64_t n = 1 << 20;
  std::vector<float> x = heavyTailed(n, seed), y = heavyTailed(n, seed + 1);
  DeviceBuffer<float> dx(x), dy(y);
  scaleCuda(dx.get(), n, 1.0f / 3.0f, nullptr);
  subtractScaledCuda(dx.get(), dy.get(), n, 0.01f, nullptr);
  float scale = 1.0f / 3.0f, lr = 0.01f;
  for (int64_t i = 0; i < n; ++i) {
    x[i] *= scale;
    x[i] -= lr * y[i];
  }
  std::vector<float> got = dx.download();
  ASSERT_EQ(std::memcmp(got.data(), x.data(), size_t(n) * 4), 0);
}

TEST(DenseOpsCuda, PackAndUnpackMatchTheCpu) {
  AGTF_REQUIRE_CUDA_DEVICE();
  uint64_t seed = freshSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  // Sizes from 1 element to several chunks, as a model's tensors are.
  std::vector<int64_t> sizes = {1, 7, 8192, 8193, 100000, 3, 250000, 64};
  std::vector<std::vector<float>> host;
  std::vector<std::unique_ptr<DeviceBuffer<float>>> device;
  std::vector<PackSegment> hostSegments, deviceSegments;
  int64_t total = 0;
  for (size_t s = 0; s < sizes.size(); ++s) {
    host.push_back(heavyTailed(sizes[s], seed + s));
    device.push_back(std::make_unique<DeviceBuffer<float>>(host.back()));
    hostSegments.push_back({host.back().data(), total, sizes[s]});
    deviceSegments.push_back({device.back()->get(), total, sizes[s]});
    total += sizes[s];
  }
  std::vector<float> bucket(total);
  packCpu(hostSegments.data(), int(sizes.size()), bucket.data());
  DeviceBuffer<PackSegment> table(deviceSegments);
  DeviceBuffer<float> dBucket(total);
  packCuda(table.get(), int(sizes.size()), total, dBucket.get(), nullptr);
  ASSERT_EQ(dBucket.download(), bucket);

  for (float &v : bucket)
    v *= 2;
  dBucket.upload(bucket);
  unpackCpu(hostSegments.data(), int(sizes.size()), bucket.data());
  unpackCuda(table.get(), int(sizes.size()), total, dBucket.get(), nullptr);
  for (size_t s = 0; s < sizes.size(); ++s)
    ASSERT_EQ(device[s]->download(), host[s]) << "tensor " << s;
}

} // namespace
