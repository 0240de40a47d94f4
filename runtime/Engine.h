//===- Engine.h - runs a schedule's buckets beside backprop -----*- C++ -*-===//
//
// DESIGN.md section 8. The engine owns the flat gradient buffer laid out by
// the schedule. The producer (a replayed or a real backward pass) writes a
// tensor's gradient into its slice and calls markReady(tensor). A bucket
// starts once all its tensors are ready, and buckets run in schedule order
// on every rank, never in arrival order, so that all ranks issue the same
// collectives in the same order. Two threads form the pipeline: the
// compression thread (sparsify lane) and the communication thread, the
// only one that calls the communicator (comm lane). synchronize() returns
// when every bucket holds its averaged result; then the optimizer steps.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_ENGINE_H
#define AGTF_RUNTIME_ENGINE_H

#include "runtime/Communicator.h"
#include "runtime/Compressor.h"
#include "runtime/Device.h"
#include "runtime/ScheduleReader.h"
#include "runtime/Trace.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agtf::runtime {

struct EngineOptions {
  /// Seeds DGC's samples and the low-rank start factors; the same on every
  /// rank.
  uint64_t seed = 1;
  /// Recompute every bucket's result from all ranks' inputs and stop the
  /// job on a mismatch beyond rounding (agtf-run --check).
  bool check = false;
  bool trace = false;
  /// Gradients and compression on this device; null: the CPU.
  Device *device = nullptr;
  /// When set (one time per bucket, in microseconds; the CPU only): every
  /// bucket is compressed in beginIteration(), on the caller's thread, and
  /// in the iteration the compression lane takes these times instead, as
  /// backward takes the profile's in the replay (agtf-run --sparsify-time
  /// planned). The bytes sent are the real compressor's. The lane is kept
  /// on the clock, not run: its spans are when each bucket would be done,
  /// and the communication thread waits for that, so that no thread spends
  /// a core on a charged time.
  std::vector<double> chargedSparsifyUs;
};

/// A tensor's place in the flat buffer.
struct TensorSlice {
  std::string name;
  int64_t offset = 0, numel = 0;
  double backwardUs = 0;
  uint32_t bucket = 0;
};

class Engine {
public:
  /// Builds the compressors and starts the threads. Returns null and sets
  /// `error` when the schedule cannot run here.
  static std::unique_ptr<Engine> create(std::shared_ptr<const Schedule> s,
                                        Communicator &comm,
                                        EngineOptions options,
                                        std::string &error);
  ~Engine();

  /// The flat gradient buffer: device memory when the engine has a device.
  float *gradients() { return gradientData; }
  int64_t numel() const { return gradientCount; }
  Device *device() const { return options.device; }
  const std::vector<TensorSlice> &tensors() const { return slices; }
  const std::vector<std::unique_ptr<Compressor>> &compressors() const {
    return buckets;
  }
  Trace &trace() { return timeline; }

  /// Starts an iteration; the previous one must have been synchronized.
  void beginIteration(const IterationInfo &info);
  /// The gradient of `tensor` is in its slice (backprop order or not). On
  /// a device, `producer` is the stream that wrote it (null: the device's
  /// compute stream).
  void markReady(uint32_t tensor, DeviceStream producer = nullptr);
  /// Measured residuals (ResidualMeter) average from the next iteration
  /// on; between iterations only.
  void restartResidualMeasurement();
  /// Waits until every bucket holds the average over ranks. On a device the
  /// host waits for the engine's threads, and `consumer` (null: compute)
  /// waits on the device for the results.
  void synchronize(DeviceStream consumer = nullptr);

private:
  Engine(Communicator &comm) : comm(comm) {}
  void compressLoop();
  void communicateLoop();
  void checkBucket(uint32_t b);
  [[noreturn]] void fail(const std::string &message);

  Communicator &comm;
  EngineOptions options;
  std::vector<float> grads; // on the CPU
  float *gradientData = nullptr;
  int64_t gradientCount = 0;
  std::vector<TensorSlice> slices;
  std::vector<std::unique_ptr<Compressor>> buckets;
  std::vector<int64_t> bucketOffset;
  /// Buckets in the order their collectives appear in the schedule.
  std::vector<uint32_t> order;
  Trace timeline;

  std::mutex mutex;
  std::condition_variable wakeCompress, wakeComm, wakeDriver;
  IterationInfo current;
  bool running = false, stopping = false;
  std::vector<int> pending; // tensors not yet ready, per bucket
  std::vector<char> ready;  // per tensor, this iteration
  size_t compressed = 0;    // buckets compressed (prefix of `order`)
  size_t communicated = 0;  // buckets communicated
  /// With charged sparsification: when each bucket's charged time ends, on
  /// the trace clock (written by the compression thread before it counts
  /// the bucket compressed, read by the communication thread after).
  std::vector<double> chargedEnd;
  std::thread compressThread, commThread;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_ENGINE_H
