//===- Fnv1a.h - FNV-1a 64 over bytes ---------------------------*- C++ -*-===//
//
// The one byte hash of the project: schedule and layout hashes (part of the
// schedule format), low-rank factor seeds and the parameter checksums the
// ranks compare. Feed a hash back in to continue it over more bytes.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_FNV1A_H
#define AGTF_RUNTIME_FNV1A_H

#include <cstddef>
#include <cstdint>

namespace agtf::runtime {

constexpr uint64_t kFnv1aBasis = 0xcbf29ce484222325ull;

/// FNV-1a 64 (prime 0x100000001b3) of `size` bytes, continuing from `hash`.
inline uint64_t fnv1a(const void *data, size_t size,
                      uint64_t hash = kFnv1aBasis) {
  auto *bytes = static_cast<const unsigned char *>(data);
  for (size_t i = 0; i < size; ++i)
    hash = (hash ^ bytes[i]) * 0x100000001b3ull;
  return hash;
}

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_FNV1A_H
