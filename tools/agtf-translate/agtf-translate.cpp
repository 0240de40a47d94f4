//===- agtf-translate.cpp - gcomm <-> schedule.bin ------------------------===//
//
// mlir-translate for the gcomm translations, on MLIR's translation
// registry. Its own main rather than MlirTranslateMain, whose output file
// cannot be replaced: the result is written through runtime/OutputFile.h,
// so that -o replaces a file only when it is written whole, leaves a
// device a device, and a failed write names the file.
//
//===----------------------------------------------------------------------===//

#include "runtime/Limits.h"
#include "runtime/NestingDepth.h"
#include "runtime/OutputFile.h"
#include "runtime/translations/Translations.h"
#include "tools/Version.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using agtf::runtime::OutputFile;
namespace cl = llvm::cl;

static int fail(const std::string &message) {
  llvm::errs() << "agtf-translate: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << agtf::versionLine("agtf-translate") << "\n";
  });
  agtf::registerGCommToSchedule();
  agtf::registerScheduleToGComm();
  agtf::registerScheduleToJson();

  cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input file>"),
                                 cl::init("-"));
  cl::opt<std::string> outputFile("o", cl::desc("Output filename"),
                                  cl::value_desc("filename"), cl::init("-"));
  cl::opt<const mlir::Translation *, false, mlir::TranslationParser>
      translation("", cl::desc("Translation to perform"), cl::Required);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerTranslationCLOptions();
  cl::ParseCommandLineOptions(argc, argv,
                              "AGTF translator: gcomm plans and schedule.bin");

  std::string error;
  std::unique_ptr<OutputFile> output =
      OutputFile::open(outputFile, error, OutputFile::Dash::IsStdout);
  if (!output)
    return fail(error);
  std::unique_ptr<llvm::MemoryBuffer> input =
      translation->getInputAlignment()
          ? mlir::openInputFile(inputFile, *translation->getInputAlignment(),
                                &error)
          : mlir::openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  // MLIR's parser recurses per bracket: 10^5 of them exhaust the stack.
  if (std::string deep = agtf::mlirTooDeep(input->getBuffer(), inputFile,
                                           agtf::limits::kMaxNesting);
      !deep.empty())
    return fail(deep);

  // The whole result first: a failed translation leaves the target
  // untouched.
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    mlir::MLIRContext context;
    auto sourceMgr = std::make_shared<llvm::SourceMgr>();
    sourceMgr->AddNewSourceBuffer(std::move(input), llvm::SMLoc());
    mlir::SourceMgrDiagnosticHandler handler(*sourceMgr, &context);
    if (mlir::failed((*translation)(sourceMgr, os, &context)))
      return 1;
  }
  output->write(text);
  if (std::string why = output->commit(); !why.empty())
    return fail(why);
  return 0;
}
