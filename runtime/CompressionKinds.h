//===- CompressionKinds.h - what each schedule compression kind is -*- C++ -*-//
//
// One row per fb::CompressionKind, expanded from CompressionMethods.def: the
// collective that carries it and whether it sends int32 indices. The
// schedule reader, the engine and the compressor tables (runtime/Compressor.cpp
// and the CUDA one) read this instead of switching on the kind; a kind added
// to Schedule.fbs without a row in CompressionMethods.def does not build.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMPRESSIONKINDS_H
#define AGTF_RUNTIME_COMPRESSIONKINDS_H

#include "runtime/Schedule_generated.h"

#include <array>
#include <cstddef>

namespace agtf::runtime {

struct CompressionKindTraits {
  fb::CompressionKind kind;
  /// The one collective a bucket of this kind uses.
  fb::Collective collective;
  /// Selections with int32 indices (density, index dtype and the 2^31 - 1
  /// element bound apply).
  bool sparse;
};

inline constexpr std::array<CompressionKindTraits,
                            size_t(fb::CompressionKind::MAX) + 1>
    kCompressionKinds = {{
#define AGTF_COMPRESSION_KIND(Kind, Attr, Carrier, Sparse, Cpu, Cuda)          \
  {fb::CompressionKind::Kind, fb::Collective::Carrier, Sparse},
#include "runtime/CompressionMethods.def"
    }};

/// Whether `table` has one row per kind, row i for kind i: the tables keyed
/// by kind (this one, the compressor factories) assert it.
template <typename Row, size_t N>
constexpr bool coversEveryKind(const std::array<Row, N> &table) {
  if (N != size_t(fb::CompressionKind::MAX) + 1)
    return false;
  for (size_t i = 0; i < N; ++i)
    if (size_t(table[i].kind) != i)
      return false;
  return true;
}
static_assert(
    coversEveryKind(kCompressionKinds),
    "CompressionMethods.def needs one kind row per CompressionKind, in "
    "the schema's order");

/// The row of `kind`, which must be in range (the reader checks).
constexpr const CompressionKindTraits &traitsOf(fb::CompressionKind kind) {
  return kCompressionKinds[size_t(kind)];
}

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMPRESSIONKINDS_H
