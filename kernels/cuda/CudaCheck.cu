//===- CudaCheck.cu - error reporting and launch sizes --------------------===//

#include "kernels/cuda/CudaCheck.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <limits>

using namespace agtf::kernels;

namespace {
void printAndAbort(const char *message) {
  std::fprintf(stderr, "agtf: %s\n", message);
  std::fflush(stderr);
  std::abort();
}

std::atomic<CudaErrorHandler> handler{&printAndAbort};
} // namespace

void agtf::kernels::setCudaErrorHandler(CudaErrorHandler h) {
  handler.store(h ? h : &printAndAbort);
}

int agtf::kernels::cudaDeviceCountOrZero() {
  int count = 0;
  // Without a driver (or with no device) this fails instead of crashing:
  // the runtime is linked statically, so no libcudart.so is needed either.
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return count;
}

void agtf::kernels::detail::reportCudaError(const char *call,
                                            cudaError_t error) {
  char message[512];
  std::snprintf(message, sizeof(message), "CUDA call %s failed: %s (%s)", call,
                cudaGetErrorString(error), cudaGetErrorName(error));
  handler.load()(message);
  std::abort(); // a handler must not return
}

void agtf::kernels::detail::reportKernelError(const char *message) {
  handler.load()(message);
  std::abort(); // a handler must not return
}

void agtf::kernels::detail::requireInt32Count(int64_t count, const char *what) {
  if (count >= 0 && count <= std::numeric_limits<int32_t>::max())
    return;
  char message[256];
  std::snprintf(message, sizeof(message),
                "%s: %lld elements; the kernels index with int32 (at most "
                "2147483647): split the bucket",
                what, static_cast<long long>(count));
  reportKernelError(message);
}

int agtf::kernels::detail::multiprocessorCount() {
  constexpr int kMaxDevices = 64;
  static std::atomic<int> cached[kMaxDevices] = {};
  int device = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  // Devices past the cache (more than 64 on a host) ask every time rather
  // than share a slot with another device.
  int count = device < kMaxDevices ? cached[device].load() : 0;
  if (count == 0) {
    check(
        cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device),
        "cudaDeviceGetAttribute(MultiProcessorCount)");
    if (device < kMaxDevices)
      cached[device].store(count);
  }
  return count;
}

int agtf::kernels::detail::gridFor(int64_t work, int64_t perBlock, int perSm) {
  int64_t wanted = (work + perBlock - 1) / perBlock;
  int64_t most = int64_t(multiprocessorCount()) * perSm;
  return int(std::max<int64_t>(1, std::min(wanted, most)));
}
