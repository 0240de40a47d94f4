//===- GCommDialect.h - gcomm dialect ---------------------------*- C++ -*-===//

#ifndef AGTF_DIALECT_GCOMMDIALECT_H
#define AGTF_DIALECT_GCOMMDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialect/GCommDialect.h.inc"

#endif // AGTF_DIALECT_GCOMMDIALECT_H
