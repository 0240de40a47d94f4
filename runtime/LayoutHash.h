//===- LayoutHash.h - model layout hash -------------------------*- C++ -*-===//
//
// The hash that ties a schedule to a model's gradient layout. Shared by the
// compiler (which writes it) and the runtime (which checks it); depends on
// nothing but the standard library.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_LAYOUTHASH_H
#define AGTF_RUNTIME_LAYOUTHASH_H

#include <cstdint>
#include <string>
#include <vector>

namespace agtf::runtime {

/// FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over
/// the bytes of "name:d0,d1,...;" for every tensor in order, dimensions in
/// decimal. A scalar contributes "name:;". Stable across platforms and
/// releases: changing it is a schedule format change.
uint64_t layoutHash(const std::vector<std::string> &names,
                    const std::vector<std::vector<int64_t>> &shapes);

/// The same hash, fed one tensor at a time.
class LayoutHasher {
public:
  void add(const std::string &name, const int64_t *dims, size_t rank);
  uint64_t value() const { return hash; }

private:
  void bytes(const char *data, size_t size);
  uint64_t hash = 0xcbf29ce484222325ull; // FNV-1a's offset basis
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_LAYOUTHASH_H
