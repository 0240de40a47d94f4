//===- Limits.h - the largest values a graph or schedule may hold -*- C++
//-*-===//
//
// Shared by the dialect's verifier and the schedule reader, so that whatever
// the compiler accepts the runtime reads, and the other way round.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_LIMITS_H
#define AGTF_RUNTIME_LIMITS_H

#include <cstdint>

namespace agtf::limits {

/// Elements of one tensor and of the flat gradient buffer: 2^48 (1 PiB of
/// f32) is beyond any host, and keeps products of two counts within int64.
constexpr int64_t kMaxElements = int64_t(1) << 48;

/// A profiled compute time (a tensor's backward, the forward pass, the
/// update), in microseconds: one hour. The replay waits these out; a
/// larger value is a unit error, not a model.
constexpr double kMaxComputeUs = 3.6e9;

/// Nesting of brackets in a JSON or MLIR input: far beyond any real file,
/// far below what the recursive parsers can descend without exhausting the
/// stack.
constexpr int kMaxNesting = 256;

/// Returns dims' product, or -1 when a dimension is below 1 or the product
/// exceeds kMaxElements.
template <typename Range> int64_t checkedNumel(const Range &dims) {
  int64_t product = 1;
  for (int64_t dim : dims) {
    if (dim < 1 || product > kMaxElements / dim)
      return -1;
    product *= dim;
  }
  return product;
}

} // namespace agtf::limits

#endif // AGTF_RUNTIME_LIMITS_H
