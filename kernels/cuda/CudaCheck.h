//===- CudaCheck.h - checked CUDA calls inside the kernels ------*- C++ -*-===//
//
// Internal to kernels/cuda: every runtime call and every launch goes through
// check(), which hands a message naming the call to the installed
// CudaErrorHandler (kernels/DeviceSelection.h).
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_CUDA_CUDACHECK_H
#define AGTF_KERNELS_CUDA_CUDACHECK_H

#include "kernels/DeviceSelection.h"

#include <cuda_runtime.h>

namespace agtf::kernels::detail {

[[noreturn]] void reportCudaError(const char *call, cudaError_t error);

inline void check(cudaError_t error, const char *call) {
  if (error != cudaSuccess)
    reportCudaError(call, error);
}

/// After a launch: a bad configuration shows up here, not at the launch.
inline void checkLaunch(const char *kernel) {
  check(cudaGetLastError(), kernel);
}

/// Hands `message` to the installed CudaErrorHandler: for inputs that the
/// kernels refuse rather than get wrong.
[[noreturn]] void reportKernelError(const char *message);

/// Selections write int32 indices (the wire format) and CUB's scans count
/// in int: a larger `count` would wrap, so `what` refuses it instead.
void requireInt32Count(int64_t count, const char *what);

/// Multiprocessors of the current device (cached per device).
int multiprocessorCount();

/// Blocks for a grid-stride loop over `work` items, `perBlock` items per
/// block and pass, at most `perSm` blocks per multiprocessor (at least 1).
int gridFor(int64_t work, int64_t perBlock, int perSm = 8);
/// gridFor one item per thread of 256-thread blocks.
inline int gridFor256(int64_t work) { return gridFor(work, 256); }

#ifdef __CUDACC__
/// for (i = this thread; i < count; i += every thread of the grid)
#define AGTF_GRID_STRIDE(i, count)                                             \
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;         \
       i < (count); i += (long long)gridDim.x * blockDim.x)
#endif

/// Rounds up to the next multiple of 256 bytes: carved scratch stays aligned
/// for vector loads.
constexpr size_t alignUp(size_t bytes) { return (bytes + 255) & ~size_t(255); }

} // namespace agtf::kernels::detail

#endif // AGTF_KERNELS_CUDA_CUDACHECK_H
