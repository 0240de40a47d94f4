//===- Fit.cpp - least-squares fits of the cost model's forms -------------===//

#include "Fit.h"

#include <algorithm>
#include <cmath>

using namespace agtf::profile;

namespace {
/// Fills the error fields of `fit` for T = a·A + b·B·x.
void measureErrors(const std::vector<Sample> &samples, double A, double B,
                   Fit &fit) {
  double sum = 0, worst = 0;
  int n = 0;
  for (const Sample &s : samples) {
    if (s.us <= 0)
      continue;
    double e = std::fabs(fit.a * A + fit.b * B * s.x - s.us) / s.us;
    worst = std::max(worst, e);
    sum += e * e;
    ++n;
  }
  fit.maxRelError = worst;
  fit.rmsRelError = n ? std::sqrt(sum / n) : 0;
}
} // namespace

Fit agtf::profile::fitCost(const std::vector<Sample> &samples, double A,
                           double B) {
  // Normal equations of sum w (a·u + b·v - T)^2 with u = A, v = B·x and
  // w = 1/T^2.
  double suu = 0, suv = 0, svv = 0, sut = 0, svt = 0;
  for (const Sample &s : samples) {
    if (s.us <= 0)
      continue;
    double w = 1.0 / (s.us * s.us), u = A, v = B * s.x;
    suu += w * u * u;
    suv += w * u * v;
    svv += w * v * v;
    sut += w * u * s.us;
    svt += w * v * s.us;
  }
  Fit fit;
  double det = suu * svv - suv * suv;
  if (det > 1e-12 * suu * svv) {
    fit.a = (sut * svv - svt * suv) / det;
    fit.b = (suu * svt - suv * sut) / det;
  } else {
    fit.a = fit.b = -1; // degenerate: one size; fall back to one constant
  }
  if (fit.a < 0 || fit.b < 0) {
    // The best fit with one constant at zero: keep the better of the two.
    Fit onlyA, onlyB;
    onlyA.a = suu > 0 ? std::max(0.0, sut / suu) : 0;
    onlyB.b = svv > 0 ? std::max(0.0, svt / svv) : 0;
    measureErrors(samples, A, B, onlyA);
    measureErrors(samples, A, B, onlyB);
    fit = onlyA.rmsRelError <= onlyB.rmsRelError ? onlyA : onlyB;
  }
  measureErrors(samples, A, B, fit);
  return fit;
}

Fit agtf::profile::fitSlope(const std::vector<Sample> &samples) {
  double svv = 0, svt = 0;
  for (const Sample &s : samples) {
    if (s.us <= 0)
      continue;
    double w = 1.0 / (s.us * s.us);
    svv += w * s.x * s.x;
    svt += w * s.x * s.us;
  }
  Fit fit;
  fit.b = svv > 0 ? std::max(0.0, svt / svv) : 0;
  measureErrors(samples, 1, 1, fit);
  return fit;
}

std::vector<double>
agtf::profile::nonDecreasing(const std::vector<double> &times,
                             const std::vector<double> &weights) {
  struct Block {
    double logSum, weight;
    size_t count, first;
  };
  std::vector<Block> blocks;
  for (size_t i = 0; i < times.size(); ++i) {
    double w = weights[i] > 0 ? weights[i] : 1.0;
    blocks.push_back({w * std::log(times[i]), w, 1, i});
    // Merge backwards while the last block's mean is below the one before.
    while (blocks.size() > 1) {
      Block &last = blocks.back(), &before = blocks[blocks.size() - 2];
      if (before.logSum / before.weight <= last.logSum / last.weight)
        break;
      before.logSum += last.logSum;
      before.weight += last.weight;
      before.count += last.count;
      blocks.pop_back();
    }
  }
  std::vector<double> out;
  // A point that pooled with none keeps its time exactly.
  for (const Block &b : blocks)
    out.insert(out.end(), b.count,
               b.count == 1 ? times[b.first] : std::exp(b.logSum / b.weight));
  return out;
}
