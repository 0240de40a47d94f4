//===- GCommOps.h - gcomm operations ----------------------------*- C++ -*-===//

#ifndef AGTF_DIALECT_GCOMMOPS_H
#define AGTF_DIALECT_GCOMMOPS_H

#include "dialect/GCommAttrs.h"
#include "dialect/GCommDialect.h"
#include "dialect/GCommTypes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"

#define GET_OP_CLASSES
#include "dialect/GCommOps.h.inc"

#endif // AGTF_DIALECT_GCOMMOPS_H
