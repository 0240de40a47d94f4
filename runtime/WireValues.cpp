//===- WireValues.cpp - gradient values in their wire format --------------===//

#include "runtime/WireValues.h"

#include "kernels/Half.h"

#include <cstring>

using namespace agtf::runtime;

namespace {
// bfloat16: the high half of the float, rounded to nearest even; NaN kept
// quiet.
uint16_t floatToBf16(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return uint16_t((bits >> 16) | 0x40u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return uint16_t(bits >> 16);
}

float bf16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float x;
  std::memcpy(&x, &bits, 4);
  return x;
}
} // namespace

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
      static_cast<uint16_t *>(out)[i] = floatToBf16(x[i]);
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
      out[i] = bf16ToFloat(static_cast<const uint16_t *>(in)[i]);
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
    return bf16ToFloat(floatToBf16(x));
  default:
    return x;
  }
}
