//===- DeviceBuffer.h - device memory for the GPU tests ---------*- C++ -*-===//
//
// Every GPU test starts with AGTF_REQUIRE_CUDA_DEVICE(): without a device
// (or without a driver) it skips with a message, so ctest stays green on
// machines without a GPU.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TEST_CUDA_DEVICEBUFFER_H
#define AGTF_TEST_CUDA_DEVICEBUFFER_H

#include "kernels/DeviceSelection.h"

#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#define AGTF_REQUIRE_CUDA_DEVICE()                                             \
  do {                                                                         \
    if (agtf::kernels::cudaDeviceCountOrZero() == 0)                           \
      GTEST_SKIP() << "no CUDA device (or no driver): GPU test skipped";       \
  } while (0)

#define AGTF_CUDA_OK(call) ASSERT_EQ((call), cudaSuccess) << #call

namespace agtf::test {

/// A device array of T; copies to and from host vectors, synchronously.
template <typename T> class DeviceBuffer {
public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t count) { resize(count); }
  explicit DeviceBuffer(const std::vector<T> &host) {
    resize(host.size());
    upload(host);
  }
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer() { cudaFree(data_); }

  void resize(size_t count) {
    cudaFree(data_);
    data_ = nullptr;
    size_ = count;
    if (cudaMalloc(&data_, std::max<size_t>(1, count) * sizeof(T)) !=
        cudaSuccess)
      ADD_FAILURE() << "cudaMalloc of " << count * sizeof(T) << " bytes";
  }
  void upload(const std::vector<T> &host) {
    EXPECT_EQ(cudaMemcpy(data_, host.data(), host.size() * sizeof(T),
                         cudaMemcpyHostToDevice),
              cudaSuccess);
  }
  std::vector<T> download(size_t count) const {
    std::vector<T> host(count);
    EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(host.data(), data_, count * sizeof(T),
                         cudaMemcpyDeviceToHost),
              cudaSuccess);
    return host;
  }
  std::vector<T> download() const { return download(size_); }
  T *get() const { return static_cast<T *>(data_); }
  size_t size() const { return size_; }

private:
  void *data_ = nullptr;
  size_t size_ = 0;
};

/// A seed that differs on every run; tests print it with SCOPED_TRACE so a
/// failure can be replayed (AGTF_TEST_SEED=... fixes it).
uint64_t freshSeed();

} // namespace agtf::test

#endif // AGTF_TEST_CUDA_DEVICEBUFFER_H
