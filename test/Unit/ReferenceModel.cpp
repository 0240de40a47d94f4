//===- ReferenceModel.cpp - the models of docs/passes.md, plainly ---------===//

#include "ReferenceModel.h"

#include <algorithm>
#include <cmath>

using namespace agtf;
using namespace agtf::cost;

namespace {

/// N_G, k_G and whether any member is sparse.
struct Sizes {
  double numel = 0.0, kept = 0.0;
  bool sparse = false;
};

Sizes sizesOf(const Problem &problem, size_t begin, size_t end) {
  Sizes s;
  for (size_t i = begin; i < end; ++i) {
    const Tensor &t = problem.tensors[i];
    double n = double(t.numel);
    s.numel += n;
    s.sparse = s.sparse || t.density < 1.0;
    s.kept += double(test::referenceKeptCount(t));
  }
  return s;
}

/// ceil(log2 p), counting the rounds of a binary tree.
double treeRounds(int64_t p) {
  double rounds = 0.0;
  for (int64_t reached = 1; reached < p; reached *= 2)
    rounds += 1.0;
  return rounds;
}

double ringAllreduceUs(const Cluster &c, double values) {
  double p = double(c.workers);
  return 2.0 * (p - 1.0) * c.alphaUs[0] + 2.0 * (p - 1.0) / p *
                                              double(c.valueBytes) * values *
                                              c.betaUsPerByte[0];
}

/// What a low-rank bucket sends, member by member, as
/// runtime/compressors/LowRankCompressor.cpp does it: a matrix [n, m] is
/// factored at r = min(rank, n, m) when r(n + m) < nm, sending r n (P) and
/// r m (Q); any other member is sent whole, in every allreduce of ACP-SGD
/// and in PowerSGD's first.
struct ReferenceLowRank {
  double p = 0.0, q = 0.0, dense = 0.0;
  bool factored = false;
};

ReferenceLowRank lowRankValues(const Problem &problem, size_t begin,
                               size_t end) {
  ReferenceLowRank sent;
  for (size_t i = begin; i < end; ++i) {
    const Tensor &t = problem.tensors[i];
    // m = numel / n columns, in integers as the runtime divides.
    double n = double(t.rows),
           m = double(t.numel / std::max<int64_t>(1, t.rows));
    double r = std::min({double(problem.lowRank), n, m});
    if (t.rows > 1 && r >= 1.0 && r * (n + m) < n * m) {
      sent.p += r * n;
      sent.q += r * m;
      sent.factored = true;
    } else {
      sent.dense += double(t.numel);
    }
  }
  return sent;
}

/// Member i's weight: 1, or under Energy its share of the squared gradient
/// norm.
double memberWeight(const Problem &problem, NoiseKind kind, size_t i) {
  if (kind != NoiseKind::Energy)
    return 1.0;
  double energy = 0.0;
  for (const Tensor &t : problem.tensors)
    energy += t.gradNorm * t.gradNorm;
  double g = problem.tensors[i].gradNorm;
  return energy > 0.0 ? g * g / energy : 0.0;
}

double relativeNoise(const Problem &problem, NoiseKind kind, size_t begin,
                     size_t end, const Sizes &s) {
  double weights = 0.0;
  for (size_t i = begin; i < end; ++i)
    weights += memberWeight(problem, kind, i);
  bool sketched = true;
  double largest = 0.0, smallest = INFINITY;
  for (size_t i = begin; i < end; ++i) {
    const Tensor &t = problem.tensors[i];
    sketched = sketched && !t.kept.empty();
    for (double th : t.threshold) {
      largest = std::max(largest, th);
      if (th > 0.0)
        smallest = std::min(smallest, th);
    }
  }
  // Uniform magnitudes: every member keeps k/N of its elements and energy.
  if (!sketched)
    return (1.0 - s.kept / s.numel) * weights;
  if (largest <= 0.0)
    return 0.0;
  auto keptAbove = [&](double theta) {
    double kept = 0.0;
    for (size_t i = begin; i < end; ++i)
      kept += double(problem.tensors[i].numel) *
              test::referenceFractionAbove(problem.tensors[i], theta);
    return kept;
  };
  // theta is where 40 halvings of log(theta) end.
  double low = std::log(smallest) - 1.0, high = std::log(largest) + 12.0;
  for (int halving = 0; halving < 40; ++halving) {
    double mid = (low + high) / 2.0;
    if (keptAbove(std::exp(mid)) > s.kept)
      low = mid;
    else
      high = mid;
  }
  double theta = std::exp((low + high) / 2.0);
  double noise = 0.0;
  for (size_t i = begin; i < end; ++i) {
    const Tensor &t = problem.tensors[i];
    noise +=
        memberWeight(problem, kind, i) *
        (1.0 - test::referenceEnergyKept(
                   t, std::min(1.0, test::referenceFractionAbove(t, theta))));
  }
  return noise;
}

} // namespace

int64_t test::referenceKeptCount(const Tensor &t) {
  if (t.density >= 1.0)
    return t.numel;
  double k = std::ceil(t.density * double(t.numel));
  return std::min(t.numel, std::max<int64_t>(1, int64_t(k)));
}

double test::referenceFractionAbove(const Tensor &t, double theta) {
  const std::vector<double> &f = t.kept, &th = t.threshold;
  size_t last = th.size() - 1;
  if (theta >= th[0])
    return th[0] > 0.0 ? f[0] * th[0] / theta : 0.0;
  if (theta <= th[last])
    return f[last];
  size_t k = 0;
  while (!(th[k + 1] <= theta)) // th[k + 1] <= theta < th[k]
    ++k;
  if (th[k] == th[k + 1])
    return f[k + 1];
  double along = (th[k] - theta) / (th[k] - th[k + 1]);
  return std::exp(std::log(f[k]) +
                  along * (std::log(f[k + 1]) - std::log(f[k])));
}

double test::referenceEnergyKept(const Tensor &t, double fraction) {
  const std::vector<double> &f = t.kept, &e = t.energy;
  size_t last = f.size() - 1;
  if (fraction <= f[0])
    return e[0] * fraction / f[0];
  if (fraction >= f[last])
    return e[last];
  size_t k = 0;
  while (f[k + 1] < fraction)
    ++k;
  double along = (std::log(fraction) - std::log(f[k])) /
                 (std::log(f[k + 1]) - std::log(f[k]));
  return e[k] + along * (e[k + 1] - e[k]);
}

test::ReferenceBucket test::referenceBucket(const Problem &problem,
                                            size_t begin, size_t end) {
  const Cluster &c = problem.cluster;
  Sizes s = sizesOf(problem, begin, end);
  ReferenceBucket bucket;
  bucket.sparsifyUs = s.sparse ? c.sparsifyUs + c.sparsifyUsPerElement * s.numel
                               : c.packUsPerElement * s.numel;
  double p = double(c.workers);
  double rounds = treeRounds(c.workers);
  double pair = double(c.valueBytes + c.indexBytes);
  Method method = s.sparse ? problem.sparseMethod : Method::Dense;
  // A selection's decompression into the whole bucket, on the comm lane,
  // with or without peers.
  bool selection = method == Method::TopK || method == Method::TopKSampled ||
                   method == Method::DGC || method == Method::GTopK;
  // And the engine's fixed cost of a bucket, also with or without peers.
  double local =
      (selection ? c.decompressUsPerElement * s.numel : 0.0) + c.bucketUs;
  if (c.workers == 1) {
    bucket.commUs = local;
    return bucket;
  }
  switch (method) {
  case Method::Dense:
    bucket.commUs = ringAllreduceUs(c, s.numel);
    break;
  case Method::TopK:
    bucket.commUs =
        rounds * c.alphaUs[1] + (p - 1.0) * s.kept * pair * c.betaUsPerByte[1];
    break;
  case Method::TopKSampled:
  case Method::DGC:
    bucket.commUs =
        rounds * c.alphaUs[1] + (p - 1.0) * 8.0 * c.betaUsPerByte[1] +
        rounds * c.alphaUs[1] + (p - 1.0) * s.kept * pair * c.betaUsPerByte[1];
    break;
  case Method::GTopK:
    bucket.commUs = 2.0 * rounds * c.alphaUs[2] +
                    2.0 * rounds * s.kept * pair * c.betaUsPerByte[2];
    break;
  case Method::LowRank: { // ACP: P one step, Q the next; their mean
    ReferenceLowRank sent = lowRankValues(problem, begin, end);
    bucket.commUs = ringAllreduceUs(c, (sent.p + sent.q) / 2.0 + sent.dense);
    break;
  }
  case Method::PowerSGD: {
    ReferenceLowRank sent = lowRankValues(problem, begin, end);
    bucket.commUs = ringAllreduceUs(c, sent.p + sent.dense) +
                    (sent.factored ? ringAllreduceUs(c, sent.q) : 0.0);
    break;
  }
  }
  bucket.commUs += local;
  return bucket;
}

double test::referenceIterUs(const Problem &problem, const Partition &plan) {
  auto backwardUntil = [&](size_t end) {
    double sum = 0.0;
    for (size_t i = 0; i < end; ++i)
      sum += problem.tensors[i].backwardUs;
    return sum;
  };
  bool serial = problem.cluster.timeline == Timeline::Serial;
  double sparsified = 0.0; // serial: sum of ts; stream: the stream's end
  double commEnd = 0.0;
  size_t begin = 0;
  for (size_t end : plan) {
    ReferenceBucket bucket = referenceBucket(problem, begin, end);
    if (problem.cluster.timeline == Timeline::Shared) {
      // One lane: the bucket's sparsification, then its communication,
      // once its gradients are ready and the lane is free.
      commEnd = std::max(commEnd, backwardUntil(end)) + bucket.sparsifyUs +
                bucket.commUs;
      begin = end;
      continue;
    }
    double ready;
    if (serial) {
      sparsified += bucket.sparsifyUs;
      ready = backwardUntil(end) + sparsified;
    } else {
      sparsified = std::max(sparsified, backwardUntil(end)) + bucket.sparsifyUs;
      ready = sparsified;
    }
    commEnd = std::max(commEnd, ready) + bucket.commUs;
    begin = end;
  }
  double last = serial
                    ? commEnd
                    : std::max(backwardUntil(problem.tensors.size()), commEnd);
  return problem.forwardUs + last + problem.updateUs;
}

double test::referenceBucketNoise(const Problem &problem, NoiseKind kind,
                                  size_t begin, size_t end) {
  Sizes s = sizesOf(problem, begin, end);
  if (!s.sparse || s.kept >= s.numel)
    return 0.0;
  if (kind != NoiseKind::AgtfNorm)
    return relativeNoise(problem, kind, begin, end, s);
  double norms = 0.0;
  for (size_t i = begin; i < end; ++i)
    norms += problem.tensors[i].gradNorm;
  return (s.numel / s.kept - 1.0) * norms;
}

double test::referenceNoise(const Problem &problem, NoiseKind kind,
                            const Partition &plan) {
  double noise = 0.0;
  size_t begin = 0;
  for (size_t end : plan) {
    noise += referenceBucketNoise(problem, kind, begin, end);
    begin = end;
  }
  return noise;
}
