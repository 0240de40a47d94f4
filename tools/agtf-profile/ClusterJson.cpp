//===- ClusterJson.cpp - the cluster file agtf-profile writes -------------===//

#include "ClusterJson.h"

#include "runtime/Json.h"

using namespace agtf::profile;
using agtf::runtime::Json;

namespace {
/// Six significant digits, as the cluster file always had them.
double number(double v) { return agtf::runtime::roundToSignificant(v, 6); }

Json samplesJson(const std::vector<Sample> &samples) {
  Json out = Json::array();
  for (const Sample &s : samples)
    out.push_back({number(s.x), number(s.us)});
  return out;
}

/// {"<a>": .., "<b>": .., "max_rel_error": .., "rms_rel_error": ..,
///  "samples": [[x, us], ..]}
Json fitJson(const Fit &fit, const char *a, const char *b,
             const std::vector<Sample> &samples) {
  Json out = Json::object();
  if (a)
    out[a] = number(fit.a);
  out[b] = number(fit.b);
  out["max_rel_error"] = number(fit.maxRelError);
  out["rms_rel_error"] = number(fit.rmsRelError);
  out["samples"] = samplesJson(samples);
  return out;
}
} // namespace

Json agtf::profile::clusterJson(const Profile &p) {
  Json alpha = Json::object(), beta = Json::object();
  for (Collective c :
       {Collective::Allreduce, Collective::Allgather, Collective::GTopK}) {
    alpha[collectiveName(c)] = number(p.comm[int(c)].a);
    beta[collectiveName(c)] = number(p.comm[int(c)].b);
  }
  // The sparsification lane costs what the engine's compress() costs (the
  // selection kernel alone is under measured.topk / sampled_topk).
  const Fit &selection = p.compress;
  Json measured = {{"tool", "agtf-profile"},
                   {"date", p.date},
                   {"host", p.host},
                   {"device", p.device},
                   {"max_bytes", p.maxBytes},
                   {"reps", p.reps},
                   {"warmup", p.warmup},
                   {"sparsify_fit", p.sampledSelection
                                        ? "compress (sampled top-k)"
                                        : "compress (exact top-k)"},
                   {"kernels_timed_on",
                    p.kernelsOnEveryRank ? "every rank at once" : "rank 0"}};
  if (p.workers == 1)
    measured["note"] = "one rank: no communication, alpha and beta are 0";
  for (int c = 0; c < numCollectives; ++c)
    measured[collectiveName(Collective(c))] =
        fitJson(p.comm[c], "alpha_us", "beta_us_per_byte", p.commSamples[c]);
  measured["topk"] = fitJson(p.exactTopK, "s0_us", "s1_us_per_element",
                             p.kernelSamples.exactTopK);
  measured["sampled_topk"] = fitJson(
      p.sampledTopK, "s0_us", "s1_us_per_element", p.kernelSamples.sampledTopK);
  measured["pack"] =
      fitJson(p.pack, nullptr, "us_per_element", p.kernelSamples.pack);
  measured["compress"] = fitJson(p.compress, "s0_us", "s1_us_per_element",
                                 p.compressorSamples.compress);
  measured["communicate"] = {
      {"samples", samplesJson(p.compressorSamples.communicate)}};
  measured["decompress"] =
      fitJson(p.decompress, nullptr, "us_per_element", p.decompressSamples);
  return {{"workers", p.workers},
          {"alpha_us", std::move(alpha)},
          {"beta_us_per_byte", std::move(beta)},
          {"sparsify_us", number(selection.a)},
          {"sparsify_us_per_element", number(selection.b)},
          {"pack_us_per_element", number(p.pack.b)},
          {"decompress_us_per_element", number(p.decompress.b)},
          {"value_bytes", 4},
          {"index_bytes", 4},
          // The CPU kernels run on their own threads beside the compute.
          {"timeline", "stream"},
          {"measured", std::move(measured)}};
}
