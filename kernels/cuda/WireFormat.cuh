//===- WireFormat.cuh - value formats in device code ------------*- C++ -*-===//
//
// Internal to kernels/cuda. Conversions give the same bits as the CPU twins
// (kernels/cpu/Half.cpp, runtime/WireValues.cpp), NaN included. Arithmetic
// in the kernels uses the _rn intrinsics wherever the CPU twin rounds each
// operation, so that nvcc cannot contract a multiply and an add into one
// FMA and change the result.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_CUDA_WIREFORMAT_CUH
#define AGTF_KERNELS_CUDA_WIREFORMAT_CUH

#include "kernels/DeviceSelection.h"

#include <cuda_fp16.h>

namespace agtf::kernels::detail {

__device__ __forceinline__ unsigned short floatToHalfBits(float x) {
  unsigned bits = __float_as_uint(x);
  if ((bits & 0x7fffffffu) > 0x7f800000u) // NaN: quiet, payload kept
    return (unsigned short)(((bits >> 16) & 0x8000u) | 0x7e00u |
                            ((bits >> 13) & 0x3ffu));
  return __half_as_ushort(__float2half_rn(x));
}

__device__ __forceinline__ float halfBitsToFloat(unsigned short h) {
  return __half2float(__ushort_as_half(h));
}

__device__ __forceinline__ unsigned short floatToBf16Bits(float x) {
  unsigned bits = __float_as_uint(x);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return (unsigned short)((bits >> 16) | 0x40u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return (unsigned short)(bits >> 16);
}

__device__ __forceinline__ float bf16BitsToFloat(unsigned short h) {
  return __uint_as_float(unsigned(h) << 16);
}

/// Stores `x` at values[i] in `format`; returns the value as it travels.
__device__ __forceinline__ float storeValue(void *values, long long i,
                                            ValueFormat format, float x) {
  switch (format) {
  case ValueFormat::f16: {
    unsigned short h = floatToHalfBits(x);
    static_cast<unsigned short *>(values)[i] = h;
    return halfBitsToFloat(h);
  }
  case ValueFormat::bf16: {
    unsigned short h = floatToBf16Bits(x);
    static_cast<unsigned short *>(values)[i] = h;
    return bf16BitsToFloat(h);
  }
  default:
    static_cast<float *>(values)[i] = x;
    return x;
  }
}

__device__ __forceinline__ float loadValue(const void *values, long long i,
                                           ValueFormat format) {
  switch (format) {
  case ValueFormat::f16:
    return halfBitsToFloat(static_cast<const unsigned short *>(values)[i]);
  case ValueFormat::bf16:
    return bf16BitsToFloat(static_cast<const unsigned short *>(values)[i]);
  default:
    return static_cast<const float *>(values)[i];
  }
}

/// x after a trip through `format`.
__device__ __forceinline__ float roundValue(float x, ValueFormat format) {
  switch (format) {
  case ValueFormat::f16:
    return halfBitsToFloat(floatToHalfBits(x));
  case ValueFormat::bf16:
    return bf16BitsToFloat(floatToBf16Bits(x));
  default:
    return x;
  }
}

} // namespace agtf::kernels::detail

#endif // AGTF_KERNELS_CUDA_WIREFORMAT_CUH
