//===- ClusterJson.h - the cluster file agtf-profile writes -----*- C++ -*-===//
//
// The keys gcomm-annotate-cost reads (docs/passes.md), plus a `measured`
// object that the reader accepts and ignores: the broadcast and send/recv
// fits, the sampled selection's fit, every fit's error, the raw samples,
// when and where they were taken.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTFPROFILE_CLUSTERJSON_H
#define AGTF_TOOLS_AGTFPROFILE_CLUSTERJSON_H

#include "Fit.h"
#include "Measure.h"

#include "runtime/Json.h"

#include <string>
#include <vector>

namespace agtf::profile {

struct Profile {
  int workers = 1;
  std::string device, host, date;
  int64_t maxBytes = 0, reps = 0, warmup = 0;
  bool kernelsOnEveryRank = false;
  bool sampledSelection = false; // sparsify_us from the sampled top-k fit
  /// Indexed by Collective; empty samples when workers == 1.
  Fit comm[numCollectives];
  std::vector<Sample> commSamples[numCollectives];
  Fit exactTopK, sampledTopK, pack;
  KernelSamples kernelSamples;
  /// The engine's compressor: compress() (written as sparsify_us and
  /// sparsify_us_per_element) and communicate() less its collectives
  /// (decompress_us_per_element).
  Fit compress, decompress;
  CompressorSamples compressorSamples;
  std::vector<Sample> decompressSamples;
};

/// The cluster file's contents.
runtime::Json clusterJson(const Profile &profile);

} // namespace agtf::profile

#endif // AGTF_TOOLS_AGTFPROFILE_CLUSTERJSON_H
