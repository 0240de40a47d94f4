//===- Fit.h - least-squares fits of the cost model's forms -----*- C++ -*-===//
//
// Every measured cost has the form T(x) = a·A + b·B·x (DESIGN.md section 4):
// x is a message's bytes or a tensor's elements, A and B the model's
// multipliers for P ranks (ring allreduce: A = 2(P-1), B = 2(P-1)/P), and a,
// b >= 0 the constants the passes read (alpha and beta, or s0 and s1).
// Weighted by 1/T^2, the fit minimises the relative error, so microsecond
// messages count as much as megabyte ones.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TOOLS_AGTFPROFILE_FIT_H
#define AGTF_TOOLS_AGTFPROFILE_FIT_H

#include <vector>

namespace agtf::profile {

/// One measurement: size x (bytes or elements) and time in microseconds.
struct Sample {
  double x = 0;
  double us = 0;
};

struct Fit {
  double a = 0; // alpha_us or s0
  double b = 0; // beta_us_per_byte or s1 (per element)
  /// Relative error |model - measured| / measured over the samples.
  double maxRelError = 0;
  double rmsRelError = 0;
};

/// Fits T = a·A + b·B·x with a, b >= 0 (a clamped to 0 refits b alone, and
/// the other way round). Samples with T <= 0 are skipped.
Fit fitCost(const std::vector<Sample> &samples, double A, double B);

/// Fits T = b·x (no constant term), b >= 0.
Fit fitSlope(const std::vector<Sample> &samples);

/// The non-decreasing sequence closest to `times` (> 0, in order of size)
/// in weighted least squares of log time: pool-adjacent-violators, a
/// pooled block taking the weighted geometric mean of its times. A larger
/// message or tensor never costs less; a traced point that does is noise (a
/// stalled rank, a busy host), and the planner's log-log interpolation
/// would otherwise price a larger bucket cheaper.
std::vector<double> nonDecreasing(const std::vector<double> &times,
                                  const std::vector<double> &weights);

} // namespace agtf::profile

#endif // AGTF_TOOLS_AGTFPROFILE_FIT_H
