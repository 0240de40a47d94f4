//===- TrainerCudaTest.cpp - the Trainer on a GPU, off the default stream ===//
//
// A training step run under a stream guard: autograd writes the gradients
// on a side stream, held back by a sleep kernel, so that the copies into
// the engine's buffer land long after their hooks ran on the host. The
// engine must order its compression after that stream (LibTorch's current
// one), and the copy into p.grad after the last bucket. Ordered on the
// default stream instead, the compression would select from the buffer's
// stale zeros. Built only against a LibTorch with CUDA; skips without a GPU.
//
//===----------------------------------------------------------------------===//

#include "runtime/ScheduleBuilder.h"
#include "runtime/comm/SelfCommunicator.h"
#include "runtime/training/Trainer.h"
#include "runtime/cuda/CudaDevice.h"
#include "runtime/cuda/comm/SelfDeviceCommunicator.h"

#include "kernels/TopK.h"

#include <ATen/cuda/Sleep.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/torch.h>

#include <gtest/gtest.h>

using namespace agtf;
using namespace agtf::runtime;

namespace {
struct Net {
  torch::nn::Linear l1{64, 256}, l2{256, 10};
  at::Tensor forward(const at::Tensor &x) { return l2(torch::relu(l1(x))); }
  /// Backprop order, as agtf-import lists it.
  std::vector<NamedParameter> parameters() {
    return {{"l2.bias", l2->bias},
            {"l2.weight", l2->weight},
            {"l1.bias", l1->bias},
            {"l1.weight", l1->weight}};
  }
};

std::shared_ptr<const Schedule>
oneTopKBucket(const std::vector<NamedParameter> &params, double density) {
  ScheduleSpec spec;
  for (const NamedParameter &p : params)
    spec.tensors.push_back({p.name, p.value.sizes().vec()});
  BucketSpec bucket;
  bucket.name = "b0";
  bucket.tensorCount = uint32_t(params.size());
  bucket.compression.kind = fb::CompressionKind::topk;
  bucket.compression.density = density;
  bucket.collective = fb::Collective::allgather;
  spec.buckets = {bucket};
  ScheduleOrError s = readScheduleBuffer(buildSchedule(spec));
  EXPECT_TRUE(s) << s.error;
  return s.schedule;
}

at::Tensor lossOf(Net &net, const at::Tensor &x) {
  return net.forward(x).square().sum();
}
} // namespace

TEST(TrainerCuda, GradientsWrittenOnASideStreamAreWaitedFor) {
  if (!torch::cuda::is_available() || kernels::cudaDeviceCountOrZero() == 0)
    GTEST_SKIP() << "no CUDA device: GPU test skipped";
  torch::manual_seed(11);
  Net net;
  net.l1->to(torch::kCUDA);
  net.l2->to(torch::kCUDA);
  std::vector<NamedParameter> params = net.parameters();
  at::Tensor x = torch::randn({512, 64}, torch::kCUDA);

  // The reference: the same gradient on the default stream, no engine.
  lossOf(net, x).backward();
  std::vector<at::Tensor> flat;
  for (NamedParameter &p : params) {
    flat.push_back(p.value.grad().reshape({-1}).cpu());
    p.value.mutable_grad() = at::Tensor();
  }
  at::Tensor reference = torch::cat(flat).contiguous();
  const int64_t n = reference.numel();
  const double density = 0.25;
  int64_t k = kernels::topKCount(n, density);
  std::vector<int32_t> indices(static_cast<size_t>(k));
  std::vector<float> values(static_cast<size_t>(k));
  kernels::selectTopKCpu(reference.data_ptr<float>(), n, k, indices.data(),
                         values.data());
  std::vector<float> expected(size_t(n), 0.0f);
  for (int64_t i = 0; i < k; ++i)
    expected[size_t(indices[i])] = values[i];

  SelfCommunicator comm;
  std::string error;
  std::unique_ptr<CudaDevice> device = CudaDevice::create(comm, error);
  ASSERT_TRUE(device) << error;
  device->setCommunicator(std::make_unique<SelfDeviceCommunicator>(comm));
  ASSERT_EQ(device->index(), 0);
  torch::cuda::synchronize();
  {
    TrainerOptions options;
    options.device = device.get();
    Trainer trainer(oneTopKBucket(params, density), comm, params, options);
    c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(false, 0);
    std::vector<at::Tensor> got;
    {
      c10::cuda::CUDAStreamGuard guard(side);
      trainer.beginStep();
      // About 0.1 s of spinning on the side stream before the forward pass.
      at::cuda::sleep(int64_t(200) * 1000 * 1000);
      lossOf(net, x).backward();
      trainer.synchronize();
      for (const NamedParameter &p : trainer.parameters())
        got.push_back(p.value.grad().reshape({-1}).cpu()); // waits for `side`
    }
    at::Tensor result = torch::cat(got).contiguous();
    ASSERT_EQ(result.numel(), n);
    const float *r = result.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i)
      ASSERT_NEAR(r[i], expected[size_t(i)],
                  1e-5f * (1.0f + std::fabs(expected[size_t(i)])))
          << "element " << i << " of the averaged gradient";
  }
  torch::cuda::synchronize();
}
