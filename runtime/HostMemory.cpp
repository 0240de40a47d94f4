//===- HostMemory.cpp - whether a schedule's buffers fit this host --------===//

#include "runtime/HostMemory.h"

#include "kernels/TopK.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

using namespace agtf;
using namespace agtf::runtime;

double agtf::runtime::hostBytesNeeded(const fb::Schedule &s, int ranks) {
  double elements = 0, bytes = 0;
  for (const fb::Tensor *t : *s.tensors())
    elements += double(t->numel());
  bytes += 3 * 4 * elements;
  for (const fb::Bucket *b : *s.buckets()) {
    const fb::Compression *c = b->compression();
    if (c->kind() == fb::CompressionKind::dense ||
        c->kind() == fb::CompressionKind::lowrank)
      continue;
    int64_t n = 0;
    for (uint32_t t = b->first_tensor();
         t < b->first_tensor() + b->tensor_count(); ++t)
      n += s.tensors()->Get(t)->numel();
    // The residual, and every rank's values and int32 indices.
    bytes += 4 * double(n) +
             double(ranks) * 8 * double(kernels::topKCount(n, c->density()));
  }
  return bytes;
}

double agtf::runtime::physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? double(pages) * double(size) : 0.0;
}

namespace {
/// The memory limit of this process's cgroup, or 0: v1's
/// memory.limit_in_bytes or v2's memory.max under /sys/fs/cgroup.
double cgroupLimitBytes() {
  std::ifstream groups("/proc/self/cgroup");
  for (std::string line; std::getline(groups, line);) {
    // "ID:CONTROLLERS:PATH"; v2 has ID 0 and no controllers.
    size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos)
      continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1), file;
    if (controllers == "memory")
      file = "/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes";
    else if (controllers.empty())
      file = "/sys/fs/cgroup" + path + "/memory.max";
    else
      continue;
    std::ifstream in(file);
    double limit = 0;
    if (in >> limit && limit > 0 && limit < 1e18) // "max", or v1's huge value
      return limit;
  }
  return 0;
}

/// This process's virtual size in bytes (/proc/self/statm), or 0.
double virtualSizeBytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0;
  long size = sysconf(_SC_PAGE_SIZE);
  return statm >> pages && size > 0 ? pages * double(size) : 0.0;
}
} // namespace

double agtf::runtime::usableMemoryBytes() {
  double usable = physicalMemoryBytes();
  auto least = [&](double bytes) {
    if (bytes > 0 && (usable <= 0 || bytes < usable))
      usable = bytes;
  };
  for (int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit limit;
    if (getrlimit(resource, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
      least(std::max(double(limit.rlim_cur) - virtualSizeBytes(), 1.0));
  }
  least(cgroupLimitBytes());
  return usable;
}

std::string agtf::runtime::checkFitsHostMemory(const fb::Schedule &s, int ranks,
                                               double availableBytes) {
  double needed = hostBytesNeeded(s, ranks);
  if (availableBytes <= 0 || needed <= availableBytes)
    return "";
  char text[200];
  std::snprintf(text, sizeof text,
                "the schedule's buffers need at least %.1f GiB of host memory "
                "and this process may allocate %.1f GiB",
                needed / (1 << 30), availableBytes / (1 << 30));
  return text;
}
