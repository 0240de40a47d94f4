//===- HostMemory.cpp - whether a schedule's buffers fit this host --------===//

#include "runtime/HostMemory.h"

#include "kernels/TopK.h"

#include <cstdio>
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

std::string agtf::runtime::checkFitsHostMemory(const fb::Schedule &s, int ranks,
                                               double availableBytes) {
  double needed = hostBytesNeeded(s, ranks);
  if (availableBytes <= 0 || needed <= availableBytes)
    return "";
  char text[200];
  std::snprintf(text, sizeof text,
                "the schedule's buffers need at least %.1f GiB of host memory "
                "and this host has %.1f GiB",
                needed / (1 << 30), availableBytes / (1 << 30));
  return text;
}
