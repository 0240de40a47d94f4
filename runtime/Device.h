//===- Device.h - where the gradients and the kernels live ------*- C++ -*-===//
//
// DESIGN.md section 8. The engine runs on the CPU (host buffers, the
// compression and communication threads compute themselves) unless it is
// given a Device. A device owns the gradient buffer and three streams:
// compute (the producer's gradients and the optimizer step), compression
// and communication. The engine's threads issue work on their stream and
// order it with events, so neither waits for the other on the host and
// the compute stream is never blocked by compression or communication:
//   markReady(t)     event after tensor t's gradient on the compute stream
//                    (or on the producer's stream, LibTorch's current one)
//   compress(b)      compression stream waits for b's tensors (and for b's
//                    previous communication), runs b's kernels, records
//   communicate(b)   communication stream waits for that, runs the
//                    collectives and the decompression, records
//   synchronize()    the compute stream (or the consumer's) waits for the
//                    last bucket
// The interface is plain C++ so that the engine builds without CUDA.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_DEVICE_H
#define AGTF_RUNTIME_DEVICE_H

#include "runtime/Compressor.h"

#include "kernels/DeviceSelection.h"

#include <cstdint>
#include <memory>
#include <string>

namespace agtf::runtime {

/// A stream of the caller's (cudaStream_t), for the hooks below; null means
/// the device's compute stream.
using DeviceStream = kernels::DeviceStream;

class Device {
public:
  virtual ~Device();

  /// For messages: "cuda:0 (NVIDIA H100 ...), nccl".
  virtual std::string describe() const = 0;
  /// Its index among the host's devices (LibTorch's cuda:N).
  virtual int index() const = 0;
  /// Makes the calling thread's calls go to this device. The engine's
  /// threads call it first: a new thread starts on device 0, which is
  /// another rank's on a host with several GPUs.
  virtual void bindThread() = 0;
  /// Makes the compute stream LibTorch's default stream, on which autograd
  /// writes the gradients and the optimizer steps, so that markReady's
  /// event follows a hook's copy and the step follows the last bucket.
  /// Call before the engine is created.
  virtual void computeOnLibTorchStream() = 0;

  /// Zeroed device memory for `count` floats, owned by the device.
  virtual float *allocate(int64_t count) = 0;
  /// Synchronous copies between host and device memory; download waits for
  /// every stream first.
  virtual void upload(float *device, const float *host, int64_t count) = 0;
  virtual void download(float *host, const float *device, int64_t count) = 0;

  /// Producer side, on the compute stream.
  virtual void copyOnCompute(float *to, const float *from, int64_t count) = 0;
  /// params -= lr * grads, on the compute stream.
  virtual void sgdStepOnCompute(float *params, const float *grads,
                                int64_t count, float lr) = 0;
  /// The host waits for the compute stream.
  virtual void waitForCompute() = 0;

  /// Engine hooks (see the file comment). `tensors` and `buckets` size
  /// the events.
  virtual void prepare(uint32_t tensors, uint32_t buckets) = 0;
  /// `producer`: the stream that wrote the gradient (null: compute). A
  /// training loop on a side stream of LibTorch's passes it, so that the
  /// compression waits for that stream and not for one it never used.
  virtual void tensorReady(uint32_t tensor, DeviceStream producer) = 0;
  virtual void beforeCompress(uint32_t bucket, uint32_t firstTensor,
                              uint32_t tensorCount) = 0;
  virtual void afterCompress(uint32_t bucket) = 0;
  virtual void beforeCommunicate(uint32_t bucket) = 0;
  virtual void afterCommunicate(uint32_t bucket) = 0;
  /// `consumer` (null: compute) waits on the device for every bucket.
  virtual void joinCommunication(uint32_t lastBucket,
                                 DeviceStream consumer) = 0;

  /// The compressor of `info` on this device.
  virtual std::unique_ptr<Compressor>
  makeCompressor(BucketInfo info, int rank, int size, uint64_t seed) = 0;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_DEVICE_H
