//===- Translations.h - between gcomm graphs and schedule.bin ---*- C++ -*-===//

#ifndef AGTF_RUNTIME_TRANSLATIONS_TRANSLATIONS_H
#define AGTF_RUNTIME_TRANSLATIONS_TRANSLATIONS_H

namespace agtf {
/// --gcomm-to-schedule: a planned (optionally lowered) gcomm.graph to
/// schedule.bin.
void registerGCommToSchedule();
/// --schedule-to-gcomm: schedule.bin back to a gcomm.graph.
void registerScheduleToGComm();
/// --schedule-to-json: schedule.bin as JSON for people and scripts.
void registerScheduleToJson();
} // namespace agtf

#endif // AGTF_RUNTIME_TRANSLATIONS_TRANSLATIONS_H
