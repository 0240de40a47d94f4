//===- ClusterJson.cpp - the cluster file agtf-profile writes -------------===//

#include "ClusterJson.h"

#include "runtime/JsonString.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

using namespace agtf::profile;

namespace {
/// Finite numbers only: JSON has no NaN, and the reader rejects them.
std::string number(double v) {
  if (!std::isfinite(v))
    v = 0;
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", v);
  return text;
}

std::string samplesJson(const std::vector<Sample> &samples) {
  std::string out = "[";
  for (size_t i = 0; i < samples.size(); ++i)
    out += (i ? ", [" : "[") + number(samples[i].x) + ", " +
           number(samples[i].us) + "]";
  return out + "]";
}

/// {"<a>": .., "<b>": .., "max_rel_error": .., "rms_rel_error": ..,
///  "samples": [[x, us], ..]}
std::string fitJson(const Fit &fit, const char *a, const char *b,
                    const std::vector<Sample> &samples) {
  std::string out = "{";
  if (a)
    out += std::string("\"") + a + "\": " + number(fit.a) + ", ";
  out += std::string("\"") + b + "\": " + number(fit.b) +
         ", \"max_rel_error\": " + number(fit.maxRelError) +
         ", \"rms_rel_error\": " + number(fit.rmsRelError) +
         ",\n      \"samples\": " + samplesJson(samples) + "}";
  return out;
}

std::string tempPathFor(const std::string &path) {
  return path + ".tmp." + std::to_string(getpid());
}
} // namespace

std::string agtf::profile::clusterJson(const Profile &p) {
  const Collective cost[3] = {Collective::Allreduce, Collective::Allgather,
                              Collective::GTopK};
  std::string alpha, beta;
  for (int i = 0; i < 3; ++i) {
    const Fit &fit = p.comm[int(cost[i])];
    std::string name = agtf::runtime::jsonQuoted(collectiveName(cost[i]));
    alpha += (i ? ", " : "") + name + ": " + number(fit.a);
    beta += (i ? ", " : "") + name + ": " + number(fit.b);
  }
  std::string out = "{\n";
  out += "  \"workers\": " + std::to_string(p.workers) + ",\n";
  out += "  \"alpha_us\": {" + alpha + "},\n";
  out += "  \"beta_us_per_byte\": {" + beta + "},\n";
  const Fit &selection = p.sampledSelection ? p.sampledTopK : p.exactTopK;
  out += "  \"sparsify_us\": " + number(selection.a) + ",\n";
  out += "  \"sparsify_us_per_element\": " + number(selection.b) + ",\n";
  out += "  \"pack_us_per_element\": " + number(p.pack.b) + ",\n";
  out += "  \"value_bytes\": 4,\n  \"index_bytes\": 4,\n";
  // The CPU kernels run on their own threads beside the compute.
  out += "  \"timeline\": \"stream\",\n";
  out += "  \"measured\": {\n";
  out += "    \"tool\": \"agtf-profile\",\n";
  out += "    \"date\": " + agtf::runtime::jsonQuoted(p.date) + ",\n";
  out += "    \"host\": " + agtf::runtime::jsonQuoted(p.host) + ",\n";
  out += "    \"device\": " + agtf::runtime::jsonQuoted(p.device) + ",\n";
  out += "    \"max_bytes\": " + std::to_string(p.maxBytes) + ",\n";
  out += "    \"reps\": " + std::to_string(p.reps) + ",\n";
  out += "    \"warmup\": " + std::to_string(p.warmup) + ",\n";
  out += std::string("    \"sparsify_fit\": ") +
         (p.sampledSelection ? "\"sampled_topk\"" : "\"topk\"") + ",\n";
  out += std::string("    \"kernels_timed_on\": ") +
         (p.kernelsOnEveryRank ? "\"every rank at once\"" : "\"rank 0\"") +
         ",\n";
  if (p.workers == 1)
    out += "    \"note\": \"one rank: no communication, alpha and beta are "
           "0\",\n";
  for (int c = 0; c < numCollectives; ++c)
    out +=
        std::string("    \"") + collectiveName(Collective(c)) + "\": " +
        fitJson(p.comm[c], "alpha_us", "beta_us_per_byte", p.commSamples[c]) +
        ",\n";
  out += "    \"topk\": " +
         fitJson(p.exactTopK, "s0_us", "s1_us_per_element",
                 p.kernelSamples.exactTopK) +
         ",\n";
  out += "    \"sampled_topk\": " +
         fitJson(p.sampledTopK, "s0_us", "s1_us_per_element",
                 p.kernelSamples.sampledTopK) +
         ",\n";
  out += "    \"pack\": " +
         fitJson(p.pack, nullptr, "us_per_element", p.kernelSamples.pack) +
         "\n";
  out += "  }\n}\n";
  return out;
}

std::string agtf::profile::writeFileAtomically(const std::string &path,
                                               const std::string &text) {
  std::string temp = tempPathFor(path);
  FILE *f = std::fopen(temp.c_str(), "w");
  if (!f)
    return "cannot write '" + path + "': " + std::strerror(errno);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::string why = std::strerror(errno);
    std::remove(temp.c_str());
    return "cannot write '" + path + "': " + why;
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(temp.c_str());
    return "cannot rename '" + temp + "' to '" + path + "': " + why;
  }
  return "";
}

std::string agtf::profile::checkWritable(const std::string &path) {
  struct stat info;
  if (stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    return "cannot write '" + path + "': it is a directory";
  std::string temp = tempPathFor(path);
  FILE *f = std::fopen(temp.c_str(), "w");
  if (!f)
    return "cannot write '" + path + "': " + std::strerror(errno);
  std::fclose(f);
  std::remove(temp.c_str());
  return "";
}
