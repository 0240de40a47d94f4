//===- Trainer.h - drives the engine from a LibTorch training loop -*- C++
//-*-===//
//
// DESIGN.md section 8, LibTorch training. A Trainer ties a schedule to a
// model's parameters: it checks that the schedule was made for this model
// (names and shapes in the schedule's tensor order, the layout hash), owns
// the engine, and installs an autograd hook on every parameter that copies
// the gradient into the engine's flat buffer and marks it ready as backward
// produces it, so that buckets compress and communicate while backward
// continues. A step is:
//
//   trainer.beginStep(epoch);
//   loss.backward();          // hooks feed the engine
//   trainer.synchronize();    // p.grad now holds the average over ranks
//   optimizer.step();         // e.g. agtf::runtime::Sgd
//
// On a GPU the parameters are on cuda:N, the engine's device is that GPU,
// and the engine's compute stream is LibTorch's default stream: the hooks'
// copies, the buckets and the step are ordered on the device, and the host
// never waits for them (docs/training.md).
//
// LibTorch reports errors by exceptions; code that includes this header is
// compiled with -fexceptions (never MLIR code). docs/training.md.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TRAINING_TRAINER_H
#define AGTF_RUNTIME_TRAINING_TRAINER_H

#include "runtime/Engine.h"

#include <torch/script.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace agtf::runtime {

/// A schedule that does not fit the model, or a misuse of the step protocol.
struct TrainerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct NamedParameter {
  std::string name;
  at::Tensor value;
};

struct TrainerOptions {
  /// The engine's seed (DGC samples, low-rank start factors).
  uint64_t seed = 1;
  bool trace = false;
  /// Names used in messages.
  std::string scheduleLabel = "the schedule";
  std::string modelLabel = "the model";
  /// Trainer::open only: an MPI call waiting longer ends the job (0: never).
  double timeoutSeconds = 120;
  /// The constructors: the GPU that holds the parameters, with its
  /// collectives (runtime/DeviceChoice.h); null for parameters on the CPU.
  /// Trainer::open makes it itself when the parameters are on a GPU.
  Device *device = nullptr;
  /// Trainer::open on a GPU: the collectives' backend, "nccl" (one GPU per
  /// rank) or "mpi" (several ranks may share a GPU).
  std::string backend = "nccl";
};

/// The trainable parameters of `module` as Python's named_parameters()
/// lists them, a tied parameter once (what agtf-import profiles).
std::vector<NamedParameter>
trainableParameters(const torch::jit::Module &module);

/// "" when `params` are exactly the schedule's tensors (names and shapes,
/// order free), else one sentence naming the first difference, e.g.
/// "s.bin was made for another model: tensor 'fc1.weight' is 120x256 in the
/// schedule, 84x120 in m.pt".
std::string checkLayout(const Schedule &schedule,
                        const std::vector<NamedParameter> &params,
                        const std::string &scheduleLabel,
                        const std::string &modelLabel);

class Trainer {
public:
  /// For drivers that own the communicator and ran the startup agreement.
  /// Throws TrainerError when the schedule does not fit `params`.
  Trainer(std::shared_ptr<const Schedule> schedule, Communicator &comm,
          std::vector<NamedParameter> params, TrainerOptions options = {});
  Trainer(std::shared_ptr<const Schedule> schedule, Communicator &comm,
          const torch::jit::Module &module, TrainerOptions options = {});
  /// For user programs: reads `schedulePath`, starts MPI (one rank without
  /// MPI), runs the startup agreement and checks the model. Throws
  /// TrainerError with the message every rank should print.
  static std::unique_ptr<Trainer> open(const std::string &schedulePath,
                                       const torch::jit::Module &module,
                                       TrainerOptions options = {});
  /// The same for parameters that are not a TorchScript module's, e.g. a
  /// torch::nn::Module's, named as in the model agtf-import profiled.
  /// Parameters on cuda:N train on that GPU (move the model there first).
  static std::unique_ptr<Trainer> open(const std::string &schedulePath,
                                       std::vector<NamedParameter> params,
                                       TrainerOptions options = {});
  ~Trainer();
  Trainer(const Trainer &) = delete;
  Trainer &operator=(const Trainer &) = delete;

  /// Starts an iteration; `epoch` drives DGC's density warmup (negative:
  /// warmup over). Call before backward.
  void beginStep(int64_t epoch = -1);
  /// Waits for every bucket and writes the averaged gradients into p.grad.
  /// A parameter that got no gradient this step contributes zeros.
  void synchronize();

  /// The parameters in the schedule's tensor order (backprop order).
  const std::vector<NamedParameter> &parameters() const { return params; }
  /// Whether tensor `i`'s bucket applies momentum itself (DGC's momentum
  /// correction): the optimizer must not add its own.
  bool momentumInCompressor(size_t i) const { return dgc[i]; }
  /// The tensors in the order their hooks fired in the last step.
  const std::vector<uint32_t> &readyOrder() const { return order; }
  int64_t steps() const { return iteration; }

  Engine &engine() { return *eng; }
  Communicator &communicator() { return *comm; }
  int rank() const { return comm->rank(); }
  int size() const { return comm->size(); }

private:
  void onGradient(uint32_t tensor, const at::Tensor &grad);
  /// Tensor `i`'s slice of the engine's flat buffer, on the engine's device.
  at::Tensor slice(uint32_t i, at::IntArrayRef sizes);

  // open() only; the device goes before the communicator it bootstrapped.
  std::unique_ptr<Communicator> ownedComm;
  std::unique_ptr<Device> ownedDevice;
  Communicator *comm = nullptr;
  at::TensorOptions bufferOptions;
  std::shared_ptr<const Schedule> schedule;
  std::unique_ptr<Engine> eng;
  std::vector<NamedParameter> params;
  std::vector<char> dgc;
  std::vector<unsigned> hookHandles;
  std::vector<uint32_t> order;
  bool stepping = false;
  int64_t iteration = 0;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TRAINING_TRAINER_H
