//===- TrainingLog.h - what a training run records per epoch ----*- C++ -*-===//
//
// Rank 0's record of a run: a progress line on stderr, redrawn in place on
// a terminal and one line per epoch otherwise, and the --log file, one
// JSON object a line or CSV when the name ends in .csv (docs/training.md).
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_TRAININGLOG_H
#define AGTF_RUNTIME_TRAINING_TRAININGLOG_H

#include "runtime/Json.h"
#include "runtime/OutputFile.h"

#include <cstdint>
#include <memory>
#include <string>

namespace agtf::runtime {

struct EpochRecord {
  double loss = 0, accuracy = 0, samplesPerS = 0, seconds = 0;
};

class Progress {
public:
  /// `show`: whether this rank reports at all.
  explicit Progress(bool show);
  /// Whether update() draws: only then is the running loss worth reading
  /// back from a GPU, which waits for the step.
  bool drawing() const { return tty; }
  void update(int64_t epoch, int64_t epochs, int64_t step, int64_t steps,
              double loss, double samplesPerS);
  void epochDone(int64_t epoch, int64_t epochs, const EpochRecord &r);

private:
  bool show, tty;
};

/// The --log file, written through an OutputFile: its records go to the
/// temporary beside it as the epochs end, and it takes its name when the
/// run finishes; a failed run leaves none.
class TrainingLog {
public:
  /// "" writes nothing. Throws TrainingError when `path` cannot be opened.
  explicit TrainingLog(const std::string &path);
  /// Throws TrainingError when the record cannot be written.
  void add(int64_t epoch, const EpochRecord &r);
  /// Gives the file its name; throws TrainingError when that fails.
  void finish();

private:
  void write(const std::string &text);

  std::string path;
  bool csv = false;
  std::unique_ptr<OutputFile> out;
  JsonOutput json;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRAINING_TRAININGLOG_H
