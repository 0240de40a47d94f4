//===- DenseOps.cu - elementwise kernels of the device path ---------------===//

#include "kernels/DenseOps.h"
#include "kernels/Half.h"

#include "kernels/cuda/CudaCheck.h"
#include "kernels/cuda/WireFormat.cuh"

using namespace agtf::kernels;
using namespace agtf::kernels::detail;

namespace {

__global__ void scale(float *x, long long n, float s) {
  AGTF_GRID_STRIDE(i, n) { x[i] = __fmul_rn(x[i], s); }
}

__global__ void add(float *x, const float *y, long long n) {
  AGTF_GRID_STRIDE(i, n) { x[i] = __fadd_rn(x[i], y[i]); }
}

__global__ void momentumAccumulate(float *u, float *v, const float *g,
                                   long long n, float m) {
  AGTF_GRID_STRIDE(i, n) {
    float w = __fadd_rn(__fmul_rn(m, u[i]), g[i]);
    u[i] = w;
    v[i] = __fadd_rn(v[i], w);
  }
}

__global__ void subtractScaled(float *x, const float *y, long long n, float a) {
  AGTF_GRID_STRIDE(i, n) { x[i] = __fsub_rn(x[i], __fmul_rn(a, y[i])); }
}

__global__ void encode(const float *x, long long n, ValueFormat format,
                       void *out) {
  AGTF_GRID_STRIDE(i, n) { storeValue(out, i, format, x[i]); }
}

__global__ void decode(const void *in, long long n, ValueFormat format,
                       float *out) {
  AGTF_GRID_STRIDE(i, n) { out[i] = loadValue(in, i, format); }
}

__global__ void roundValues(float *x, const int64_t *count, long long capacity,
                            ValueFormat format) {
  const long long n = *count < capacity ? *count : capacity;
  AGTF_GRID_STRIDE(i, n) { x[i] = roundValue(x[i], format); }
}

} // namespace

void agtf::kernels::scaleCuda(float *x, int64_t n, float s,
                              DeviceStream stream) {
  if (n <= 0)
    return;
  scale<<<gridFor256(n), 256, 0, stream>>>(x, n, s);
  checkLaunch("scale");
}

void agtf::kernels::addCuda(float *x, const float *y, int64_t n,
                            DeviceStream stream) {
  if (n <= 0)
    return;
  add<<<gridFor256(n), 256, 0, stream>>>(x, y, n);
  checkLaunch("add");
}

void agtf::kernels::momentumAccumulateCuda(float *u, float *v, const float *g,
                                           int64_t n, float m,
                                           DeviceStream stream) {
  if (n <= 0)
    return;
  momentumAccumulate<<<gridFor256(n), 256, 0, stream>>>(u, v, g, n, m);
  checkLaunch("momentumAccumulate");
}

void agtf::kernels::subtractScaledCuda(float *x, const float *y, int64_t n,
                                       float a, DeviceStream stream) {
  if (n <= 0)
    return;
  subtractScaled<<<gridFor256(n), 256, 0, stream>>>(x, y, n, a);
  checkLaunch("subtractScaled");
}

void agtf::kernels::encodeValuesCuda(const float *x, int64_t n,
                                     ValueFormat format, void *out,
                                     DeviceStream stream) {
  if (n <= 0)
    return;
  encode<<<gridFor256(n), 256, 0, stream>>>(x, n, format, out);
  checkLaunch("encodeValues");
}

void agtf::kernels::decodeValuesCuda(const void *in, int64_t n,
                                     ValueFormat format, float *out,
                                     DeviceStream stream) {
  if (n <= 0)
    return;
  decode<<<gridFor256(n), 256, 0, stream>>>(in, n, format, out);
  checkLaunch("decodeValues");
}

void agtf::kernels::roundValuesCuda(float *x, const int64_t *count,
                                    int64_t capacity, ValueFormat format,
                                    DeviceStream stream) {
  if (capacity <= 0 || format == ValueFormat::f32)
    return;
  roundValues<<<gridFor256(capacity), 256, 0, stream>>>(x, count, capacity,
                                                        format);
  checkLaunch("roundValues");
}

void agtf::kernels::floatToHalfCuda(const float *x, int64_t n, uint16_t *out,
                                    DeviceStream stream) {
  encodeValuesCuda(x, n, ValueFormat::f16, out, stream);
}

void agtf::kernels::halfToFloatCuda(const uint16_t *h, int64_t n, float *out,
                                    DeviceStream stream) {
  decodeValuesCuda(h, n, ValueFormat::f16, out, stream);
}
