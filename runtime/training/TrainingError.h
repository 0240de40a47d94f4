//===- TrainingError.h - what the training library throws -------*- C++ -*-===//
//
// A problem the training library names itself (a data set it cannot read,
// a model that does not fit the data); LibTorch's own errors pass as they
// are.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_TRAININGERROR_H
#define AGTF_RUNTIME_TRAINING_TRAININGERROR_H

#include <stdexcept>

namespace agtf::runtime {

struct TrainingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRAINING_TRAININGERROR_H
