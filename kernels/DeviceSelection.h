//===- DeviceSelection.h - what the CUDA kernels share ----------*- C++ -*-===//
//
// Types of the CUDA twins' signatures. Plain C++ (no CUDA header), so the
// runtime's host code can name them; `DeviceStream` is the CUDA runtime's
// cudaStream_t, spelled without including it. Every pointer a *Cuda function
// takes is device memory unless its comment says otherwise. The functions
// enqueue work on the stream and return without waiting for it; none of them
// synchronises with the host unless its comment says so.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_DEVICESELECTION_H
#define AGTF_KERNELS_DEVICESELECTION_H

#include <cstddef>
#include <cstdint>

struct CUstream_st;

namespace agtf::kernels {

using DeviceStream = CUstream_st *;

/// How selected values travel: the bucket's value dtype.
enum class ValueFormat : uint8_t { f32, f16, bf16 };

/// Bytes of one value in `format`.
inline int64_t valueBytes(ValueFormat format) {
  return format == ValueFormat::f32 ? 4 : 2;
}

/// Where a device selection is written, and what it does to its source.
struct SelectionTarget {
  /// Indices in increasing order (room for the selection's capacity).
  int32_t *indices = nullptr;
  /// Their values in `format` (binary16 and bfloat16 as uint16_t bits).
  void *values = nullptr;
  ValueFormat format = ValueFormat::f32;
  /// Error feedback: at every selected j, subtractFrom[j] = x[j] minus the
  /// value as sent (0 for f32, the rounding error for f16 and bf16). Usually
  /// the selection's own input, which must then be writable.
  float *subtractFrom = nullptr;
  /// DGC's momentum-factor masking: zeroed at every selected j.
  float *zeroAt = nullptr;
  /// The number selected, written on the device (may be null).
  int64_t *count = nullptr;
};

/// Reports a failed CUDA call or launch: `message` names the call and the
/// cause. The default prints it and calls std::abort(); the runtime installs
/// one that ends every rank. A handler must not return.
using CudaErrorHandler = void (*)(const char *message);
void setCudaErrorHandler(CudaErrorHandler handler);

/// Number of CUDA devices, 0 when there is none or no usable driver (never
/// fails: the tests skip on 0).
int cudaDeviceCountOrZero();

} // namespace agtf::kernels

#endif // AGTF_KERNELS_DEVICESELECTION_H
