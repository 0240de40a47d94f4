//===- DenseOps.h - elementwise kernels of the device path ------*- C++ -*-===//
//
// What the dense path and the replayed optimizer step do to whole buckets on
// the device. The CPU path does the same with plain loops in the runtime;
// each function names the loop it matches bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_KERNELS_DENSEOPS_H
#define AGTF_KERNELS_DENSEOPS_H

#include "kernels/DeviceSelection.h"

#include <cstdint>

namespace agtf::kernels {

/// x[i] *= scale (`grad[i] *= 1.0f / P` after a sum).
void scaleCuda(float *x, int64_t n, float scale, DeviceStream stream);

/// x[i] += y[i] (`residual[i] += grad[i]`).
void addCuda(float *x, const float *y, int64_t n, DeviceStream stream);

/// DGC's momentum correction: u = m * u + g, then v += u, each operation
/// rounded (`momentum[i] = m * momentum[i] + grad[i]; residual[i] +=
/// momentum[i]`).
void momentumAccumulateCuda(float *u, float *v, const float *g, int64_t n,
                            float m, DeviceStream stream);

/// x[i] -= a * y[i], rounded after the product (`params[i] -= lr * g[i]`).
void subtractScaledCuda(float *x, const float *y, int64_t n, float a,
                        DeviceStream stream);

/// x in `format` (runtime/WireValues.h's encodeValues, the same bits).
void encodeValuesCuda(const float *x, int64_t n, ValueFormat format, void *out,
                      DeviceStream stream);
/// The inverse (decodeValues).
void decodeValuesCuda(const void *in, int64_t n, ValueFormat format, float *out,
                      DeviceStream stream);
/// x[i] = x[i] after a trip through `format`, for i < *count (device), at
/// most `capacity` (wireRound on a list whose length is on the device).
void roundValuesCuda(float *x, const int64_t *count, int64_t capacity,
                     ValueFormat format, DeviceStream stream);

} // namespace agtf::kernels

#endif // AGTF_KERNELS_DENSEOPS_H
