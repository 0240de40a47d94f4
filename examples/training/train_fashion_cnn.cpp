// Your own LibTorch training loop, with AGTF's engine averaging gradients
// over the MPI ranks as the schedule says (docs/training.md). Usage:
//   mpirun -np P agtf-train-example SCHEDULE.bin MODEL.pt [STEPS]
#include "runtime/training/FashionMnist.h"
#include "runtime/training/FashionMnistTensors.h"
#include "runtime/training/Trainer.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>

using agtf::runtime::Trainer;

int main(int argc, char **argv) {
  if (argc < 3)
    return std::fprintf(stderr, "usage: %s SCHEDULE MODEL [STEPS]\n", *argv), 2;
  int steps = argc > 3 ? std::atoi(argv[3]) : 200, batch = 32;
  torch::jit::Module model;
  std::unique_ptr<Trainer> trainer;
  try { // Starts MPI, checks the schedule on every rank, installs the hooks.
    model = torch::jit::load(argv[2]);
    trainer = Trainer::open(argv[1], model);
  } catch (const std::exception &e) {
    return std::fprintf(stderr, "agtf-train-example: %s\n", e.what()), 1;
  }
  agtf::data::FashionMnistTensors data;
  std::string error = agtf::data::loadFashionMnist(agtf::data::kFashionMnistDir,
                                                   "train", 0, data);
  if (!error.empty())
    return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  at::Tensor images = data.images, labels = data.labels;

  std::vector<at::Tensor> params;
  for (const auto &p : trainer->parameters())
    params.push_back(p.value);
  torch::optim::SGD sgd(params, torch::optim::SGDOptions(0.05).momentum(0.9));
  int64_t ranks = trainer->size();
  for (int step = 0; step < steps; ++step) {
    // Rank r takes every P-th sample of the step's global batch.
    int64_t first = step * batch * ranks % (images.size(0) - batch * ranks);
    at::Tensor index =
        torch::arange(first + trainer->rank(), first + batch * ranks, ranks);
    trainer->beginStep();
    at::Tensor loss = torch::cross_entropy_loss(
        model.forward({images.index_select(0, index)}).toTensor(),
        labels.index_select(0, index));
    loss.backward();        // the hooks hand each gradient to the engine
    trainer->synchronize(); // p.grad is now the average over ranks
    sgd.step();
    if (trainer->rank() == 0 && (step % 50 == 0 || step == steps - 1))
      std::printf("step %d loss %.4f\n", step, loss.item<double>());
  }
  return 0;
}
