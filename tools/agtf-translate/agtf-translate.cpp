//===- agtf-translate.cpp - gcomm <-> schedule.bin ------------------------===//

#include "runtime/translations/Translations.h"

#include "tools/Version.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/CommandLine.h"

int main(int argc, char **argv) {
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << agtf::versionLine("agtf-translate") << "\n";
  });
  agtf::registerGCommToSchedule();
  agtf::registerScheduleToGComm();
  agtf::registerScheduleToJson();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "AGTF translator: gcomm plans and schedule.bin"));
}
