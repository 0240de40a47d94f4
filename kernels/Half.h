//===- Half.h - IEEE binary16 conversion ------------------------*- C++ -*-===//
//
// fp16 on the wire (dense fp16 allreduce, fp16 values of sparse selections).
// Round to nearest even; infinities, NaN and subnormals handled, so every
// backend converts the same float to the same bits.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_HALF_H
#define AGTF_KERNELS_HALF_H

#include "kernels/DeviceSelection.h"

#include <cstdint>

namespace agtf::kernels {

/// The binary16 bits nearest to `x` (ties to even).
uint16_t floatToHalf(float x);
/// The exact float value of binary16 bits `h`.
float halfToFloat(uint16_t h);

/// The bfloat16 bits nearest to `x` (ties to even; NaN stays a quiet NaN).
uint16_t floatToBfloat16(float x);
/// The exact float value of bfloat16 bits `h`.
float bfloat16ToFloat(uint16_t h);

void floatToHalfCpu(const float *x, int64_t n, uint16_t *out);
void halfToFloatCpu(const uint16_t *h, int64_t n, float *out);

/// CUDA twins: the same bits, NaN included.
void floatToHalfCuda(const float *x, int64_t n, uint16_t *out,
                     DeviceStream stream);
void halfToFloatCuda(const uint16_t *h, int64_t n, float *out,
                     DeviceStream stream);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_HALF_H
