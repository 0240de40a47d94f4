//===- GCommDialect.cpp - gcomm dialect registration ----------------------===//

#include "dialect/GCommDialect.h"
#include "dialect/GCommAttrs.h"
#include "dialect/GCommOps.h"
#include "dialect/GCommTypes.h"

using namespace agtf::gcomm;

#include "dialect/GCommDialect.cpp.inc"

void GCommDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/GCommOps.cpp.inc"
      >();
  registerAttributes();
  registerTypes();
}
