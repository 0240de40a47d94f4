//===- AgreedOptions.cpp - the options every rank must have alike ---------===//

#include "AgreedOptions.h"

#include "runtime/training/FashionMnist.h"

#include <charconv>

using namespace agtf;
using namespace agtf::run;
using runtime::AgreedItem;

namespace {
/// The shortest text that reads back as `v`: equal texts, equal values.
std::string number(double v) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof(text), v);
  return error == std::errc() ? std::string(text, end) : std::to_string(v);
}

std::string given(bool flag) { return flag ? "given" : "not given"; }

/// Compared by the files' bytes, shown with the path.
AgreedItem files(const char *name, const std::string &path,
                 const std::vector<std::string> &paths) {
  std::string identity = runtime::filesIdentity(paths);
  return {name, identity, path + " (" + identity + ")"};
}
} // namespace

const std::vector<std::string> agtf::run::perRankOptions = {
    "--help", "--version", "--trace", "--json", "--timeout", "--save", "--log",
};

std::vector<AgreedItem> agtf::run::agreedOptions(const Options &o) {
  const runtime::TrainingOptions &t = o.training;
  std::vector<AgreedItem> items;
  // What runs first: the two modes issue different collectives.
  if (t.model.empty())
    items.push_back({"--model", "not given"});
  else
    items.push_back(files("--model", t.model, {t.model}));
  items.push_back({"--replay", given(o.replay)});
  // Then in the usage's order.
  items.push_back({"--iters", std::to_string(o.iters)});
  items.push_back({"--warmup", std::to_string(o.warmup)});
  items.push_back({"--seed", std::to_string(o.seed)});
  items.push_back({"--check", given(o.check)});
  items.push_back({"--time-scale", number(o.timeScale)});
  items.push_back({"--sparsify-time", o.sparsifyTime});
  items.push_back({"--epoch-iters", std::to_string(o.epochIters)});
  items.push_back({"--lr", number(o.lr)});
  items.push_back({"--device", o.device});
  items.push_back({"--backend", o.backend});
  items.push_back({"--data", t.data});
  if (!t.model.empty() && t.data == "fashion-mnist") {
    std::vector<std::string> read;
    for (const char *split : {"train", "t10k"})
      for (std::string &file : data::fashionMnistFiles(t.dataDir, split))
        read.push_back(std::move(file));
    items.push_back(files("--data-dir", t.dataDir, read));
  } else {
    items.push_back({"--data-dir", "not read"});
  }
  items.push_back({"--input-shape",
                   t.inputShape.empty() ? "from the model" : t.inputShape});
  items.push_back({"--epochs", std::to_string(t.epochs)});
  items.push_back({"--batch-size", std::to_string(t.batchSize)});
  items.push_back({"--momentum", number(t.momentum)});
  items.push_back({"--weight-decay", number(t.weightDecay)});
  items.push_back({"--lr-warmup-epochs", number(t.lrWarmupEpochs)});
  items.push_back({"--lr-schedule", t.lrSchedule});
  items.push_back({"--train-samples", std::to_string(t.trainSamples)});
  items.push_back({"--test-samples", std::to_string(t.testSamples)});
  return items;
}
