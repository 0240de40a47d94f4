//===- ResidualMeter.h - the gradient energy a selection leaves -*- C++ -*-===//
//
// What a sparsifying compressor actually leaves behind each iteration
// (docs/runtime.md, "Measured residual"): the energy of the accumulated
// gradient (this iteration's gradient plus the residual carried in, what
// the selection chooses from) and the energy not sent, which with error
// feedback is the new residual. Their ratio, per member tensor and over the
// bucket, is averaged over iterations. The accumulated energy is summed in
// the pass that forms the accumulation; what is sent is subtracted entry by
// entry, so the measurement reads each element once and the k sent twice.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_RESIDUALMETER_H
#define AGTF_RUNTIME_RESIDUALMETER_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace agtf::runtime {

class ResidualMeter {
public:
  /// Members by their element counts, in bucket order.
  explicit ResidualMeter(std::vector<int64_t> memberNumel);

  /// acc[i] += add[i] over the bucket (the float sum the compressor would
  /// form, bit for bit), starting an iteration: each member's energy of
  /// the new acc is what it holds, and all of it counts as left until
  /// sent() says otherwise.
  void accumulate(float *acc, const float *add);
  /// Entry `index` went from `before` to `after` (its residual) by being
  /// sent.
  void sent(int64_t index, float before, float after);
  /// Ends the iteration: adds its ratios to the averages.
  void endIteration();
  /// Forgets the iterations so far (the replay's warmup).
  void restart();

  int64_t iterations() const { return count; }
  /// The last iteration's energy left over energy accumulated, bucket-wide
  /// (0 when nothing was accumulated).
  double lastBucketRatio() const { return lastBucket; }
  /// Means over the iterations since the start or restart() (0 before any).
  double meanBucketRatio() const;
  double meanMemberRatio(size_t member) const;
  size_t members() const { return numel.size(); }

private:
  std::vector<int64_t> numel, start;     // start: prefix sums, one per member
  std::vector<double> accumulated, left; // this iteration, per member
  std::vector<double> memberSum;         // sum of ratios, per member
  double bucketSum = 0, lastBucket = 0;
  int64_t count = 0;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_RESIDUALMETER_H
