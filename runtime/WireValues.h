//===- WireValues.h - gradient values in their wire format ------*- C++ -*-===//
//
// Values travel as f32, f16 or bf16 (the bucket's value dtype). Senders
// keep what rounding took off in their residual, so both sides must round
// the same way: everything goes through these functions.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_WIREVALUES_H
#define AGTF_RUNTIME_WIREVALUES_H

#include "runtime/Schedule_generated.h"

#include <cstdint>

namespace agtf::runtime {

/// Bytes of one value: 4 for f32, 2 for f16 and bf16.
int64_t wireBytes(fb::DType dtype);
void encodeValues(const float *x, int64_t n, fb::DType dtype, void *out);
void decodeValues(const void *in, int64_t n, fb::DType dtype, float *out);
/// x after a trip through the wire format.
float wireRound(float x, fb::DType dtype);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_WIREVALUES_H
