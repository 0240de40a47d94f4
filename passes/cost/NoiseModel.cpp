//===- NoiseModel.cpp - accuracy model of a merge plan (§5) ---------------===//
//
// Relative noise: the bucket keeps its k_G largest magnitudes, so one
// threshold theta applies to all members. Each member's sketch gives the
// fraction f_i(theta) of its elements above theta and the energy e_i(f)
// those keep; theta solves sum_i n_i f_i(theta) = k_G, and the member's
// residual is r_i = 1 - e_i(f_i(theta)). Between sketch points f is
// interpolated linearly in log f against theta, e linearly in log f.
// Without a sketch magnitudes are taken as uniform: f_i = k_G / N_G and
// e = f. Energy noise weights each r_i by the member's share of the
// squared gradient norm, g_i^2 / sum_j g_j^2, so that a plan's noise is the
// fraction of the gradient's energy it leaves unsent.
//
//===----------------------------------------------------------------------===//

#include "passes/cost/NoiseModel.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace agtf::cost;

namespace {

/// fractionAbove and, with `elasticity`, d log f / d log theta there, for
/// Newton's method; the fraction is the same either way, bit for bit.
double fractionAndElasticity(const Tensor &t,
                             const std::vector<double> &logKept, double theta,
                             double *elasticity) {
  const auto &th = t.threshold;
  const auto &f = t.kept;
  if (elasticity)
    *elasticity = 0.0;
  if (theta >= th.front()) {
    if (elasticity)
      *elasticity = -1.0;
    return th.front() > 0.0 ? f.front() * th.front() / theta : 0.0;
  }
  if (theta <= th.back())
    return f.back();
  auto it = std::lower_bound(th.begin(), th.end(), theta, std::greater<>());
  size_t hi = it - th.begin(); // th[hi] <= theta < th[hi-1]
  size_t lo = hi - 1;
  double span = th[lo] - th[hi];
  double w = span > 0.0 ? (th[lo] - theta) / span : 1.0;
  if (elasticity && span > 0.0)
    *elasticity = -theta * (logKept[hi] - logKept[lo]) / span;
  return std::exp((1.0 - w) * logKept[lo] + w * logKept[hi]);
}

} // namespace

double agtf::cost::fractionAbove(const Tensor &t,
                                 const std::vector<double> &logKept,
                                 double theta) {
  return fractionAndElasticity(t, logKept, theta, nullptr);
}

double agtf::cost::energyKept(const Tensor &t,
                              const std::vector<double> &logKept, double kept) {
  const auto &f = t.kept;
  const auto &e = t.energy;
  if (kept <= f.front())
    return e.front() * kept / f.front();
  if (kept >= f.back())
    return e.back();
  auto it = std::lower_bound(f.begin(), f.end(), kept);
  size_t hi = it - f.begin();
  size_t lo = hi - 1;
  double w = (std::log(kept) - logKept[lo]) / (logKept[hi] - logKept[lo]);
  return (1.0 - w) * e[lo] + w * e[hi];
}

NoiseModel::NoiseModel(const CostTable &table, NoiseKind kind)
    : table(table), kind(kind) {
  const auto &tensors = table.getProblem().tensors;
  size_t n = tensors.size();
  gradNorm.assign(n + 1, 0.0);
  unsketched.assign(n + 1, 0);
  magnitudes.assign(n + 1, 0);
  logKept.resize(n);
  double energy = 0.0;
  for (const Tensor &t : tensors)
    energy += t.gradNorm * t.gradNorm;
  weights.assign(n, 1.0);
  weightPrefix.assign(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const Tensor &t = tensors[i];
    if (kind == NoiseKind::Energy)
      weights[i] = energy > 0.0 ? t.gradNorm * t.gradNorm / energy : 0.0;
    weightPrefix[i + 1] = weightPrefix[i] + weights[i];
    gradNorm[i + 1] = gradNorm[i] + t.gradNorm;
    unsketched[i + 1] = unsketched[i] + (t.kept.empty() ? 1 : 0);
    bool magnitude = !t.threshold.empty() && t.threshold.front() > 0.0;
    magnitudes[i + 1] = magnitudes[i] + (magnitude ? 1 : 0);
    for (double f : t.kept)
      logKept[i].push_back(std::log(f));
  }
  layerwisePrefix.assign(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i)
    layerwisePrefix[i + 1] = layerwisePrefix[i] + bucket(i, i + 1);
}

double NoiseModel::bucket(size_t begin, size_t end) const {
  if (!table.anySparse(begin, end))
    return 0.0;
  return bucket(begin, end, table.keptIn(begin, end));
}

double NoiseModel::bucket(size_t begin, size_t end, double start) const {
  if (!table.anySparse(begin, end))
    return 0.0;
  if (!searchesThreshold())
    return bucket(begin, end);
  return relative(begin, end, double(table.keptIn(begin, end)), start);
}

bool NoiseModel::isQuick(size_t begin, size_t end) const {
  return !searchesThreshold() || !table.anySparse(begin, end) ||
         table.keptIn(begin, end) >= table.numelIn(begin, end) ||
         unsketched[end] > unsketched[begin] ||
         magnitudes[end] == magnitudes[begin];
}

double NoiseModel::bucket(size_t begin, size_t end, int64_t keptCount) const {
  double n = double(table.numelIn(begin, end));
  double k = double(keptCount);
  if (searchesThreshold())
    return relative(begin, end, k, std::numeric_limits<double>::quiet_NaN());
  if (k >= n)
    return 0.0;
  return (n / k - 1.0) * (gradNorm[end] - gradNorm[begin]);
}

double NoiseModel::relative(size_t begin, size_t end, double k,
                            double start) const {
  const auto &tensors = table.getProblem().tensors;
  double n = double(table.numelIn(begin, end));
  if (k >= n)
    return 0.0;
  if (unsketched[end] > unsketched[begin]) {
    double residual = 1.0 - k / n;
    return residual * (weightPrefix[end] - weightPrefix[begin]);
  }
  if (magnitudes[end] == magnitudes[begin])
    return 0.0; // all-zero gradients lose nothing
  // The threshold range of the members.
  double hi = 0.0, lo = std::numeric_limits<double>::infinity();
  for (size_t i = begin; i < end; ++i) {
    const Tensor &t = tensors[i];
    if (t.threshold.empty())
      continue;
    hi = std::max(hi, t.threshold.front());
    for (double v : t.threshold)
      if (v > 0.0)
        lo = std::min(lo, v);
  }
  auto keptAt = [&](double theta) {
    double sum = 0.0;
    for (size_t i = begin; i < end; ++i)
      sum += double(tensors[i].numel) *
             fractionAbove(tensors[i], logKept[i], theta);
    return sum;
  };
  auto noiseAt = [&](double theta) {
    double noise = 0.0;
    for (size_t i = begin; i < end; ++i) {
      double f = std::min(1.0, fractionAbove(tensors[i], logKept[i], theta));
      noise += weights[i] * (1.0 - energyKept(tensors[i], logKept[i], f));
    }
    return noise;
  };
  // Bisect log(theta): keptAt falls as theta grows.
  double logLo = std::log(lo) - 1.0, logHi = std::log(hi) + 12.0;

  // The model's threshold is where the 40 halvings below end. Most of
  // their decisions follow from the root of keptAt, found first by a
  // safeguarded Newton method in log(theta): with keptAt checked on both
  // sides of the root by a margin well above its rounding error, any
  // midpoint outside [left, right] is decided without evaluating keptAt
  // (keptAt is monotone), which gives the same threshold bit for bit.
  // keptAt's rounding error is a few ulps of its terms; the tolerance
  // allows hundreds.
  double tolerance = 2e-13 * k;
  double left = 0.0, right = -1.0; // empty: decide every step by keptAt
  double a = logLo, b = logHi;
  double x = start > a && start < b ? start : 0.5 * (a + b);
  for (int iter = 0; iter < 60; ++iter) {
    double sum = 0.0, slope = 0.0;
    double theta = std::exp(x);
    for (size_t i = begin; i < end; ++i) {
      double elasticity;
      double kept =
          double(tensors[i].numel) *
          fractionAndElasticity(tensors[i], logKept[i], theta, &elasticity);
      sum += kept;
      slope += kept * elasticity;
    }
    if (sum > k)
      a = x;
    else
      b = x;
    // A Newton step that leaves [a, b] is replaced by halving.
    double step = slope < 0.0 ? (k - sum) / slope : 0.0;
    double next = x + step;
    bool newton = slope < 0.0 && next >= a && next <= b;
    if (!newton)
      next = 0.5 * (a + b);
    // Newton's error after a step is about the square of the step.
    bool done = newton && std::abs(step) <= 1e-9 * std::max(1.0, std::abs(x));
    x = next;
    if (done || b - a <= 1e-13 * std::max(1.0, std::abs(x)))
      break;
  }
  double margin = 2e-12 * std::max(1.0, std::abs(x));
  if (keptAt(std::exp(x - margin)) > k + tolerance &&
      keptAt(std::exp(x + margin)) < k - tolerance) {
    left = x - margin;
    right = x + margin;
  }
  for (int iter = 0; iter < 40; ++iter) {
    double mid = 0.5 * (logLo + logHi);
    bool above = left <= right && mid < left    ? true
                 : left <= right && mid > right ? false
                                                : keptAt(std::exp(mid)) > k;
    if (above)
      logLo = mid;
    else
      logHi = mid;
  }
  return noiseAt(std::exp(0.5 * (logLo + logHi)));
}

double NoiseModel::plan(const Partition &plan) const {
  double noise = 0.0;
  size_t begin = 0;
  for (size_t end : plan) {
    noise += bucket(begin, end);
    begin = end;
  }
  return noise;
}
