//===- TrainingLog.cpp - what a training run records per epoch ------------===//

#include "runtime/training/TrainingLog.h"

#include "runtime/Diagnostics.h"
#include "runtime/training/TrainingError.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace agtf::runtime;

Progress::Progress(bool show) : show(show), tty(show && isatty(2)) {}

void Progress::update(int64_t epoch, int64_t epochs, int64_t step,
                      int64_t steps, double loss, double samplesPerS) {
  if (!tty)
    return;
  int width = 30, filled = int(width * step / std::max<int64_t>(steps, 1));
  std::fprintf(stderr,
               "\repoch %lld/%lld [%s%s] %lld/%lld loss %.4f %.0f "
               "samples/s ",
               (long long)epoch + 1, (long long)epochs,
               std::string(size_t(filled), '#').c_str(),
               std::string(size_t(width - filled), ' ').c_str(),
               (long long)step, (long long)steps, loss, samplesPerS);
  std::fflush(stderr);
}

void Progress::epochDone(int64_t epoch, int64_t epochs, const EpochRecord &r) {
  if (!show)
    return;
  std::fprintf(stderr,
               "%sepoch %lld/%lld: train loss %.4f, test accuracy %.2f%%, "
               "%.0f samples/s, %.1f s\n",
               tty ? "\r\033[K" : "", (long long)epoch + 1, (long long)epochs,
               r.loss, 100 * r.accuracy, r.samplesPerS, r.seconds);
}

TrainingLog::TrainingLog(const std::string &path)
    : path(path), json(programName(), "the log '" + path + "'") {
  if (path.empty())
    return;
  csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  std::string error;
  out = OutputFile::open(path, error);
  if (!out)
    throw TrainingError(error);
  if (csv)
    write("epoch,train_loss,test_accuracy,samples_per_s,seconds\n");
}

void TrainingLog::write(const std::string &text) {
  if (!out->write(text))
    throw TrainingError(out->error());
}

void TrainingLog::add(int64_t epoch, const EpochRecord &r) {
  if (path.empty())
    return;
  if (csv) {
    char line[256];
    std::snprintf(line, sizeof(line), "%lld,%.6f,%.6f,%.1f,%.3f\n",
                  (long long)epoch + 1, r.loss, r.accuracy, r.samplesPerS,
                  r.seconds);
    write(line);
    return;
  }
  // One JSON object a line, with the CSV's digits.
  write(json.text({{"epoch", epoch + 1},
                   {"train_loss", roundToDecimals(r.loss, 6)},
                   {"test_accuracy", roundToDecimals(r.accuracy, 6)},
                   {"samples_per_s", roundToDecimals(r.samplesPerS, 1)},
                   {"seconds", roundToDecimals(r.seconds, 3)}}));
}

void TrainingLog::finish() {
  if (path.empty())
    return;
  if (std::string error = out->commit(); !error.empty())
    throw TrainingError(error);
}
