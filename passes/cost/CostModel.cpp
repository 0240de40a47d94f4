//===- CostModel.cpp - cost of a merge plan (DESIGN.md §4) ----------------===//

#include "passes/cost/CostModel.h"

#include "kernels/LowRank.h"

#include <algorithm>
#include <cmath>

using namespace agtf::cost;

int64_t agtf::cost::ceilLog2(int64_t p) {
  int64_t rounds = 0;
  while ((int64_t(1) << rounds) < p)
    ++rounds;
  return rounds;
}

LowRankLoad LowRankLoad::ofMember(int64_t numel, int64_t rows, int64_t rank) {
  LowRankLoad load;
  int64_t cols = numel / std::max<int64_t>(1, rows);
  int64_t r = kernels::factorRank(rows, cols, rank);
  if (r == 0) {
    load.acpValues = double(numel);
    load.firstValues = numel;
    return load;
  }
  load.acpValues = double(r * (rows + cols)) / 2.0;
  load.firstValues = r * rows;
  load.secondValues = r * cols;
  load.factored = true;
  return load;
}

LowRankLoad &LowRankLoad::operator+=(const LowRankLoad &other) {
  acpValues += other.acpValues;
  firstValues += other.firstValues;
  secondValues += other.secondValues;
  factored = factored || other.factored;
  return *this;
}

double agtf::cost::interpolate(const std::vector<Sample> &samples,
                               double size) {
  if (size <= samples.front().size || samples.size() == 1)
    return samples.front().us;
  for (size_t i = 1; i < samples.size(); ++i) {
    const Sample &a = samples[i - 1], &b = samples[i];
    if (size > b.size)
      continue;
    double t = std::log(size / a.size) / std::log(b.size / a.size);
    return std::exp(std::log(a.us) + t * std::log(b.us / a.us));
  }
  // Beyond the largest sample: the last segment's time per unit of size.
  const Sample &a = samples[samples.size() - 2], &b = samples.back();
  double perUnit = std::max(0.0, (b.us - a.us) / (b.size - a.size));
  return b.us + (size - b.size) * perUnit;
}

double agtf::cost::sparsifyCost(const Cluster &c, int64_t numel) {
  const std::vector<Sample> &samples = c.curve(Curve::Compress);
  if (!samples.empty())
    return interpolate(samples, double(numel));
  return c.sparsifyUs + c.sparsifyUsPerElement * double(numel);
}

double agtf::cost::decompressCost(const Cluster &c, int64_t numel) {
  const std::vector<Sample> &samples = c.curve(Curve::Decompress);
  if (!samples.empty())
    return interpolate(samples, double(numel));
  return c.decompressUsPerElement * double(numel);
}

double agtf::cost::collectiveUs(const Cluster &c, Collective collective,
                                double count, double width) {
  const int64_t p = c.workers;
  if (p <= 1)
    return 0.0;
  const std::vector<Sample> &samples = c.samples[int(collective)];
  if (!samples.empty())
    return interpolate(samples, count * width);
  double alpha = c.alpha(collective), beta = c.beta(collective);
  switch (collective) {
  case Collective::Allreduce:
    return 2.0 * (p - 1) * alpha +
           2.0 * double(p - 1) / double(p) * width * count * beta;
  case Collective::Allgather:
    return ceilLog2(p) * alpha + double(p - 1) * count * width * beta;
  case Collective::GTopK: {
    double rounds = double(ceilLog2(p));
    return 2.0 * rounds * alpha + 2.0 * rounds * count * width * beta;
  }
  }
  return 0.0;
}

double agtf::cost::commCost(const Cluster &c, Method method, int64_t numel,
                            int64_t kept, const LowRankLoad &lowRank) {
  if (c.workers <= 1)
    return 0.0;
  const double valueBytes = double(c.valueBytes);
  const double pairBytes = double(c.valueBytes + c.indexBytes);
  auto allreduce = [&](double values) {
    return collectiveUs(c, Collective::Allreduce, values, valueBytes);
  };
  switch (method) {
  case Method::Dense:
    return allreduce(double(numel));
  case Method::LowRank:
    return allreduce(lowRank.acpValues);
  case Method::PowerSGD: // P (with the dense members), then Q
    return allreduce(double(lowRank.firstValues)) +
           (lowRank.factored ? allreduce(double(lowRank.secondValues)) : 0.0);
  case Method::TopK:
  case Method::TopKSampled:
  case Method::DGC: {
    double gather =
        collectiveUs(c, Collective::Allgather, double(kept), pairBytes);
    if (method == Method::TopK)
      return gather;
    // A sampled threshold keeps a different count on every rank: the
    // runtime allgathers the counts (8 bytes each) before its allgatherv.
    return gather + collectiveUs(c, Collective::Allgather, 1.0, 8.0);
  }
  case Method::GTopK:
    return collectiveUs(c, Collective::GTopK, double(kept), pairBytes);
  }
  return 0.0;
}

double agtf::cost::fixedCommCost(const Cluster &c, Method method) {
  // Every term of commCost is a latency or a size times an inverse
  // bandwidth; at size 0 only the latencies (and the fixed 8-byte counts of
  // a sampled selection) remain. A low-rank bucket's fixed part is that of
  // a factored one (PowerSGD's two allreduces).
  LowRankLoad factored;
  factored.factored = true;
  return commCost(c, method, 0, 0, factored);
}

CostTable::CostTable(const Problem &problem) : problem(problem) {
  size_t n = problem.tensors.size();
  backward.assign(n + 1, 0.0);
  numel.assign(n + 1, 0);
  kept.assign(n + 1, 0);
  sparseMembers.assign(n + 1, 0);
  acpTwice.assign(n + 1, 0);
  firstValues.assign(n + 1, 0);
  secondValues.assign(n + 1, 0);
  factored.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    const Tensor &t = problem.tensors[i];
    bool sparse = t.density < 1.0;
    backward[i + 1] = backward[i] + t.backwardUs;
    numel[i + 1] = numel[i] + t.numel;
    kept[i + 1] = kept[i] + t.keptCount();
    sparseMembers[i + 1] = sparseMembers[i] + (sparse ? 1 : 0);
    // In a low-rank bucket every member goes by the runtime's rule, whatever
    // its budget (a bucket is low rank when one member has a budget).
    LowRankLoad load = LowRankLoad::ofMember(t.numel, t.rows, problem.lowRank);
    acpTwice[i + 1] = acpTwice[i] + int64_t(2.0 * load.acpValues);
    firstValues[i + 1] = firstValues[i] + load.firstValues;
    secondValues[i + 1] = secondValues[i] + load.secondValues;
    factored[i + 1] = factored[i] + (load.factored ? 1 : 0);
  }
}

BucketCost agtf::cost::bucketCost(const Cluster &c, Method method,
                                  int64_t numel, int64_t kept,
                                  const LowRankLoad &lowRank) {
  BucketCost cost;
  cost.numel = numel;
  cost.method = method;
  cost.sparse = method != Method::Dense;
  cost.kept = cost.sparse ? kept : numel;
  cost.sparsifyUs =
      cost.sparse ? sparsifyCost(c, numel) : c.packUsPerElement * double(numel);
  cost.commUs = commCost(c, method, numel, cost.kept, lowRank);
  // A selection is decompressed into its whole bucket after the collective,
  // on the comm lane.
  bool selection = method == Method::TopK || method == Method::TopKSampled ||
                   method == Method::DGC || method == Method::GTopK;
  if (selection)
    cost.commUs += decompressCost(c, numel);
  cost.commUs += c.bucketUs;
  // One lane sparsifies and then communicates each bucket: priced as a
  // stream timeline whose bucket sparsifies in no time and communicates
  // for both, which is that lane's timeline exactly, so that every solver
  // and bound of the stream timeline holds for it.
  if (c.timeline == Timeline::Shared) {
    cost.commUs += cost.sparsifyUs;
    cost.sparsifyUs = 0.0;
  }
  return cost;
}

BucketCost CostTable::bucket(size_t begin, size_t end) const {
  return bucketCost(
      problem.cluster,
      anySparse(begin, end) ? problem.sparseMethod : Method::Dense,
      numelIn(begin, end), keptIn(begin, end), lowRankIn(begin, end));
}

PlanTimeline agtf::cost::simulate(const CostTable &table, const Partition &plan,
                                  bool besideSparsify) {
  std::vector<BucketCost> costs;
  size_t begin = 0;
  for (size_t end : plan) {
    costs.push_back(table.bucket(begin, end));
    begin = end;
  }
  return simulate(table.getProblem(), plan, costs, besideSparsify);
}

bool agtf::cost::hasBesideSparsify(const Cluster &c) {
  return !c.curve(Curve::CommBesideSparsify).empty() &&
         c.timeline != Timeline::Shared;
}

double agtf::cost::besideSparsifyUs(const Cluster &c, double aloneUs) {
  const std::vector<Sample> &samples = c.curve(Curve::CommBesideSparsify);
  if (samples.empty() || aloneUs <= 0.0)
    return aloneUs;
  return std::max(aloneUs, interpolate(samples, aloneUs));
}

namespace {
/// The end of a comm task that starts at `start` and takes `aloneUs` alone
/// and `besideUs` while the sparsify lane is busy; `busy` holds the sparsify
/// lane's intervals in order, from `next` on (advanced past those that end
/// before `start`, as starts only grow).
double endBeside(double start, double aloneUs, double besideUs,
                 const std::vector<std::pair<double, double>> &busy,
                 size_t &next) {
  while (next < busy.size() && busy[next].second <= start)
    ++next;
  double t = start, left = 1.0; // the fraction of the task still to do
  for (size_t k = next; k < busy.size() && left > 0.0; ++k) {
    auto [from, to] = busy[k];
    if (from > t) { // alone until the next interval
      double done = (from - t) / aloneUs;
      if (done >= left)
        return t + left * aloneUs;
      left -= done;
      t = from;
    }
    double done = (to - t) / besideUs;
    if (done >= left)
      return t + left * besideUs;
    left -= done;
    t = to;
  }
  return t + left * aloneUs;
}
} // namespace

PlanTimeline agtf::cost::simulate(const Problem &problem, const Partition &plan,
                                  const std::vector<BucketCost> &costs,
                                  bool besideSparsify) {
  std::vector<double> backwardUntil(problem.tensors.size() + 1, 0.0);
  for (size_t i = 0; i < problem.tensors.size(); ++i)
    backwardUntil[i + 1] = backwardUntil[i] + problem.tensors[i].backwardUs;
  PlanTimeline result;
  double sparsifySum = 0.0; // serial: sparsification on the compute stream
  double sparsifyEnd = 0.0; // stream: sparsification on its own stream
  double commEnd = 0.0;
  std::vector<double> readyAt;
  for (size_t j = 0; j < plan.size(); ++j) {
    const BucketCost &cost = costs[j];
    double backward = backwardUntil[plan[j]];
    if (problem.cluster.timeline == Timeline::Serial) {
      sparsifySum += cost.sparsifyUs;
      readyAt.push_back(backward + sparsifySum);
    } else {
      sparsifyEnd = std::max(sparsifyEnd, backward) + cost.sparsifyUs;
      readyAt.push_back(sparsifyEnd);
    }
  }
  // The sparsify lane's work, which slows the comm lane beside it.
  bool beside = besideSparsify && hasBesideSparsify(problem.cluster);
  std::vector<std::pair<double, double>> busy;
  if (beside)
    for (size_t j = 0; j < plan.size(); ++j)
      if (costs[j].sparsifyUs > 0.0)
        busy.push_back({readyAt[j] - costs[j].sparsifyUs, readyAt[j]});
  size_t nextBusy = 0;
  for (size_t j = 0; j < plan.size(); ++j) {
    const BucketCost &cost = costs[j];
    double ready = readyAt[j];
    double start = std::max(commEnd, ready);
    commEnd = beside && cost.commUs > 0.0
                  ? endBeside(start, cost.commUs,
                              besideSparsifyUs(problem.cluster, cost.commUs),
                              busy, nextBusy)
                  : start + cost.commUs;
    result.buckets.push_back({ready, start, commEnd});
    result.costs.push_back(cost);
  }
  double backwardAll = backwardUntil.back();
  double tail = problem.cluster.timeline == Timeline::Serial
                    ? commEnd
                    : std::max(backwardAll, commEnd);
  result.iterUs = problem.forwardUs + tail + problem.updateUs;
  result.exposedCommUs =
      std::max(0.0, result.iterUs -
                        (problem.forwardUs + backwardAll + problem.updateUs));
  return result;
}
