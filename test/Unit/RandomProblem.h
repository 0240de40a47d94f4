//===- RandomProblem.h - random merge problems for the tests ----*- C++ -*-===//

#ifndef AGTF_TEST_UNIT_RANDOMPROBLEM_H
#define AGTF_TEST_UNIT_RANDOMPROBLEM_H

#include "passes/cost/Problem.h"

#include <random>

namespace agtf::test {

/// `n` tensors with sizes from 1 to 1e6 elements, a quarter of them dense,
/// under random cluster constants and a sparse method among top-k, sampled
/// top-k and gTop-k; with `sketches`, power-law magnitude sketches.
cost::Problem randomProblem(std::mt19937 &rng, size_t n,
                            cost::Timeline timeline, bool sketches);

/// `n` tensors for the relative noise model: sizes from 1 to 1e6 elements,
/// densities from 1e-3.5 to dense, sketches from flat to steep, some with a
/// plateau (repeated thresholds) or mostly zero magnitudes (zero
/// thresholds).
cost::Problem randomSketchedProblem(std::mt19937 &rng, size_t n);

/// `count` random problems of 1 to `maxTensors` tensors from `seed`,
/// alternating between the serial and the stream timeline.
std::vector<cost::Problem> randomProblems(unsigned seed, int count,
                                          size_t maxTensors, bool sketches);

/// Every partition of n >= 1 tensors into contiguous buckets (the ends of
/// its buckets), for brute force.
std::vector<cost::Partition> allPartitions(size_t n);

} // namespace agtf::test

#endif // AGTF_TEST_UNIT_RANDOMPROBLEM_H
