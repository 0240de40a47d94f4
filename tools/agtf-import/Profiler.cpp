//===- Profiler.cpp - LibTorch side of agtf-import ------------------------===//
//
// Everything that touches LibTorch lives here, compiled with exceptions:
// LibTorch reports errors as c10::Error, and profileModel() turns every
// exception into an error string before returning to the MLIR side.
//
//===----------------------------------------------------------------------===//

#include "tools/agtf-import/Profiler.h"

#include "runtime/FirstTensor.h"
#include "runtime/TorchErrorText.h"
#include "runtime/training/FashionMnistTensors.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/cuda.h>
#include <torch/script.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

using namespace agtf::import;
using torch::autograd::Node;

namespace {

using Clock = std::chrono::steady_clock;

double micros(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "x" : "") + std::to_string(shape[i]);
  return text;
}

/// Raised by this file for problems it names itself.
struct ImportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Fashion-MNIST's training split, as training sees it.
struct FashionMnist : agtf::data::FashionMnistTensors {
  explicit FashionMnist(const std::string &dir) {
    std::string error = agtf::data::loadFashionMnist(dir, "train", 0, *this);
    if (!error.empty())
      throw ImportError(error);
  }
};

/// Records, for every autograd node it is attached to, the shape of the
/// gradient the node receives: the shape of that node's forward output.
struct ShapeRecorder : torch::autograd::FunctionPreHook {
  using ShapeMap = std::unordered_map<const Node *, std::vector<int64_t>>;
  ShapeRecorder(std::shared_ptr<ShapeMap> shapes, const Node *node)
      : shapes(std::move(shapes)), node(node) {}
  torch::autograd::variable_list
  operator()(const torch::autograd::variable_list &grads) override {
    for (const at::Tensor &grad : grads)
      if (grad.defined()) {
        (*shapes)[node] = grad.sizes().vec();
        break;
      }
    return grads;
  }
  std::shared_ptr<ShapeMap> shapes;
  const Node *node;
};

/// The autograd graph of one loss: consumers of every node and the forward
/// output shape of every node that received a gradient.
struct AutogradGraph {
  std::unordered_map<const Node *, std::vector<Node *>> consumers;
  std::shared_ptr<ShapeRecorder::ShapeMap> shapes =
      std::make_shared<ShapeRecorder::ShapeMap>();

  /// Walks the graph from `root` and attaches a ShapeRecorder to each node.
  void attach(const std::shared_ptr<Node> &root) {
    std::vector<Node *> stack{root.get()};
    std::unordered_map<const Node *, bool> seen{{root.get(), true}};
    while (!stack.empty()) {
      Node *node = stack.back();
      stack.pop_back();
      node->add_pre_hook(std::make_unique<ShapeRecorder>(shapes, node));
      for (const torch::autograd::Edge &edge : node->next_edges()) {
        Node *next = edge.function.get();
        if (!next)
          continue;
        consumers[next].push_back(node);
        if (!seen[next]) {
          seen[next] = true;
          stack.push_back(next);
        }
      }
    }
  }

  static bool isReshape(const std::string &name) {
    static const char *const kinds[] = {
        "TBackward",          "TransposeBackward",
        "PermuteBackward",    "ViewBackward",
        "UnsafeViewBackward", "ReshapeAliasBackward",
        "SliceBackward",      "SelectBackward",
        "SplitBackward",      "SplitWithSizesBackward",
        "UnbindBackward",     "UnsqueezeBackward",
        "SqueezeBackward",    "CloneBackward",
        "ToCopyBackward",     "ExpandBackward",
        "AsStridedBackward"};
    for (const char *kind : kinds)
      if (name.rfind(kind, 0) == 0)
        return true;
    return false;
  }

  /// Backward FLOPs of the gradient of a parameter piece of `numel` elements
  /// (rank `rank`) that `node` consumed in the forward pass.
  double flopsOfUse(const Node *node, double numel, int64_t rank,
                    int depth) const {
    auto shapeIt = shapes->find(node);
    if (shapeIt == shapes->end() || shapeIt->second.empty())
      return 0;
    const std::vector<int64_t> &out = shapeIt->second;
    double outNumel = 1;
    for (int64_t size : out)
      outNumel *= size;
    std::string name = node->name();
    if (isReshape(name) && depth < 16)
      return flopsOfUses(node, std::min(numel, outNumel), rank, depth + 1);
    if (name.find("Embedding") != std::string::npos)
      return outNumel; // scatter-add of the output gradient's rows
    if (name.find("Norm") != std::string::npos)
      return 2 * outNumel; // sum(dy * xhat) or sum(dy)
    bool conv = name.find("Convolution") != std::string::npos;
    bool matmul = conv || name.rfind("Mm", 0) == 0 ||
                  name.rfind("Addmm", 0) == 0 || name.rfind("Bmm", 0) == 0 ||
                  name.rfind("Baddbmm", 0) == 0 || name.rfind("Linear", 0) == 0;
    if (rank >= 2 && matmul) {
      // A weight applied at every output position: 2 FLOPs per weight per
      // position. Convolutions keep features in dim 1, the rest last.
      double features = conv && out.size() > 1 ? out[1] : out.back();
      return features > 0 ? 2 * numel * (outNumel / features) : 0;
    }
    // A bias, scale or other elementwise use: one reduction over the
    // output.
    return outNumel;
  }

  double flopsOfUses(const Node *node, double numel, int64_t rank,
                     int depth) const {
    auto it = consumers.find(node);
    if (it == consumers.end())
      return 0;
    double flops = 0;
    for (const Node *consumer : it->second)
      flops += flopsOfUse(consumer, numel, rank, depth);
    return flops;
  }
};

/// An estimate rounded to six significant digits: MLIR prints such a double
/// in decimal, where a whole number of more digits would print in hex.
double sixDigits(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.5e", value);
  return std::strtod(text, nullptr);
}

/// Running sums of one parameter's measurements.
struct Accumulator {
  std::vector<int64_t> ks; // kept element counts of the sketch
  double us = 0, rms = 0, norm = 0;
  std::vector<double> threshold, energy;
};

/// Kept fractions 10^(-5 + i/4), i = 0..20, as element counts: at least one,
/// strictly increasing, the last all n.
std::vector<int64_t> sketchCounts(int64_t n) {
  std::vector<int64_t> ks;
  for (int i = 0; i <= 20; ++i) {
    double x = std::pow(10.0, -5.0 + i / 4.0) * n;
    int64_t k = (int64_t)std::ceil(x * (1 - 1e-12));
    k = std::clamp<int64_t>(k, 1, n);
    if (ks.empty() || k > ks.back())
      ks.push_back(k);
  }
  return ks;
}

void addGradientStats(const at::Tensor &grad, Accumulator &acc) {
  at::Tensor magnitude =
      grad.detach().reshape(-1).to(at::kFloat).abs().to(at::kCPU);
  at::Tensor sorted = std::get<0>(magnitude.sort(0, /*descending=*/true));
  at::Tensor cumulative =
      sorted.to(at::kDouble).square().cumsum(0).contiguous();
  sorted = sorted.contiguous();
  const float *s = sorted.data_ptr<float>();
  const double *c = cumulative.data_ptr<double>();
  int64_t n = sorted.numel();
  double total = c[n - 1];
  acc.rms += std::sqrt(total / n);
  acc.norm += std::sqrt(total);
  for (size_t i = 0; i < acc.ks.size(); ++i) {
    int64_t k = acc.ks[i];
    acc.threshold[i] += s[k - 1];
    acc.energy[i] += total > 0 ? std::min(1.0, c[k - 1] / total) : 1.0;
  }
}

std::string dtypeName(at::ScalarType type) {
  switch (type) {
  case at::kFloat:
    return "f32";
  case at::kHalf:
    return "f16";
  case at::kBFloat16:
    return "bf16";
  case at::kDouble:
    return "f64";
  default:
    return "";
  }
}

/// The smallest embedding table of the model, 0 if it has none.
int64_t detectVocab(const torch::jit::Module &module) {
  int64_t vocab = 0;
  for (const auto &child : module.named_modules()) {
    auto type = child.value.type();
    if (!type->name() || type->name()->name() != "Embedding" ||
        !child.value.hasattr("weight"))
      continue;
    int64_t rows = child.value.attr("weight").toTensor().size(0);
    vocab = vocab ? std::min(vocab, rows) : rows;
  }
  return vocab;
}

void runProfile(const ProfileOptions &options, ModelProfile &result) {
  torch::manual_seed(options.seed);
  {
    std::ifstream probe(options.modelPath, std::ios::binary);
    if (!probe)
      throw ImportError("cannot open '" + options.modelPath +
                        "': " + std::strerror(errno));
  }
  bool cuda = options.device == "cuda";
  if (cuda && !torch::cuda::is_available())
    throw ImportError("--device cuda: no CUDA device is available to "
                      "this LibTorch");
  torch::Device device =
      cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  auto sync = [&] {
    if (cuda)
      torch::cuda::synchronize();
  };

  torch::jit::Module module;
  try {
    module = torch::jit::load(options.modelPath, device);
  } catch (const std::exception &e) {
    throw ImportError(
        "'" + options.modelPath +
        "' is not a TorchScript model: " + agtf::runtime::torchErrorLine(e));
  }
  module.train();

  // Trainable parameters, in registration order for now. A parameter shared
  // by several modules (tied weights) is listed once, under its first name,
  // as Python's named_parameters() does.
  std::vector<at::Tensor> params;
  std::vector<TensorProfile> tensors;
  std::unordered_map<const c10::TensorImpl *, bool> seen;
  for (const auto &named : module.named_parameters(/*recurse=*/true)) {
    if (!named.value.requires_grad() || seen[named.value.unsafeGetTensorImpl()])
      continue;
    seen[named.value.unsafeGetTensorImpl()] = true;
    TensorProfile tensor;
    tensor.name = named.name;
    tensor.shape = named.value.sizes().vec();
    tensor.dtype = dtypeName(named.value.scalar_type());
    if (tensor.dtype.empty())
      throw ImportError("parameter '" + named.name + "' has element type " +
                        std::string(c10::toString(named.value.scalar_type())) +
                        ", not a float type");
    if (named.value.numel() < 1)
      throw ImportError("parameter '" + named.name + "' is empty");
    params.push_back(named.value);
    tensors.push_back(std::move(tensor));
  }
  if (params.empty())
    throw ImportError("'" + options.modelPath +
                      "' has no trainable parameters");

  // Inputs: random floats, token ids, or Fashion-MNIST batches.
  const std::vector<int64_t> &shape = options.inputShape;
  int64_t batch = shape.front();
  int64_t perSample = 1;
  for (size_t i = 1; i < shape.size(); ++i)
    perSample *= shape[i];
  int64_t vocab = options.vocab;
  if (!vocab && shape.size() == 2 && options.data.empty())
    vocab = detectVocab(module);
  std::unique_ptr<FashionMnist> data;
  if (options.data == "fashion-mnist") {
    if (perSample != 784)
      throw ImportError("--data fashion-mnist needs 784 values per sample "
                        "(e.g. Nx1x28x28), got " +
                        shapeString(shape));
    data = std::make_unique<FashionMnist>(options.dataDir);
  }
  std::ostringstream describe;
  describe << shapeString(shape) << " "
           << (data    ? "Fashion-MNIST"
               : vocab ? "int64 token ids < " + std::to_string(vocab)
                       : "random normal f32");
  result.inputDescription = describe.str();

  int64_t step = 0;
  auto makeInput = [&]() -> std::pair<at::Tensor, at::Tensor> {
    if (data) {
      int64_t count = data->labels.size(0);
      at::Tensor index =
          (torch::arange(batch, at::kLong) + step * batch) % count;
      ++step;
      return {data->images.index_select(0, index).reshape(shape).to(device),
              data->labels.index_select(0, index).to(device)};
    }
    if (vocab)
      return {torch::randint(vocab, shape, at::kLong).to(device), at::Tensor()};
    return {torch::randn(shape).to(device), at::Tensor()};
  };

  // A scalar loss: cross entropy against the labels (random ones when the
  // data has none) for 2-D logits, otherwise the mean square of the output.
  auto lossOf = [&](const c10::IValue &output,
                    const at::Tensor &labels) -> at::Tensor {
    at::Tensor out = agtf::runtime::firstTensor(output);
    if (!out.defined())
      throw ImportError("forward returns no tensor");
    if (!out.requires_grad())
      throw ImportError("the output of forward does not depend on any "
                        "trainable parameter");
    if (out.dim() == 2 && out.is_floating_point() && out.size(1) > 1) {
      at::Tensor target =
          labels.defined() && labels.size(0) == out.size(0) &&
                  labels.max().item<int64_t>() < out.size(1)
              ? labels
              : torch::randint(out.size(1), {out.size(0)}, at::kLong)
                    .to(out.device());
      return torch::nll_loss(torch::log_softmax(out.to(at::kFloat), 1), target);
    }
    return out.to(at::kFloat).square().mean();
  };

  // Gradient-ready hooks: order and time stamps of one backward pass.
  struct HookState {
    bool sync = false;
    std::vector<size_t> order;
    std::vector<Clock::time_point> stamps;
  };
  auto hooks = std::make_shared<HookState>();
  hooks->sync = cuda;
  for (size_t i = 0; i < params.size(); ++i)
    params[i].register_hook([hooks, i](const at::Tensor &) {
      if (hooks->sync)
        torch::cuda::synchronize();
      hooks->stamps.push_back(Clock::now());
      hooks->order.push_back(i);
    });

  std::vector<Accumulator> acc(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    acc[i].ks = sketchCounts(params[i].numel());
    acc[i].threshold.assign(acc[i].ks.size(), 0.0);
    acc[i].energy.assign(acc[i].ks.size(), 0.0);
  }

  // Iteration 0 finds the backprop order and each node's output shape (for
  // the FLOP counts); then warmup, then measured iterations.
  std::vector<size_t> order;
  unsigned iterations =
      options.profileIters ? 1 + options.warmup + options.profileIters : 1;
  double forwardSum = 0, backwardSum = 0;
  for (unsigned iter = 0; iter < iterations; ++iter) {
    bool shapePass = iter == 0;
    bool measured = iter >= 1 + options.warmup;
    for (at::Tensor &param : params)
      param.mutable_grad() = at::Tensor();
    hooks->order.clear();
    hooks->stamps.clear();
    auto [input, labels] = makeInput();
    sync();

    Clock::time_point t0 = Clock::now();
    c10::IValue output;
    try {
      output = module.forward({input});
    } catch (const ImportError &) {
      throw;
    } catch (const std::exception &e) {
      throw ImportError("forward of '" + options.modelPath +
                        "' rejects input " + result.inputDescription + ": " +
                        agtf::runtime::torchErrorLine(e));
    }
    at::Tensor loss = lossOf(output, labels);
    sync();
    Clock::time_point t1 = Clock::now();

    AutogradGraph graph;
    std::unordered_map<const Node *, size_t> accumulators;
    if (shapePass) {
      graph.attach(loss.grad_fn());
      for (size_t i = 0; i < params.size(); ++i)
        if (auto node =
                torch::autograd::impl::try_get_grad_accumulator(params[i]))
          accumulators[node.get()] = i;
    }
    loss.backward();
    sync();
    Clock::time_point t2 = Clock::now();

    if (shapePass) {
      // A model that computes NaN still has a shape and an order; what it
      // would train to does not exist (agtf-import warns).
      at::Tensor out = agtf::runtime::firstTensor(output);
      result.outputFinite = torch::isfinite(loss).all().item<bool>() &&
                            (!out.defined() || !out.is_floating_point() ||
                             torch::isfinite(out).all().item<bool>());
      for (size_t i = 0; i < params.size(); ++i)
        if (params[i].grad().defined() &&
            !torch::isfinite(params[i].grad()).all().item<bool>())
          result.nonFiniteGradients.push_back(tensors[i].name);
      if (options.profileIters > 0 && !result.nonFiniteGradients.empty())
        throw ImportError(
            "the gradient of '" + result.nonFiniteGradients.front() +
            "' is not finite (" +
            std::to_string(result.nonFiniteGradients.size()) +
            " parameter(s) in all) on " + result.inputDescription +
            ": its magnitudes cannot be profiled (without --profile-iters "
            "the graph is written by shapes, with a warning)");
      order = hooks->order;
      for (auto [node, i] : accumulators)
        tensors[i].flops = sixDigits(
            graph.flopsOfUses(node, params[i].numel(), params[i].dim(), 0));
    }
    if (!measured)
      continue;
    forwardSum += micros(t0, t1);
    backwardSum += micros(t1, t2);
    for (size_t j = 0; j < hooks->order.size(); ++j)
      acc[hooks->order[j]].us +=
          micros(j ? hooks->stamps[j - 1] : t1, hooks->stamps[j]);
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i].grad().defined())
        addGradientStats(params[i].grad(), acc[i]);
  }

  // Order: gradients in the order they became ready (a parameter's hook
  // fires once per backward pass), then parameters that received none.
  std::vector<bool> placed(params.size(), false);
  std::vector<size_t> fullOrder;
  for (size_t i : order)
    if (!placed[i]) {
      placed[i] = true;
      fullOrder.push_back(i);
    }
  for (size_t i = 0; i < params.size(); ++i)
    if (!placed[i])
      fullOrder.push_back(i);

  unsigned n = options.profileIters;
  result.profiled = n > 0;
  if (n) {
    result.forwardUs = forwardSum / n;
    result.backwardUs = backwardSum / n;
  }
  for (size_t i : fullOrder) {
    TensorProfile tensor = std::move(tensors[i]);
    tensor.hasGradient = placed[i];
    if (n) {
      const Accumulator &a = acc[i];
      tensor.backwardUs = a.us / n;
      tensor.rms = a.rms / n;
      tensor.gradNorm = a.norm / n;
      double numel = params[i].numel();
      for (size_t k = 0; k < a.ks.size(); ++k) {
        tensor.kept.push_back(a.ks[k] / numel);
        double threshold = tensor.hasGradient ? a.threshold[k] / n : 0.0;
        double energy =
            tensor.hasGradient ? std::clamp(a.energy[k] / n, 0.0, 1.0) : 1.0;
        // Means of monotone sequences are monotone; rounding must not break
        // what the verifier checks.
        if (k) {
          threshold = std::min(threshold, tensor.threshold.back());
          energy = std::max(energy, tensor.energy.back());
        }
        tensor.threshold.push_back(threshold);
        tensor.energy.push_back(energy);
      }
    }
    result.tensors.push_back(std::move(tensor));
  }
}

} // namespace

bool agtf::import::profileModel(const ProfileOptions &options,
                                ModelProfile &profile, std::string &error) {
  try {
    runProfile(options, profile);
    return true;
  } catch (const ImportError &e) {
    error = e.what();
  } catch (const std::exception &e) {
    error = "'" + options.modelPath + "': " + agtf::runtime::torchErrorLine(e);
  } catch (...) {
    error = "'" + options.modelPath + "': unknown error from LibTorch";
  }
  return false;
}
