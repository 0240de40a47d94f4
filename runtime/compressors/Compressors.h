//===- Compressors.h - constructors of the compression algorithms -*- C++ -*-//
//
// Internal to the runtime: makeCompressor picks one of these by kind.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMPRESSORS_COMPRESSORS_H
#define AGTF_RUNTIME_COMPRESSORS_COMPRESSORS_H

#include "runtime/Compressor.h"

namespace agtf::runtime {

/// One factory per kind, as CompressionMethods.def names them (exact or
/// sampled top-k, DGC's momentum correction and masking, gTop-k, low rank).
#define AGTF_COMPRESSION_KIND(Kind, Attr, Collective, Sparse, Cpu, Cuda)       \
  std::unique_ptr<Compressor> Cpu(BucketInfo info, int rank, int size,         \
                                  uint64_t seed);
#include "runtime/CompressionMethods.def"

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMPRESSORS_COMPRESSORS_H
