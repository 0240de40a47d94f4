//===- LayoutHash.cpp - model layout hash ---------------------------------===//

#include "runtime/LayoutHash.h"

#include "runtime/Fnv1a.h"

namespace agtf::runtime {

void LayoutHasher::bytes(const char *data, size_t size) {
  hash = fnv1a(data, size, hash);
}

void LayoutHasher::add(const std::string &name, const int64_t *dims,
                       size_t rank) {
  bytes(name.data(), name.size());
  bytes(":", 1);
  for (size_t i = 0; i < rank; ++i) {
    if (i)
      bytes(",", 1);
    std::string d = std::to_string(dims[i]);
    bytes(d.data(), d.size());
  }
  bytes(";", 1);
}

uint64_t layoutHash(const std::vector<std::string> &names,
                    const std::vector<std::vector<int64_t>> &shapes) {
  LayoutHasher h;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::vector<int64_t> *shape =
        i < shapes.size() ? &shapes[i] : nullptr;
    h.add(names[i], shape ? shape->data() : nullptr, shape ? shape->size() : 0);
  }
  return h.value();
}

} // namespace agtf::runtime
