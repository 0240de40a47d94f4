//===- TraceFit.cpp - the cost model fitted to agtf-run's traces ----------===//

#include "TraceFit.h"

#include "Fit.h"

#include "runtime/ScheduleReader.h"
#include "runtime/WireValues.h"

#include "kernels/TopK.h"
#include "passes/cost/CostModel.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

using namespace agtf;
using namespace agtf::profile;
using runtime::Json;

namespace {

/// A bucket whose collective had the ranks' sparsify lanes working beside it
/// for at least this fraction of its span (the median over iterations)
/// prices the comm_beside_sparsify curve.
constexpr double kBesideFraction = 0.5;

double median(std::vector<double> v) {
  if (v.empty())
    return 0.0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Span {
  double start = 0, end = 0;
};

/// One rank's iteration: its spans by bucket, and its tensors' ready times.
struct Iteration {
  double start = 0, end = 0; // forward start, update end
  std::vector<Span> sparsify, comm;
  std::vector<char> sparsified, communicated;
  std::vector<double> ready; // per tensor: the end of its backward span
};

struct BucketFacts {
  std::string name;
  fb::CompressionKind kind;
  int64_t numel = 0, kept = 0;
  double valueBytes = 4;
  bool sampled = false;
  uint32_t lastTensor = 0;
};

std::string readText(const std::string &path, std::string &text) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "cannot read trace '" + path + "'";
  std::ostringstream os;
  os << in.rdbuf();
  text = os.str();
  return "";
}

/// Splits one rank's trace into iterations at its forward spans.
std::string
readRankTrace(const std::string &path, const std::vector<BucketFacts> &buckets,
              const std::unordered_map<std::string, uint32_t> &ids,
              const std::unordered_map<std::string, uint32_t> &tensorIds,
              std::vector<Iteration> &out) {
  std::string text;
  if (std::string error = readText(path, text); !error.empty())
    return error;
  Json trace = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (trace.is_discarded() || !trace.is_object() ||
      !trace.contains("traceEvents") || !trace["traceEvents"].is_array())
    return "trace '" + path +
           "' is not an agtf-run trace (JSON with "
           "traceEvents)";
  struct Event {
    std::string lane, what;
    Span span;
  };
  std::vector<Event> events;
  for (const Json &e : trace["traceEvents"]) {
    if (!e.is_object() || e.value("ph", "") != "X")
      continue;
    if (!e.contains("name") || !e["name"].is_string() || !e.contains("ts") ||
        !e["ts"].is_number() || !e.contains("dur") || !e["dur"].is_number())
      return "trace '" + path + "': a span without name, ts or dur";
    std::string name = e["name"];
    double ts = e["ts"], dur = e["dur"];
    if (!std::isfinite(ts) || !std::isfinite(dur) || dur < 0)
      return "trace '" + path + "': span '" + name + "' has a bad time";
    size_t space = name.find(' ');
    events.push_back({name.substr(0, space),
                      space == std::string::npos ? "" : name.substr(space + 1),
                      {ts, ts + dur}});
  }
  std::sort(events.begin(), events.end(), [](const Event &a, const Event &b) {
    return a.span.start < b.span.start;
  });
  Iteration *current = nullptr;
  for (const Event &e : events) {
    if (e.lane == "forward") {
      out.push_back({});
      current = &out.back();
      current->start = e.span.start;
      current->end = e.span.end;
      current->sparsify.assign(buckets.size(), {});
      current->comm.assign(buckets.size(), {});
      current->sparsified.assign(buckets.size(), 0);
      current->communicated.assign(buckets.size(), 0);
      current->ready.assign(tensorIds.size(), current->start);
      continue;
    }
    if (!current)
      continue;
    if (e.lane == "update") {
      current->end = e.span.end;
      continue;
    }
    if (e.lane == "backward") {
      auto it = tensorIds.find(e.what);
      if (it != tensorIds.end())
        current->ready[it->second] = e.span.end;
      continue;
    }
    if (e.lane != "sparsify" && e.lane != "comm")
      continue;
    auto it = ids.find(e.what);
    if (it == ids.end())
      return "trace '" + path + "' has a span of bucket '" + e.what +
             "', which the schedule does not have: is it a trace of "
             "another schedule?";
    bool sparsify = e.lane == "sparsify";
    (sparsify ? current->sparsify : current->comm)[it->second] = e.span;
    (sparsify ? current->sparsified : current->communicated)[it->second] = 1;
  }
  // Only whole iterations: every bucket sparsified and communicated.
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const Iteration &i) {
                             return std::count(i.sparsified.begin(),
                                               i.sparsified.end(), 0) ||
                                    std::count(i.communicated.begin(),
                                               i.communicated.end(), 0);
                           }),
            out.end());
  if (out.empty())
    return "trace '" + path + "' has no whole iteration of the schedule's " +
           std::to_string(buckets.size()) + " buckets";
  return "";
}

/// Each rank's clock less rank 0's, from the collectives themselves. Each
/// trace's clock starts with its rank, and ranks on different hosts have
/// clocks of their own. No rank leaves a collective before every rank has
/// entered it, so offset_r lies between the largest (start on r - end on
/// 0) and the least (end on r - start on 0) over the comm spans; within
/// those bounds it is the median of (end on r - end on 0): a collective
/// ends on every rank at about the same time, and the median leaves out
/// the ends that a descheduled rank noticed late.
std::vector<double>
clockOffsets(const std::vector<std::vector<Iteration>> &ranks,
             size_t iterations) {
  std::vector<double> offsets(ranks.size(), 0.0);
  for (size_t r = 1; r < ranks.size(); ++r) {
    double low = -std::numeric_limits<double>::infinity();
    double high = std::numeric_limits<double>::infinity();
    std::vector<double> endGaps;
    for (size_t i = 1; i < iterations; ++i) // as the fit, without the first
      for (size_t b = 0; b < ranks[0][i].comm.size(); ++b) {
        const Span &own = ranks[r][i].comm[b], &first = ranks[0][i].comm[b];
        low = std::max(low, own.start - first.end);
        high = std::min(high, own.end - first.start);
        endGaps.push_back(own.end - first.end);
      }
    if (endGaps.empty())
      continue;
    // Bounds that cross (clocks that drift apart over the run) leave the
    // median alone.
    double offset = median(endGaps);
    offsets[r] = low <= high ? std::clamp(offset, low, high) : offset;
  }
  return offsets;
}

/// The fraction of `span` (on rank 0's clock) during which the ranks'
/// sparsify lanes worked, averaged over the ranks: how much of a collective
/// ran beside compression.
double besideSparsify(const Span &span,
                      const std::vector<std::vector<Iteration>> &ranks,
                      size_t iteration, const std::vector<double> &offsets) {
  double length = span.end - span.start;
  if (length <= 0 || ranks.empty())
    return 0.0;
  double covered = 0;
  for (size_t r = 0; r < ranks.size(); ++r)
    for (const Span &s : ranks[r][iteration].sparsify)
      covered += std::max(0.0, std::min(span.end, s.end - offsets[r]) -
                                   std::max(span.start, s.start - offsets[r]));
  return std::min(1.0, covered / length / double(ranks.size()));
}

/// A bucket whose collective ran beside the sparsify lanes, for the
/// comm_beside_sparsify curve once the curves alone are fitted.
struct BesideBucket {
  BucketFacts facts;
  int ranks;
  double commUs; // measured
};

/// The collectives of a selection bucket as `c` prices them: the gather of
/// its k pairs, and of the counts for a sampled selection.
double selectionGatherUs(const cost::Cluster &c, const BucketFacts &f) {
  bool tree = f.kind == fb::CompressionKind::gtopk;
  double us = cost::collectiveUs(
      c, tree ? cost::Collective::GTopK : cost::Collective::Allgather,
      double(f.kept), f.valueBytes + 4.0);
  if (f.sampled)
    us += cost::collectiveUs(c, cost::Collective::Allgather, 1, 8);
  return us;
}

/// The comm lane's time of a dense or selection bucket alone, as `c` prices
/// it, less the engine's cost per bucket.
double commAloneUs(const cost::Cluster &c, const BucketFacts &f) {
  if (f.kind == fb::CompressionKind::dense)
    return cost::collectiveUs(c, cost::Collective::Allreduce, double(f.numel),
                              f.valueBytes);
  return selectionGatherUs(c, f) + cost::decompressCost(c, f.numel);
}

/// The point of the beside curve that a comm lane's time falls on: one per
/// eighth of a decade.
double besideBin(double us) {
  return std::pow(10.0, std::round(std::log10(std::max(us, 1e-3)) * 8.0) / 8.0);
}

/// The base cluster's alpha or beta of one collective (docs/passes.md: a
/// number for all, an object per collective, or alpha_<c>_us).
double constantOf(const Json &base, const char *all, const std::string &own,
                  const char *collective, double fallback) {
  if (base.contains(own) && base[own].is_number())
    return base[own];
  if (base.contains(all)) {
    const Json &v = base[all];
    if (v.is_number())
      return v;
    if (v.is_object() && v.contains(collective) && v[collective].is_number())
      return v[collective];
  }
  return fallback;
}

std::vector<cost::Sample> baseSamples(const Json &base, const char *curve) {
  std::vector<cost::Sample> out;
  if (!base.contains("measured") || !base["measured"].is_object())
    return out;
  const Json &measured = base["measured"];
  if (!measured.contains(curve) || !measured[curve].is_object() ||
      !measured[curve].contains("samples"))
    return out;
  for (const Json &p : measured[curve]["samples"])
    if (p.is_array() && p.size() == 2 && p[0].is_number() && p[1].is_number())
      out.push_back({p[0].get<double>(), p[1].get<double>()});
  std::sort(out.begin(), out.end(),
            [](const cost::Sample &a, const cost::Sample &b) {
              return a.size < b.size;
            });
  return out;
}

/// The traces' points (the median time per size) in place of the base's
/// within their range, the base's outside it; then made non-decreasing
/// (nonDecreasing), each traced point weighted by the observations behind
/// its median and each of the base's by one.
std::vector<cost::Sample>
mergeCurve(const std::vector<cost::Sample> &base,
           const std::map<double, std::vector<double>> &traced) {
  if (traced.empty())
    return base;
  struct Point {
    cost::Sample sample;
    double weight;
  };
  std::vector<Point> points;
  double lo = traced.begin()->first, hi = traced.rbegin()->first;
  for (const cost::Sample &s : base)
    if (s.size < lo || s.size > hi)
      points.push_back({s, 1.0});
  for (const auto &[size, times] : traced)
    points.push_back(
        {{size, std::max(median(times), 1e-3)}, double(times.size())});
  std::sort(points.begin(), points.end(), [](const Point &a, const Point &b) {
    return a.sample.size < b.sample.size;
  });
  std::vector<double> times, weights;
  for (const Point &p : points) {
    times.push_back(p.sample.us);
    weights.push_back(p.weight);
  }
  std::vector<double> monotone = nonDecreasing(times, weights);
  std::vector<cost::Sample> out;
  for (size_t i = 0; i < points.size(); ++i)
    out.push_back({points[i].sample.size, monotone[i]});
  return out;
}

/// A run's lanes as measured, for the choice of timeline.
struct MeasuredLanes {
  double forwardUs = 0, updateUs = 0, measuredUs = 0, backwardUs = 0;
  std::vector<double> backwardUntil; // per bucket: its last gradient ready
  std::vector<double> sparsifyUs, commUs;
};

/// The iteration that the measured lanes make under `timeline` (stream or
/// shared), each bucket's comm charged `bucketUs` more.
double replayLanes(const MeasuredLanes &m, cost::Timeline timeline,
                   double bucketUs) {
  double sparsified = 0, communicated = 0;
  for (size_t b = 0; b < m.sparsifyUs.size(); ++b) {
    double c = m.commUs[b] + bucketUs;
    if (timeline == cost::Timeline::Shared) {
      communicated =
          std::max(communicated, m.backwardUntil[b]) + m.sparsifyUs[b] + c;
      continue;
    }
    sparsified = std::max(sparsified, m.backwardUntil[b]) + m.sparsifyUs[b];
    communicated = std::max(communicated, sparsified) + c;
  }
  return m.forwardUs + std::max(m.backwardUs, communicated) + m.updateUs;
}

Json samplesJson(const std::vector<cost::Sample> &samples) {
  Json out = Json::array();
  for (const cost::Sample &s : samples)
    out.push_back({runtime::roundToSignificant(s.size, 9),
                   runtime::roundToSignificant(s.us, 6)});
  return out;
}

} // namespace

std::string agtf::profile::fitFromTraces(const Json &base,
                                         const std::vector<TracedRun> &runs,
                                         TraceFitResult &result) {
  if (!base.is_object())
    return "the cluster file is not a JSON object";
  if (runs.empty())
    return "no traced runs: give SCHEDULE.bin TRACE.json pairs";
  // Points by curve and size, over every run.
  std::map<double, std::vector<double>> traced[cost::kCurves];
  std::vector<double> commGaps, sparsifyGaps;
  std::vector<MeasuredLanes> lanes;
  std::vector<BesideBucket> beside;
  double denseSparsifyUs = 0, denseElements = 0;
  cost::Cluster baseCosts; // the base's pricing of the collectives

  for (const TracedRun &run : runs) {
    runtime::ScheduleOrError read = runtime::readSchedule(run.schedule);
    if (!read)
      return "schedule '" + run.schedule + "': " + read.error;
    const fb::Schedule &s = read.schedule->root();
    std::vector<BucketFacts> buckets;
    std::unordered_map<std::string, uint32_t> ids, tensorIds;
    for (uint32_t t = 0; t < s.tensors()->size(); ++t)
      tensorIds[s.tensors()->Get(t)->name()->str()] = t;
    for (uint32_t i = 0; i < s.buckets()->size(); ++i) {
      const fb::Bucket *b = s.buckets()->Get(i);
      BucketFacts f;
      f.name = b->name() ? b->name()->str() : "b" + std::to_string(i);
      f.kind = b->compression()->kind();
      for (uint32_t t = b->first_tensor();
           t < b->first_tensor() + b->tensor_count(); ++t)
        f.numel += s.tensors()->Get(t)->numel();
      f.lastTensor = b->first_tensor() + b->tensor_count() - 1;
      f.kept = f.kind == fb::CompressionKind::dense ||
                       f.kind == fb::CompressionKind::lowrank
                   ? f.numel
                   : kernels::topKCount(f.numel, b->compression()->density());
      f.valueBytes =
          double(runtime::wireBytes(b->compression()->value_dtype()));
      f.sampled = f.kind == fb::CompressionKind::dgc ||
                  (f.kind == fb::CompressionKind::topk &&
                   b->compression()->select() == fb::SelectMethod::sampled);
      ids[f.name] = i;
      buckets.push_back(std::move(f));
    }

    // Every rank's trace: TRACE, then TRACE.rank1, ... while they exist.
    std::vector<std::vector<Iteration>> ranks;
    for (int r = 0;; ++r) {
      std::string path =
          r == 0 ? run.trace : run.trace + ".rank" + std::to_string(r);
      if (r > 0 && !std::ifstream(path))
        break;
      ranks.emplace_back();
      if (std::string error =
              readRankTrace(path, buckets, ids, tensorIds, ranks.back());
          !error.empty())
        return error;
    }
    size_t iterations = ranks[0].size();
    for (const std::vector<Iteration> &r : ranks)
      iterations = std::min(iterations, r.size());
    // The first iteration touches every buffer first: left out.
    if (iterations < 3)
      return "trace '" + run.trace + "' has " + std::to_string(iterations) +
             " whole iterations on every rank; the fit needs at least 3 "
             "(agtf-run --iters)";
    int P = int(ranks.size());
    std::vector<double> offsets = clockOffsets(ranks, iterations);
    baseCosts.workers = P;
    for (auto [c, name] : {std::pair(cost::Collective::Allreduce, "allreduce"),
                           std::pair(cost::Collective::Allgather, "allgather"),
                           std::pair(cost::Collective::GTopK, "gtopk")}) {
      baseCosts.alphaUs[int(c)] = constantOf(
          base, "alpha_us", std::string("alpha_") + name + "_us", name, 100.0);
      baseCosts.betaUsPerByte[int(c)] = constantOf(
          base, "beta_us_per_byte",
          std::string("beta_") + name + "_us_per_byte", name, 0.0085);
      baseCosts.samples[int(c)] = baseSamples(base, name);
    }

    RunSummary summary;
    summary.schedule = run.schedule;
    summary.ranks = P;
    summary.buckets = uint32_t(buckets.size());
    summary.iterations = int(iterations) - 1;
    summary.predictedUs = s.timeline() ? s.timeline()->iteration_us() : 0.0;
    std::vector<double> iterationUs;
    std::vector<std::vector<double>> sparsifyUs(buckets.size()),
        commUs(buckets.size()), besideFraction(buckets.size());
    for (size_t i = 1; i < iterations; ++i) {
      double slowest = 0;
      for (const std::vector<Iteration> &r : ranks)
        slowest = std::max(slowest, r[i].end - r[i].start);
      iterationUs.push_back(slowest);
      for (size_t b = 0; b < buckets.size(); ++b) {
        double s = 0, lastStart = -std::numeric_limits<double>::infinity(),
               lastEnd = lastStart;
        for (size_t r = 0; r < ranks.size(); ++r) {
          const Span &sparsify = ranks[r][i].sparsify[b];
          const Span &comm = ranks[r][i].comm[b];
          s = std::max(s, sparsify.end - sparsify.start);
          lastStart = std::max(lastStart, comm.start - offsets[r]);
          lastEnd = std::max(lastEnd, comm.end - offsets[r]);
        }
        sparsifyUs[b].push_back(s);
        commUs[b].push_back(std::max(lastEnd - lastStart, 0.0));
        besideFraction[b].push_back(
            besideSparsify({lastStart, lastEnd}, ranks, i, offsets));
      }
      // Gaps where a lane had its work and did not run it: the hand-offs.
      for (const std::vector<Iteration> &r : ranks) {
        const Iteration &it = r[i];
        std::vector<uint32_t> order(buckets.size());
        for (uint32_t b = 0; b < order.size(); ++b)
          order[b] = b;
        std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
          return it.comm[a].start < it.comm[b].start;
        });
        for (size_t j = 0; j < order.size(); ++j) {
          uint32_t b = order[j];
          double commFree = j ? it.comm[order[j - 1]].end : 0.0;
          double sparsifyFree = j ? it.sparsify[order[j - 1]].end : 0.0;
          double ready = it.ready[buckets[b].lastTensor];
          commGaps.push_back(std::max(
              0.0, it.comm[b].start - std::max(commFree, it.sparsify[b].end)));
          sparsifyGaps.push_back(std::max(
              0.0, it.sparsify[b].start - std::max(sparsifyFree, ready)));
        }
      }
    }
    summary.measuredUs = median(iterationUs);
    result.runs.push_back(summary);
    MeasuredLanes m;
    m.measuredUs = summary.measuredUs;
    if (s.timeline()) {
      m.forwardUs = s.timeline()->forward_us();
      m.updateUs = s.timeline()->update_us();
    }
    std::vector<double> until(s.tensors()->size() + 1, 0.0);
    for (uint32_t t = 0; t < s.tensors()->size(); ++t)
      until[t + 1] = until[t] + s.tensors()->Get(t)->backward_us();
    for (size_t b = 0; b < buckets.size(); ++b) {
      m.backwardUntil.push_back(until[buckets[b].lastTensor + 1]);
      m.sparsifyUs.push_back(median(sparsifyUs[b]));
      m.commUs.push_back(median(commUs[b]));
    }
    m.backwardUs = until.back();
    lanes.push_back(std::move(m));

    for (size_t b = 0; b < buckets.size(); ++b) {
      const BucketFacts &f = buckets[b];
      double s = median(sparsifyUs[b]), c = median(commUs[b]);
      double n = double(f.numel);
      bool dense = f.kind == fb::CompressionKind::dense;
      bool lowRank = f.kind == fb::CompressionKind::lowrank;
      // Sparsification, beside a collective or not.
      if (dense) {
        denseSparsifyUs += s;
        denseElements += n;
      } else if (!lowRank) {
        traced[int(cost::Curve::Compress)][n].push_back(s);
      }
      // Low rank: its own factor products, which no curve of the model
      // prices yet.
      if (lowRank) {
        ++result.bucketsAlone;
        continue;
      }
      // A collective that ran mostly beside the sparsify lanes prices the
      // comm lane beside them, not the collective alone.
      if (P > 1 && median(besideFraction[b]) >= kBesideFraction) {
        beside.push_back({f, P, c});
        continue;
      }
      ++result.bucketsAlone;
      if (dense) {
        if (P > 1)
          traced[int(cost::Curve::Allreduce)][n * f.valueBytes].push_back(c);
      } else {
        // The comm span less the collectives, as the model prices them, is
        // the decompression into the bucket.
        double gather = P > 1 ? selectionGatherUs(baseCosts, f) : 0.0;
        traced[int(cost::Curve::Decompress)][n].push_back(
            std::max(c - gather, 0.01 * c));
      }
    }
  }

  Json fitted = base;
  if (denseElements > 0)
    fitted["pack_us_per_element"] =
        runtime::roundToSignificant(denseSparsifyUs / denseElements, 6);
  result.bucketUs = median(commGaps) + median(sparsifyGaps);
  fitted["bucket_us"] = runtime::roundToSignificant(result.bucketUs, 6);
  // Whether the sparsify and comm lanes overlapped or took turns: the
  // timeline under which the measured lanes make the measured iterations.
  // A serial timeline (sparsification on a device's compute stream) is the
  // user's statement about the device and stays.
  std::string timeline = base.value("timeline", std::string("serial"));
  if (timeline != "serial") {
    double error[2] = {0, 0};
    cost::Timeline choices[2] = {cost::Timeline::Stream,
                                 cost::Timeline::Shared};
    for (int c = 0; c < 2; ++c) {
      std::vector<double> errors;
      for (size_t r = 0; r < lanes.size(); ++r)
        errors.push_back(
            std::fabs(replayLanes(lanes[r], choices[c], result.bucketUs) /
                          lanes[r].measuredUs -
                      1.0));
      error[c] = median(errors);
    }
    result.timeline =
        cost::timelineName(error[1] < error[0] ? choices[1] : choices[0]);
    result.timelineErrors[0] = error[0];
    result.timelineErrors[1] = error[1];
    fitted["timeline"] = result.timeline;
  } else {
    result.timeline = timeline;
  }
  // After the top-level keys: an ordered_json moves its members when a key
  // is added.
  Json &measured = fitted["measured"];
  if (!measured.is_object())
    measured = Json::object();
  // The comm lane beside the sparsify lanes against the same lane alone, as
  // the curves fitted above price it.
  if (!beside.empty()) {
    cost::Cluster alone = baseCosts;
    for (cost::Curve c : {cost::Curve::Allreduce, cost::Curve::Decompress})
      alone.curve(c) =
          mergeCurve(baseSamples(base, cost::curveName(c)), traced[int(c)]);
    if (base.contains("decompress_us_per_element") &&
        base["decompress_us_per_element"].is_number())
      alone.decompressUsPerElement = base["decompress_us_per_element"];
    for (const BesideBucket &b : beside) {
      alone.workers = b.ranks;
      double us = commAloneUs(alone, b.facts) + result.bucketUs;
      traced[int(cost::Curve::CommBesideSparsify)][besideBin(us)].push_back(
          std::max(b.commUs + result.bucketUs, us));
    }
  }
  result.bucketsBeside = int(beside.size());
  for (int c = 0; c < cost::kCurves; ++c) {
    const char *name = cost::curveName(cost::Curve(c));
    result.curvePoints[c] = int(traced[c].size());
    if (traced[c].empty())
      continue;
    std::vector<cost::Sample> merged =
        mergeCurve(baseSamples(base, name), traced[c]);
    if (!measured[name].is_object())
      measured[name] = Json::object();
    measured[name]["samples"] = samplesJson(merged);
  }
  Json from = Json::array();
  for (const RunSummary &r : result.runs)
    from.push_back(
        {{"schedule", r.schedule},
         {"ranks", r.ranks},
         {"iterations", r.iterations},
         {"measured_iter_us", runtime::roundToSignificant(r.measuredUs, 6)},
         {"predicted_iter_us", runtime::roundToSignificant(r.predictedUs, 6)}});
  measured["from_traces"] = {
      {"runs", std::move(from)},
      {"timeline",
       {{"chosen", result.timeline},
        {"stream_median_error",
         runtime::roundToSignificant(result.timelineErrors[0], 6)},
        {"shared_median_error",
         runtime::roundToSignificant(result.timelineErrors[1], 6)}}},
      {"bucket_us",
       {{"comm_gap_us", runtime::roundToSignificant(median(commGaps), 6)},
        {"sparsify_gap_us",
         runtime::roundToSignificant(median(sparsifyGaps), 6)}}},
      {"comm_beside_sparsify",
       {{"buckets_beside", result.bucketsBeside},
        {"buckets_alone", result.bucketsAlone},
        {"beside_fraction", kBesideFraction}}}};
  result.cluster = std::move(fitted);
  return "";
}
