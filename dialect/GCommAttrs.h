//===- GCommAttrs.h - gcomm attributes --------------------------*- C++ -*-===//

#ifndef AGTF_DIALECT_GCOMMATTRS_H
#define AGTF_DIALECT_GCOMMATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/APFloat.h"

#include <string>

#include "dialect/GCommEnums.h.inc"

#include "dialect/GCommAttrInterfaces.h.inc"

namespace agtf::gcomm {
/// Shortest decimal that reads back as `value`, as diagnostics print it.
std::string formatF64(double value);

// Parameter parsers and printers used by the generated attribute code.
mlir::FailureOr<llvm::APFloat> parseF64Param(mlir::AsmParser &parser);
void printF64Param(mlir::AsmPrinter &printer, const llvm::APFloat &value);
mlir::FailureOr<mlir::DenseF64ArrayAttr>
parseF64ArrayParam(mlir::AsmParser &parser);
void printF64ArrayParam(mlir::AsmPrinter &printer,
                        mlir::DenseF64ArrayAttr value);
} // namespace agtf::gcomm

#define GET_ATTRDEF_CLASSES
#include "dialect/GCommAttrs.h.inc"

#endif // AGTF_DIALECT_GCOMMATTRS_H
