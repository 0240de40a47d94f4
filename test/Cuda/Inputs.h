//===- Inputs.h - inputs for the GPU kernel tests ---------------*- C++ -*-===//

#ifndef AGTF_TEST_CUDA_INPUTS_H
#define AGTF_TEST_CUDA_INPUTS_H

#include <cstdint>
#include <vector>

namespace agtf::test {

/// (2u - 1) / sqrt(v), u and v uniform: symmetric with tails like |x|^-3,
/// heavier than a normal, like real gradients; fast enough for 10^8.
std::vector<float> heavyTailed(int64_t n, uint64_t seed);

/// x rounded to multiples of `step`: many exact ties of magnitude, of
/// both signs.
std::vector<float> withTies(std::vector<float> x, float step);

/// Uniform in [0, 1): one octave holds half the values, so the radix
/// selection's chosen digit holds many candidates.
std::vector<float> uniform(int64_t n, uint64_t seed);

} // namespace agtf::test

#endif // AGTF_TEST_CUDA_INPUTS_H
