//===- agtf-translate.cpp - gcomm <-> schedule.bin ------------------------===//

#include "Translations.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  agtf::registerGCommToSchedule();
  agtf::registerScheduleToGComm();
  agtf::registerScheduleToJson();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "AGTF translator: gcomm plans and schedule.bin"));
}
