//===- GCommTypes.h - gcomm types -------------------------------*- C++ -*-===//

#ifndef AGTF_DIALECT_GCOMMTYPES_H
#define AGTF_DIALECT_GCOMMTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "dialect/GCommTypes.h.inc"

#endif // AGTF_DIALECT_GCOMMTYPES_H
