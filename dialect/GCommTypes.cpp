//===- GCommTypes.cpp - gcomm types ---------------------------------------===//

#include "dialect/GCommTypes.h"
#include "dialect/GCommDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace agtf::gcomm;

#define GET_TYPEDEF_CLASSES
#include "dialect/GCommTypes.cpp.inc"

void GCommDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialect/GCommTypes.cpp.inc"
      >();
}
