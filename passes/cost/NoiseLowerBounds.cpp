//===- NoiseLowerBounds.cpp - cheap lower bounds of bucket noise ----------===//

#include "passes/cost/NoiseLowerBounds.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

using namespace agtf::cost;

namespace {
/// Points of the grid: about 0.1 apart in log theta on typical sketches
/// (tightBound refines within them).
constexpr size_t kNumPoints = 256;
} // namespace

NoiseLowerBounds::NoiseLowerBounds(const CostTable &table,
                                   const NoiseModel &noise)
    : table(table), noise(noise) {
  const auto &tensors = table.getProblem().tensors;
  size_t n = tensors.size();
  weights.assign(n + 1, 0.0);
  leastThreshold.assign(n, std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < n; ++i) {
    weights[i + 1] = weights[i] + noise.weight(i);
    for (double v : tensors[i].threshold)
      if (v > 0.0)
        leastThreshold[i] = std::min(leastThreshold[i], v);
  }
  if (!noise.searchesThreshold())
    return;
  double hi = 0.0, lo = std::numeric_limits<double>::infinity();
  for (const Tensor &t : tensors)
    for (double v : t.threshold)
      if (v > 0.0)
        hi = std::max(hi, v), lo = std::min(lo, v);
  if (hi <= 0.0)
    return;
  // The model searches a bucket's threshold between log(least threshold) -
  // 1 and log(largest) + 12 of its members: never wider than this span.
  double span = std::log(hi) + 12.0 - (std::log(lo) - 1.0);
  // Its 40 halvings end within span / 2^40 of any point they pass; the
  // sketch thresholds of NoiseModel's screen allow 2^-38.
  lastHalving = std::ldexp(span, -38);
  // The first point is at or below the start of every bucket's search;
  // the last, at the largest sketch threshold (thresholds above it only
  // keep fewer than f0 theta0 / theta of a member).
  numPoints = kNumPoints;
  first = std::log(lo) - 1.0;
  step = (std::log(hi) + 1.0 - first) / double(numPoints - 1);
  logKept.resize(n);
  for (size_t i = 0; i < n; ++i)
    for (double f : tensors[i].kept)
      logKept[i].push_back(std::log(f));
  kept.assign((n + 1) * numPoints, 0.0);
  residual.assign((n + 1) * numPoints, 0.0);
  for (size_t g = 0; g < numPoints; ++g) {
    double x = first + double(g) * step;
    double theta = std::exp(x), thetaLow = std::exp(x - lastHalving);
    for (size_t i = 0; i < n; ++i) {
      const Tensor &t = tensors[i];
      double k = 0.0, r = 0.0;
      if (!t.kept.empty()) {
        k = double(t.numel) * fractionAbove(t, logKept[i], theta);
        double f = std::min(1.0, fractionAbove(t, logKept[i], thetaLow));
        r = noise.weight(i) * (1.0 - energyKept(t, logKept[i], f));
      }
      kept[g * (n + 1) + i + 1] = kept[g * (n + 1) + i] + k;
      residual[g * (n + 1) + i + 1] = residual[g * (n + 1) + i] + r;
    }
  }
}

void NoiseLowerBounds::row(size_t begin, std::vector<float> &lower) const {
  const auto &tensors = table.getProblem().tensors;
  size_t n = tensors.size();
  lower.assign(n - begin, 0.0f);
  auto store = [&](size_t end, double bound) {
    float rounded = float(std::max(0.0, bound));
    if (double(rounded) > bound)
      rounded = std::nextafter(rounded, 0.0f);
    lower[end - begin - 1] = rounded;
  };
  // A sum of up to n prefix sums' worth of terms, each rounded: the error
  // of a difference of two of them, relative to the largest.
  double rounding = 4.0 * double(n) * DBL_EPSILON;
  size_t stride = n + 1; // between a point's sums and the next point's
  double hi = 0.0, logHi = -std::numeric_limits<double>::infinity();
  size_t g = numPoints / 2;
  for (size_t end = begin + 1; end <= n; ++end) {
    const Tensor &t = tensors[end - 1];
    if (!t.threshold.empty() && t.threshold.front() > hi)
      hi = t.threshold.front(), logHi = std::log(hi);
    if (noise.isQuick(begin, end)) {
      store(end, noise.bucket(begin, end));
      continue;
    }
    double k = double(table.keptIn(begin, end));
    if (numPoints == 0)
      continue;
    // Point h lies below the bucket's threshold, by a margin above the
    // rounding of the sums and of the model's own, and below the top of
    // the model's search, where a threshold above it would stop.
    auto below = [&](size_t h) {
      const double *sums = kept.data() + h * stride;
      return sums[end] - sums[begin] - rounding * sums[n] > k * (1.0 + 1e-9) &&
             first + double(h) * step + lastHalving < logHi + 12.0;
    };
    // The points below form a prefix of the grid.
    if (below(g)) {
      while (g + 1 < numPoints && below(g + 1))
        ++g;
    } else {
      while (g > 0 && !below(g))
        --g;
      // None is: the threshold lies near the start of the bucket's
      // search, which is above the first point.
    }
    const double *sums = residual.data() + g * stride;
    store(end, (sums[end] - sums[begin]) * (1.0 - 1e-10) - rounding * sums[n]);
  }
}

void NoiseLowerBounds::upperRow(size_t begin,
                                std::vector<double> &upper) const {
  const auto &tensors = table.getProblem().tensors;
  size_t n = tensors.size();
  upper.assign(n - begin, 0.0);
  double rounding = 4.0 * double(n) * DBL_EPSILON;
  size_t stride = n + 1;
  size_t g = numPoints / 2;
  double lo = std::numeric_limits<double>::infinity();
  for (size_t end = begin + 1; end <= n; ++end) {
    lo = std::min(lo, leastThreshold[end - 1]);
    double &bound = upper[end - begin - 1];
    if (noise.isQuick(begin, end)) {
      bound = noise.bucket(begin, end);
      continue;
    }
    // No member's residual exceeds its weight (nothing sent).
    bound =
        (weights[end] - weights[begin]) * (1.0 + 1e-10) + rounding * weights[n];
    if (numPoints == 0)
      continue;
    double k = double(table.keptIn(begin, end));
    // Point h lies above the bucket's threshold by a margin above the
    // rounding: the model's search, which ends within a last halving of
    // the threshold (or below it, at the top of its range), ends below h
    // plus that halving.
    auto above = [&](size_t h) {
      const double *sums = kept.data() + h * stride;
      return sums[end] - sums[begin] + rounding * sums[n] < k * (1.0 - 1e-9);
    };
    // The points above form a suffix of the grid; g walks to its first.
    if (above(g)) {
      while (g > 0 && above(g - 1))
        --g;
    } else {
      while (g + 1 < numPoints && !above(g))
        ++g;
      if (!above(g))
        continue;
    }
    // The search starts at log(lo) - 1, where it ends when the threshold
    // lies below that: use no point below the start.
    double start = std::log(lo) - 1.0;
    size_t h =
        std::max(g, size_t(std::max(0.0, std::ceil((start - first) / step))));
    if (h < numPoints && first + double(h) * step < start)
      ++h;
    // The residuals rise with the threshold, and those of the next point
    // (a last halving below it) are at or above those a last halving
    // above h.
    if (h + 1 >= numPoints)
      continue;
    const double *sums = residual.data() + (h + 1) * stride;
    bound = std::min(bound, (sums[end] - sums[begin]) * (1.0 + 1e-10) +
                                rounding * sums[n]);
  }
}

size_t NoiseLowerBounds::lastAbove(size_t begin, size_t end) const {
  size_t stride = table.getProblem().tensors.size() + 1;
  double k = double(table.keptIn(begin, end));
  auto above = [&](size_t h) {
    const double *sums = kept.data() + h * stride;
    return sums[end] - sums[begin] > k;
  };
  if (numPoints == 0 || !above(0))
    return numPoints;
  // The points where the kept sum exceeds k_G form a prefix of the grid.
  size_t lo = 0, hi = numPoints;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    (above(mid) ? lo : hi) = mid;
  }
  return lo;
}

double NoiseLowerBounds::startOfSearch(size_t begin, size_t end) const {
  size_t g = lastAbove(begin, end);
  return g < numPoints ? first + double(g) * step
                       : std::numeric_limits<double>::quiet_NaN();
}

double NoiseLowerBounds::tightBound(size_t begin, size_t end,
                                    double bound) const {
  if (noise.isQuick(begin, end))
    return noise.bucket(begin, end);
  if (numPoints == 0)
    return bound;
  const auto &tensors = table.getProblem().tensors;
  size_t stride = tensors.size() + 1;
  double k = double(table.keptIn(begin, end));
  // The bucket's search range, as the model's.
  double largest = 0.0, smallest = std::numeric_limits<double>::infinity();
  for (size_t i = begin; i < end; ++i)
    for (double v : tensors[i].threshold)
      if (v > 0.0)
        largest = std::max(largest, v), smallest = std::min(smallest, v);
  double logLo = std::log(smallest) - 1.0, logHi = std::log(largest) + 12.0;
  // The kept sum at x, and the residuals at x - lastHalving.
  auto at = [&](double x, double *residualSum) {
    double theta = std::exp(x), thetaLow = std::exp(x - lastHalving);
    double keptSum = 0.0;
    *residualSum = 0.0;
    for (size_t i = begin; i < end; ++i) {
      const Tensor &t = tensors[i];
      keptSum += double(t.numel) * fractionAbove(t, logKept[i], theta);
      double f = std::min(1.0, fractionAbove(t, logKept[i], thetaLow));
      *residualSum += noise.weight(i) * (1.0 - energyKept(t, logKept[i], f));
    }
    return keptSum;
  };
  double residualSum;
  size_t g = lastAbove(begin, end);
  if (g == numPoints) {
    // The threshold is near the start of the search, which it ends above.
    at(logLo, &residualSum);
    return std::max(bound, residualSum * (1.0 - 1e-10));
  }
  // Regula falsi on the log of the kept sum, which falls about linearly in
  // log theta, between the points around the threshold, each pass aiming
  // just below its estimate: the first to find the kept sum above k_G at x
  // (as in row(), that puts the model's threshold above x less its last
  // halving) bounds the noise by the residuals there.
  double a = first + double(g) * step;
  double b = g + 1 < numPoints ? a + step : logHi;
  double keptA = kept[g * stride + end] - kept[g * stride + begin];
  double keptB = g + 1 < numPoints ? kept[(g + 1) * stride + end] -
                                         kept[(g + 1) * stride + begin]
                                   : 0.0;
  for (int pass = 0; pass < 3 && b - a > 1e-6 * step; ++pass) {
    double x = 0.5 * (a + b);
    if (keptB > 0.0 && keptB < k)
      x = a + (b - a) * std::log(keptA / k) / std::log(keptA / keptB);
    // Aim just below the estimate, so that the pass finds a bound.
    x -= 1e-4 * (b - a);
    if (x <= a || x + lastHalving >= logHi)
      break;
    double keptSum = at(x, &residualSum);
    if (keptSum > k * (1.0 + 1e-9))
      return std::max(bound, residualSum * (1.0 - 1e-10));
    b = x, keptB = keptSum;
  }
  return bound;
}
