//===- WireValues.cpp - gradient values in their wire format --------------===//

#include "runtime/WireValues.h"

#include "kernels/Half.h"

#include <cstring>

using namespace agtf::runtime;

using agtf::kernels::bfloat16ToFloat;
using agtf::kernels::floatToBfloat16;

int64_t agtf::runtime::wireBytes(fb::DType dtype) {
  return dtype == fb::DType::f32 ? 4 : 2;
}

void agtf::runtime::encodeValues(const float *x, int64_t n, fb::DType dtype,
                                 void *out) {
  switch (dtype) {
  case fb::DType::f16:
    kernels::floatToHalfCpu(x, n, static_cast<uint16_t *>(out));
    return;
  case fb::DType::bf16:
    for (int64_t i = 0; i < n; ++i)
      static_cast<uint16_t *>(out)[i] = floatToBfloat16(x[i]);
    return;
  default:
    std::memcpy(out, x, size_t(n) * 4);
  }
}

void agtf::runtime::decodeValues(const void *in, int64_t n, fb::DType dtype,
                                 float *out) {
  switch (dtype) {
  case fb::DType::f16:
    kernels::halfToFloatCpu(static_cast<const uint16_t *>(in), n, out);
    return;
  case fb::DType::bf16:
    for (int64_t i = 0; i < n; ++i)
      out[i] = bfloat16ToFloat(static_cast<const uint16_t *>(in)[i]);
    return;
  default:
    std::memcpy(out, in, size_t(n) * 4);
  }
}

float agtf::runtime::wireRound(float x, fb::DType dtype) {
  switch (dtype) {
  case fb::DType::f16:
    return kernels::halfToFloat(kernels::floatToHalf(x));
  case fb::DType::bf16:
    return bfloat16ToFloat(floatToBfloat16(x));
  default:
    return x;
  }
}
