//===- agtf-opt.cpp - gcomm optimizer driver ------------------------------===//
//
// mlir-opt for the gcomm dialect: parses, verifies, runs gcomm passes and
// pipelines, and prints the result. The result is written through
// runtime/OutputFile.h rather than MLIR's output file, so that -o replaces a
// file only when it is written whole, leaves a device a device, and a
// failed write names the file.
//
//===----------------------------------------------------------------------===//

#include "dialect/GCommDialect.h"
#include "passes/Passes.h"
#include "runtime/Limits.h"
#include "runtime/NestingDepth.h"
#include "runtime/OutputFile.h"
#include "tools/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

using agtf::runtime::OutputFile;

static int fail(const std::string &message) {
  llvm::errs() << "agtf-opt: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
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
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv, "AGTF optimizer: plans gradient communication\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // --show-dialects prints the list and opens no file.
  if (config.shouldShowDialects())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));

  std::string error;
  std::unique_ptr<OutputFile> output =
      OutputFile::open(outputFile, error, OutputFile::Dash::IsStdout);
  if (!output)
    return fail(error);
  if (inputFile == "-" &&
      llvm::sys::Process::FileDescriptorIsDisplayed(fileno(stdin)))
    llvm::errs() << "(processing input from stdin now, hit ctrl-c/ctrl-d to "
                    "interrupt)\n";
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  // MLIR's parser recurses per bracket: 10^5 of them exhaust the stack.
  if (std::string deep = agtf::mlirTooDeep(input->getBuffer(), inputFile,
                                           agtf::limits::kMaxNesting);
      !deep.empty())
    return fail(deep);
  // The whole result first: a failed pass leaves the target untouched.
  std::string text;
  llvm::raw_string_ostream os(text);
  if (mlir::failed(mlir::MlirOptMain(os, std::move(input), registry, config)))
    return 1;
  output->write(text);
  if (std::string why = output->commit(); !why.empty())
    return fail(why);
  return 0;
}
