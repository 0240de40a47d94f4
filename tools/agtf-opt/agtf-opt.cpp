//===- agtf-opt.cpp - gcomm optimizer driver ------------------------------===//
//
// mlir-opt for the gcomm dialect: parses, verifies, runs gcomm passes and
// pipelines, and prints the result.
//
//===----------------------------------------------------------------------===//

#include "dialect/GCommDialect.h"
#include "passes/Passes.h"
#include "tools/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"

int main(int argc, char **argv) {
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << agtf::versionLine("agtf-opt") << "\n";
  });
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
