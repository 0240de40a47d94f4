//===- ReadFloor.h - the floor of a selection's time ------------*- C++ -*-===//

#ifndef AGTF_BENCH_KERNELS_READFLOOR_H
#define AGTF_BENCH_KERNELS_READFLOOR_H

#include <cstdint>

/// Reads x[0, n) once (16-byte loads, summed into a sink): no selection can
/// take less time.
void readOnce(const float *x, int64_t n);
/// Heavy-tailed values (Student's t-like) on the device, by hash of (seed,
/// i), so 10^8 values need no host copy.
void fillHeavyTailedOnDevice(float *x, int64_t n, uint64_t seed);

#endif // AGTF_BENCH_KERNELS_READFLOOR_H
