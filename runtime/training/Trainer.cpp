//===- Trainer.cpp - drives the engine from a LibTorch training loop -----===//

#include "runtime/training/Trainer.h"

#include "runtime/Agreement.h"
#include "runtime/DeviceChoice.h"
#include "runtime/LayoutHash.h"
#include "runtime/ScheduleReader.h"

#include "runtime/comm/HostCommunicator.h"

#ifdef AGTF_TORCH_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

using namespace agtf::runtime;

namespace {
std::string shapeString(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "a scalar";
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "x" : "") + std::to_string(shape[i]);
  return text;
}

std::vector<int64_t> scheduleShape(const agtf::fb::Tensor &t) {
  std::vector<int64_t> shape;
  if (t.shape())
    shape.assign(t.shape()->begin(), t.shape()->end());
  return shape;
}

/// LibTorch's current stream on the engine's GPU (null without one): the
/// one autograd wrote a gradient on when its hook runs, and the one the
/// optimizer will read p.grad on. Usually the default stream, but a loop
/// under a stream guard, or a forward pass on a side stream, moves it.
DeviceStream currentStream(const Device *device) {
#ifdef AGTF_TORCH_CUDA
  if (device)
    return c10::cuda::getCurrentCUDAStream(c10::DeviceIndex(device->index()))
        .stream();
#else
  (void)device;
#endif
  return nullptr;
}

bool anyOnGpu(const std::vector<NamedParameter> &params) {
  return std::any_of(params.begin(), params.end(), [](const NamedParameter &p) {
    return p.value.device().is_cuda();
  });
}

/// "" when every parameter is where the engine keeps the gradients: the
/// CPU without a device, else the device's GPU.
std::string checkPlacement(const std::vector<NamedParameter> &params,
                           const Device *device) {
  for (const NamedParameter &p : params) {
    at::Device place = p.value.device();
    if (!device && !place.is_cpu())
      return "parameter '" + p.name + "' is on " + place.str() +
             " but the trainer has no device: give TrainerOptions::device, "
             "or use Trainer::open";
    if (device && !(place.is_cuda() && place.index() == device->index()))
      return "parameter '" + p.name + "' is on " + place.str() +
             " but this rank's GPU is cuda:" + std::to_string(device->index()) +
             ": move the model there first";
  }
  return "";
}
} // namespace

std::vector<NamedParameter>
agtf::runtime::trainableParameters(const torch::jit::Module &module) {
  std::vector<NamedParameter> params;
  std::unordered_set<const c10::TensorImpl *> seen;
  for (const auto &named : module.named_parameters(/*recurse=*/true))
    if (named.value.requires_grad() &&
        seen.insert(named.value.unsafeGetTensorImpl()).second)
      params.push_back({named.name, named.value});
  return params;
}

std::string agtf::runtime::checkLayout(
    const Schedule &schedule, const std::vector<NamedParameter> &params,
    const std::string &scheduleLabel, const std::string &modelLabel) {
  std::string prefix = scheduleLabel + " was made for another model: ";
  std::unordered_map<std::string, const NamedParameter *> byName;
  for (const NamedParameter &p : params)
    byName[p.name] = &p;
  std::unordered_set<std::string> inSchedule;
  std::vector<std::string> names;
  std::vector<std::vector<int64_t>> shapes;
  for (const fb::Tensor *t : *schedule.root().tensors()) {
    std::string name = t->name()->str();
    inSchedule.insert(name);
    auto it = byName.find(name);
    if (it == byName.end())
      return prefix + "tensor '" + name +
             "' is in the schedule but is not a "
             "trainable parameter of " +
             modelLabel;
    std::vector<int64_t> want = scheduleShape(*t);
    std::vector<int64_t> have = it->second->value.sizes().vec();
    if (want != have)
      return prefix + "tensor '" + name + "' is " + shapeString(want) +
             " in the schedule, " + shapeString(have) + " in " + modelLabel;
    names.push_back(name);
    shapes.push_back(have);
  }
  for (const NamedParameter &p : params)
    if (!inSchedule.count(p.name))
      return prefix + "parameter '" + p.name + "' of " + modelLabel +
             " is not in the schedule";
  // Names and shapes agree; the hash covers anything else it encodes.
  if (layoutHash(names, shapes) != schedule.root().layout_hash())
    return prefix + "its layout hash differs from " + modelLabel + "'s";
  return "";
}

Trainer::Trainer(std::shared_ptr<const Schedule> s, Communicator &c,
                 const torch::jit::Module &module, TrainerOptions options)
    : Trainer(std::move(s), c, trainableParameters(module),
              std::move(options)) {}

Trainer::Trainer(std::shared_ptr<const Schedule> s, Communicator &c,
                 std::vector<NamedParameter> named, TrainerOptions options)
    : comm(&c), schedule(std::move(s)) {
  std::string error =
      checkLayout(*schedule, named, options.scheduleLabel, options.modelLabel);
  if (error.empty())
    error = checkPlacement(named, options.device);
  if (!error.empty())
    throw TrainerError(error);
  bufferOptions = at::TensorOptions().dtype(at::kFloat);
  if (options.device) {
    bufferOptions = bufferOptions.device(
        at::Device(at::kCUDA, c10::DeviceIndex(options.device->index())));
    options.device->computeOnLibTorchStream();
  }
  // The schedule's tensor order, which is the profiled backprop order.
  std::unordered_map<std::string, at::Tensor> byName;
  for (NamedParameter &p : named)
    byName[p.name] = p.value;
  const fb::Schedule &root = schedule->root();
  for (const fb::Tensor *t : *root.tensors())
    params.push_back({t->name()->str(), byName[t->name()->str()]});

  EngineOptions engineOptions;
  engineOptions.seed = options.seed;
  engineOptions.trace = options.trace;
  engineOptions.device = options.device;
  eng = Engine::create(schedule, c, engineOptions, error);
  if (!eng)
    throw TrainerError(error);
  for (const TensorSlice &slice : eng->tensors())
    dgc.push_back(root.buckets()->Get(slice.bucket)->compression()->kind() ==
                  fb::CompressionKind::dgc);

  for (uint32_t i = 0; i < params.size(); ++i)
    hookHandles.push_back(params[i].value.register_hook(
        [this, i](const at::Tensor &grad) { onGradient(i, grad); }));
}

std::unique_ptr<Trainer> Trainer::open(const std::string &schedulePath,
                                       const torch::jit::Module &module,
                                       TrainerOptions options) {
  return open(schedulePath, trainableParameters(module), std::move(options));
}

std::unique_ptr<Trainer> Trainer::open(const std::string &schedulePath,
                                       std::vector<NamedParameter> params,
                                       TrainerOptions options) {
  std::string error;
  std::unique_ptr<Communicator> comm =
      makeHostCommunicator(nullptr, nullptr, options.timeoutSeconds, error);
  if (!comm)
    throw TrainerError(error);
  // Parameters on a GPU train there; every rank must make its device.
  bool onGpu = anyOnGpu(params);
  RankIdentity me;
  ScheduleOrError read = readScheduleFor(me, schedulePath);
  // Making a device is collective: a rank that asked for another would hang.
  me.agree("the device", onGpu ? "cuda/" + options.backend : "cpu");
  me.agree("TrainerOptions::seed", std::to_string(options.seed));
  std::string disagreement = checkAgreement(*comm, me);
  if (!disagreement.empty())
    throw TrainerError(disagreement);
  if (options.scheduleLabel == TrainerOptions().scheduleLabel)
    options.scheduleLabel = schedulePath;
  std::unique_ptr<Device> device;
  if (onGpu) {
    bool failed = false;
    device = chooseDevice("cuda", options.backend, *comm, failed, error);
    if (failed)
      throw TrainerError(error.empty() ? "another rank cannot use its GPU"
                                       : error);
    options.device = device.get();
  }
  Communicator &raw = *comm;
  std::unique_ptr<Trainer> t(
      new Trainer(read.schedule, raw, std::move(params), std::move(options)));
  t->ownedComm = std::move(comm);
  t->ownedDevice = std::move(device);
  return t;
}

Trainer::~Trainer() {
  for (uint32_t i = 0; i < params.size(); ++i)
    params[i].value.remove_hook(hookHandles[i]);
  // The engine's threads stop before an owned communicator goes.
  eng.reset();
}

void Trainer::beginStep(int64_t epoch) {
  if (stepping)
    throw TrainerError("beginStep() twice without synchronize()");
  IterationInfo info;
  info.iteration = iteration;
  info.epoch = epoch;
  order.clear();
  eng->beginIteration(info);
  stepping = true;
}

void Trainer::onGradient(uint32_t tensor, const at::Tensor &grad) {
  if (!stepping)
    throw TrainerError("a gradient of '" + params[tensor].name +
                       "' arrived outside beginStep()/synchronize(); it "
                       "would not be averaged over ranks");
  // copy_ converts the dtype; on a GPU it runs on LibTorch's current
  // stream, which markReady's event follows.
  slice(tensor, {eng->tensors()[tensor].numel}).copy_(grad.reshape({-1}));
  order.push_back(tensor);
  eng->markReady(tensor, currentStream(eng->device()));
}

void Trainer::synchronize() {
  if (!stepping)
    throw TrainerError("synchronize() without beginStep()");
  // Parameters that took no part in this loss: zeros, so that every rank
  // still runs every bucket.
  std::vector<char> seen(params.size(), 0);
  for (uint32_t t : order)
    seen[t] = 1;
  for (uint32_t i = 0; i < params.size(); ++i)
    if (!seen[i]) {
      slice(i, {eng->tensors()[i].numel}).zero_();
      eng->markReady(i, currentStream(eng->device()));
    }
  // The copies into p.grad below run on the current stream: it waits.
  eng->synchronize(currentStream(eng->device()));
  stepping = false;
  ++iteration;
  torch::NoGradGuard noGrad;
  for (uint32_t i = 0; i < params.size(); ++i) {
    at::Tensor &p = params[i].value;
    if (!p.grad().defined())
      p.mutable_grad() = torch::zeros_like(p);
    p.mutable_grad().copy_(slice(i, p.sizes()));
  }
}

at::Tensor Trainer::slice(uint32_t i, at::IntArrayRef sizes) {
  return torch::from_blob(eng->gradients() + eng->tensors()[i].offset, sizes,
                          bufferOptions);
}
