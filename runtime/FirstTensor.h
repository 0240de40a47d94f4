//===- FirstTensor.h - the tensor a model's forward returned ----*- C++ -*-===//
//
// TorchScript models may return a tensor, a tuple or a list (auxiliary
// outputs); the tools take the first tensor, depth first, as the logits.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_FIRSTTENSOR_H
#define AGTF_RUNTIME_FIRSTTENSOR_H

#include <ATen/core/ivalue.h>

namespace agtf::runtime {

/// The first tensor in a (possibly nested) forward output; undefined if
/// there is none.
inline at::Tensor firstTensor(const c10::IValue &value) {
  if (value.isTensor())
    return value.toTensor();
  if (value.isTuple())
    for (const c10::IValue &element : value.toTupleRef().elements())
      if (at::Tensor t = firstTensor(element); t.defined())
        return t;
  if (value.isList())
    for (const c10::IValue &element : value.toListRef())
      if (at::Tensor t = firstTensor(element); t.defined())
        return t;
  return at::Tensor();
}

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_FIRSTTENSOR_H
