//===- Compressors.h - constructors of the compression algorithms -*- C++ -*-//
//
// Internal to the runtime: makeCompressor picks one of these.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_COMPRESSORS_COMPRESSORS_H
#define AGTF_RUNTIME_COMPRESSORS_COMPRESSORS_H

#include "runtime/Compressor.h"

namespace agtf::runtime {

std::unique_ptr<Compressor> makeDenseCompressor(BucketInfo info, int rank,
                                                int size, uint64_t seed);
/// Exact or sampled top-k selection, allgather of the selections; with
/// `dgc`, DGC's momentum correction and momentum-factor masking.
std::unique_ptr<Compressor> makeTopKCompressor(BucketInfo info, int rank,
                                               int size, uint64_t seed,
                                               bool dgc);
std::unique_ptr<Compressor> makeGTopKCompressor(BucketInfo info, int rank,
                                                int size, uint64_t seed);
std::unique_ptr<Compressor> makeLowRankCompressor(BucketInfo info, int rank,
                                                  int size, uint64_t seed);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_COMPRESSORS_COMPRESSORS_H
