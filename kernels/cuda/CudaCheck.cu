//===- CudaCheck.cu - error reporting and launch sizes --------------------===//

#include "kernels/cuda/CudaCheck.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

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

int agtf::kernels::detail::multiprocessorCount() {
  constexpr int kMaxDevices = 64;
  static std::atomic<int> cached[kMaxDevices] = {};
  int device = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  if (device >= kMaxDevices)
    device = kMaxDevices - 1;
  int count = cached[device].load();
  if (count == 0) {
    check(
        cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device),
        "cudaDeviceGetAttribute(MultiProcessorCount)");
    cached[device].store(count);
  }
  return count;
}

int agtf::kernels::detail::gridFor(int64_t work, int64_t perBlock, int perSm) {
  int64_t wanted = (work + perBlock - 1) / perBlock;
  int64_t most = int64_t(multiprocessorCount()) * perSm;
  return int(std::max<int64_t>(1, std::min(wanted, most)));
}
