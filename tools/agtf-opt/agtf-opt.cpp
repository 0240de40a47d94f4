//===- agtf-opt.cpp - gcomm optimizer driver ------------------------------===//
//
// mlir-opt for the gcomm dialect: parses, verifies, runs gcomm passes and
// pipelines, and prints the result.
//
//===----------------------------------------------------------------------===//

#include "dialect/GCommDialect.h"
#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  agtf::gcomm::registerGCommPasses();
  agtf::gcomm::registerGCommPipelines();

  mlir::DialectRegistry registry;
  registry.insert<agtf::gcomm::GCommDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "AGTF optimizer: plans gradient communication\n", registry));
}
