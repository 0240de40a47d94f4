//===- ReferenceModel.h - the models of docs/passes.md, plainly -*- C++ -*-===//
//
// The predicted iteration time and the noise of a plan computed straight
// from the formulas of docs/passes.md ("The models"), one bucket at a time
// and without the production code's prefix sums, max-plus maps, Newton
// steps or bounds, so that the solvers' tests do not check the production
// code against itself. Results agree with the production models up to
// rounding, not bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_TEST_UNIT_REFERENCEMODEL_H
#define AGTF_TEST_UNIT_REFERENCEMODEL_H

#include "passes/cost/NoiseModel.h"

namespace agtf::test {

/// The sparsification (or pack) and communication times of the bucket of
/// tensors [begin, end).
struct ReferenceBucket {
  double sparsifyUs, commUs;
};
ReferenceBucket referenceBucket(const cost::Problem &problem, size_t begin,
                                size_t end);

/// The predicted iteration time T of a plan.
double referenceIterUs(const cost::Problem &problem,
                       const cost::Partition &plan);

/// The noise of the bucket [begin, end) and of a whole plan.
double referenceBucketNoise(const cost::Problem &problem, cost::NoiseKind kind,
                            size_t begin, size_t end);
double referenceNoise(const cost::Problem &problem, cost::NoiseKind kind,
                      const cost::Partition &plan);

/// k_i of docs/passes.md: max(1, ceil(density * numel)), at most numel
/// (numel for a dense tensor).
int64_t referenceKeptCount(const cost::Tensor &t);

/// A tensor's sketch read as docs/passes.md defines it: the fraction of its
/// elements above `theta` (log-linear between points, f0 * theta0 / theta
/// above the first), and the energy that keeping `fraction` of them keeps
/// (linear in log f between points, linear in f below the first).
double referenceFractionAbove(const cost::Tensor &t, double theta);
double referenceEnergyKept(const cost::Tensor &t, double fraction);

} // namespace agtf::test

#endif // AGTF_TEST_UNIT_REFERENCEMODEL_H
