//===- ResidualReport.cpp - measured residuals of a run, every rank -------===//

#include "runtime/ResidualReport.h"

#include "runtime/CompressionKinds.h"
#include "runtime/Compressor.h"

#include <cstdio>

using namespace agtf::runtime;

ResidualReport agtf::runtime::gatherResidualReport(
    const std::vector<std::unique_ptr<Compressor>> &buckets,
    Communicator &comm) {
  // Per bucket: its ratio, then each member's; the same layout on every
  // rank (one schedule), 0 where nothing is measured.
  std::vector<double> mine;
  ResidualReport report;
  for (const std::unique_ptr<Compressor> &c : buckets) {
    const ResidualMeter *meter = c->residualMeter();
    mine.push_back(meter ? meter->meanBucketRatio() : 0.0);
    for (size_t m = 0; m < c->info().tensors.size(); ++m)
      mine.push_back(meter ? meter->meanMemberRatio(m) : 0.0);
    if (meter)
      report.iterations = meter->iterations();
  }
  int p = comm.size();
  std::vector<double> all(mine.size() * size_t(p));
  comm.allgather(mine.data(), int64_t(mine.size() * sizeof(double)),
                 all.data());

  size_t at = 0;
  for (const std::unique_ptr<Compressor> &c : buckets) {
    const BucketInfo &info = c->info();
    BucketResidual b;
    b.bucket = info.name;
    b.kind = fb::EnumNameCompressionKind(info.params.kind);
    bool sparse = traitsOf(info.params.kind).sparse;
    bool measured = c->residualMeter() != nullptr;
    bool dense = info.params.kind == fb::CompressionKind::dense;
    size_t width = 1 + info.tensors.size();
    auto meanOver = [&](size_t offset) {
      double sum = 0;
      for (int r = 0; r < p; ++r)
        sum += all[size_t(r) * mine.size() + at + offset];
      return sum / double(p);
    };
    for (const BucketTensor &t : info.tensors)
      b.members.push_back(t.name);
    if (measured || dense) {
      // A dense bucket sends everything: it leaves nothing.
      for (int r = 0; r < p; ++r)
        b.ratioPerRank.push_back(all[size_t(r) * mine.size() + at]);
      b.ratio = meanOver(0);
      double sum = 0;
      for (size_t m = 0; m < info.tensors.size(); ++m) {
        b.memberRatio.push_back(meanOver(1 + m));
        sum += b.memberRatio.back();
      }
      b.memberSum = sum;
      report.measuredNoise += sum;
    } else if (sparse) {
      ++report.unmeasuredSparse;
    }
    report.buckets.push_back(std::move(b));
    at += width;
  }
  return report;
}

namespace {
Json ratioJson(std::optional<double> v) {
  return v ? Json(roundToSignificant(*v, 6)) : Json(nullptr);
}
} // namespace

Json agtf::runtime::residualJson(const ResidualReport &report,
                                 std::optional<double> predictedNoise) {
  Json buckets = Json::array();
  for (const BucketResidual &b : report.buckets) {
    Json perRank = Json::array(), members = Json::array();
    for (double v : b.ratioPerRank)
      perRank.push_back(roundToSignificant(v, 6));
    for (size_t m = 0; m < b.members.size(); ++m)
      members.push_back(
          {{"tensor", b.members[m]},
           {"relative_residual",
            ratioJson(b.memberRatio.empty()
                          ? std::nullopt
                          : std::optional<double>(b.memberRatio[m]))}});
    buckets.push_back({{"bucket", b.bucket},
                       {"kind", b.kind},
                       {"relative_residual", ratioJson(b.ratio)},
                       {"relative_residual_per_rank", std::move(perRank)},
                       {"member_residual_sum", ratioJson(b.memberSum)},
                       {"members", std::move(members)}});
  }
  return {{"iterations", report.iterations},
          {"measured_noise", roundToSignificant(report.measuredNoise, 6)},
          {"predicted_noise", ratioJson(predictedNoise)},
          {"unmeasured_sparse_buckets", report.unmeasuredSparse},
          {"buckets", std::move(buckets)}};
}

std::string agtf::runtime::residualText(const ResidualReport &report,
                                        std::optional<double> predictedNoise) {
  char line[256];
  std::string text;
  bool anyMeasured = false;
  for (const BucketResidual &b : report.buckets)
    anyMeasured = anyMeasured || (b.ratio && b.kind != "dense");
  if (!anyMeasured) {
    text = "  residual left       no sparse bucket measured (dense buckets "
           "leave none)\n";
    for (const BucketResidual &b : report.buckets)
      if (!b.ratio) {
        std::snprintf(line, sizeof(line), "    %s (%s): not measured\n",
                      b.bucket.c_str(), b.kind.c_str());
        text += line;
      }
    return text;
  }
  std::snprintf(line, sizeof(line),
                "  residual left       measured noise %.4f", //
                report.measuredNoise);
  text += line;
  if (predictedNoise) {
    std::snprintf(line, sizeof(line), " (predicted %.4f)", *predictedNoise);
    text += line;
  }
  std::snprintf(line, sizeof(line),
                ": sum over members of energy not sent / accumulated, mean "
                "of %lld iterations\n",
                static_cast<long long>(report.iterations));
  text += line;
  for (const BucketResidual &b : report.buckets) {
    if (b.kind == "dense")
      continue;
    if (!b.ratio)
      std::snprintf(line, sizeof(line), "    %s (%s): not measured\n",
                    b.bucket.c_str(), b.kind.c_str());
    else
      std::snprintf(line, sizeof(line),
                    "    %s (%s, %zu tensors): %.4f of the bucket's energy "
                    "left, members' sum %.4f\n",
                    b.bucket.c_str(), b.kind.c_str(), b.members.size(),
                    *b.ratio, *b.memberSum);
    text += line;
  }
  return text;
}
