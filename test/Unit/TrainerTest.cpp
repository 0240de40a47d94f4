//===- TrainerTest.cpp - the Trainer's autograd hooks on one rank ---------===//
//
// The CPU gradient hooks fire exactly once per parameter per iteration, in
// backprop order, and synchronize() leaves the (one-rank) average in p.grad.
//
//===----------------------------------------------------------------------===//

#include "runtime/training/Trainer.h"
#include "runtime/ScheduleBuilder.h"
#include "runtime/comm/SelfCommunicator.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

using namespace agtf;
using namespace agtf::runtime;

namespace {
/// Three linear layers; their parameters listed last layer first, the
/// order backward produces them in (what agtf-import writes).
struct Net {
  torch::nn::Linear l1{6, 5}, l2{5, 4}, l3{4, 3};
  at::Tensor forward(const at::Tensor &x) {
    return l3(torch::relu(l2(torch::relu(l1(x)))));
  }
  std::vector<NamedParameter> backpropOrder() {
    return {{"l3.bias", l3->bias}, {"l3.weight", l3->weight},
            {"l2.bias", l2->bias}, {"l2.weight", l2->weight},
            {"l1.bias", l1->bias}, {"l1.weight", l1->weight}};
  }
};

std::shared_ptr<const Schedule>
scheduleFor(const std::vector<NamedParameter> &params) {
  ScheduleSpec spec;
  for (const NamedParameter &p : params)
    spec.tensors.push_back({p.name, p.value.sizes().vec()});
  BucketSpec a, b; // two dense buckets
  a.name = "b0";
  a.tensorCount = 3;
  b.name = "b1";
  b.firstTensor = 3;
  b.tensorCount = uint32_t(params.size()) - 3;
  spec.buckets = {a, b};
  ScheduleOrError s = readScheduleBuffer(buildSchedule(spec));
  EXPECT_TRUE(s) << s.error;
  return s.schedule;
}
} // namespace

TEST(TrainerTest, HooksFireOncePerParameterInBackpropOrder) {
  torch::manual_seed(3);
  Net net;
  std::vector<NamedParameter> params = net.backpropOrder();
  SelfCommunicator comm;
  // Handed over in registration order: the Trainer reorders by schedule.
  std::vector<NamedParameter> shuffled(params.rbegin(), params.rend());
  Trainer trainer(scheduleFor(params), comm, shuffled);
  ASSERT_EQ(trainer.parameters().size(), params.size());
  for (int iteration = 0; iteration < 3; ++iteration) {
    trainer.beginStep();
    at::Tensor loss = net.forward(torch::randn({8, 6})).square().mean();
    std::vector<at::Tensor> expected = torch::autograd::grad(
        {loss},
        {params[0].value, params[1].value, params[2].value, params[3].value,
         params[4].value, params[5].value},
        {}, /*retain_graph=*/true);
    loss.backward();
    std::vector<uint32_t> order = trainer.readyOrder();
    trainer.synchronize();
    EXPECT_EQ(order, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5}))
        << "iteration " << iteration;
    for (size_t i = 0; i < params.size(); ++i)
      EXPECT_TRUE(torch::allclose(params[i].value.grad(), expected[i]))
          << params[i].name;
  }
}

TEST(TrainerTest, AnotherModelIsRefused) {
  Net net;
  std::vector<NamedParameter> params = net.backpropOrder();
  std::shared_ptr<const Schedule> s = scheduleFor(params);
  params[1].value = torch::zeros({3, 5});
  EXPECT_EQ(checkLayout(*s, params, "s.bin", "m.pt"),
            "s.bin was made for another model: tensor 'l3.weight' is 3x4 in "
            "the schedule, 3x5 in m.pt");
  params.push_back({"extra", torch::zeros({2})});
  params[1].value = torch::zeros({3, 4});
  EXPECT_EQ(checkLayout(*s, params, "s.bin", "m.pt"),
            "s.bin was made for another model: parameter 'extra' of m.pt is "
            "not in the schedule");
  SelfCommunicator comm;
  EXPECT_THROW(Trainer(s, comm, params), TrainerError);
}

TEST(TrainerTest, ParametersOffTheCpuNeedADevice) {
  // A meta tensor stands for one on a GPU: it is not on the CPU.
  Net net;
  std::vector<NamedParameter> params = net.backpropOrder();
  std::shared_ptr<const Schedule> s = scheduleFor(params);
  params[1].value = torch::empty({3, 4}, at::Device(at::kMeta));
  SelfCommunicator comm;
  try {
    Trainer trainer(s, comm, params);
    FAIL() << "a parameter off the CPU was accepted without a device";
  } catch (const TrainerError &e) {
    EXPECT_STREQ(e.what(), "parameter 'l3.weight' is on meta but the trainer "
                           "has no device: give TrainerOptions::device, or "
                           "use Trainer::open");
  }
}

TEST(TrainerTest, UnusedParameterGetsZerosAndMisuseThrows) {
  torch::manual_seed(4);
  Net net;
  std::vector<NamedParameter> params = net.backpropOrder();
  SelfCommunicator comm;
  Trainer trainer(scheduleFor(params), comm, params);
  EXPECT_THROW(trainer.synchronize(), TrainerError);
  trainer.beginStep();
  EXPECT_THROW(trainer.beginStep(), TrainerError);
  // l1 takes no part: its hooks never fire, its buckets still run.
  at::Tensor loss = net.l3(net.l2(torch::randn({4, 5}))).sum();
  loss.backward();
  EXPECT_EQ(trainer.readyOrder(), (std::vector<uint32_t>{0, 1, 2, 3}));
  trainer.synchronize();
  EXPECT_TRUE(net.l1->weight.grad().defined());
  EXPECT_EQ(net.l1->weight.grad().abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(trainer.steps(), 1);
  // A gradient outside beginStep()/synchronize() would not be averaged.
  EXPECT_THROW(net.forward(torch::randn({2, 6})).sum().backward(),
               std::exception);
}

TEST(TrainerTest, HooksGoWithTheTrainer) {
  Net net;
  std::vector<NamedParameter> params = net.backpropOrder();
  SelfCommunicator comm;
  { Trainer trainer(scheduleFor(params), comm, params); }
  // No hook of the destroyed trainer may run.
  net.forward(torch::randn({2, 6})).sum().backward();
  EXPECT_TRUE(net.l1->weight.grad().defined());
}
