//===- HostMemory.h - whether a schedule's buffers fit this host -*- C++
//-*-===//
//
// A schedule passes the reader with up to 2^48 elements; allocating them
// would end each rank in std::bad_alloc, or in the kernel's OOM killer.
// Before any buffer is made, agtf-run compares a lower bound of what the
// engine allocates with what the process may allocate.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_HOSTMEMORY_H
#define AGTF_RUNTIME_HOSTMEMORY_H

#include "runtime/Schedule_generated.h"

#include <cstdint>
#include <string>

namespace agtf::runtime {

/// Bytes the engine allocates at least for `schedule` on `ranks` ranks: the
/// flat gradient, the parameters and the drawn gradients (4 bytes each per
/// element), and per compressed bucket its residual and the gathered
/// selections of every rank.
double hostBytesNeeded(const fb::Schedule &schedule, int ranks);

/// The host's physical memory in bytes (0 when unknown).
double physicalMemoryBytes();

/// What this process may still allocate, in bytes: the least of the host's
/// physical memory, what its address-space and data limits (ulimit -v, -d)
/// leave above its current size, and its cgroup's memory limit (v1 or v2).
/// 0 when none is known.
double usableMemoryBytes();

/// "" when hostBytesNeeded fits in `availableBytes` (0: unknown, not
/// checked), else a message with both sizes.
std::string checkFitsHostMemory(const fb::Schedule &schedule, int ranks,
                                double availableBytes);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_HOSTMEMORY_H
