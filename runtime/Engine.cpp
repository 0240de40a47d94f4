//===- Engine.cpp - runs a schedule's buckets beside backprop -------------===//

#include "runtime/Engine.h"

#include "runtime/CompressionKinds.h"
#include "runtime/Diagnostics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

using namespace agtf::runtime;

Device::~Device() = default;

std::unique_ptr<Engine> Engine::create(std::shared_ptr<const Schedule> s,
                                       Communicator &comm,
                                       EngineOptions options,
                                       std::string &error) {
  const fb::Schedule &root = s->root();
  // Sparse selections send int32 indices (the wire format): a larger
  // bucket would wrap them, on the CPU and on a device alike.
  for (uint32_t i = 0; i < root.buckets()->size(); ++i) {
    const fb::Bucket *b = root.buckets()->Get(i);
    fb::CompressionKind kind = b->compression()->kind();
    if (!traitsOf(kind).sparse)
      continue;
    int64_t numel = 0;
    for (uint32_t t = b->first_tensor();
         t < b->first_tensor() + b->tensor_count(); ++t)
      numel += root.tensors()->Get(t)->numel();
    if (numel > std::numeric_limits<int32_t>::max()) {
      error = "bucket '" +
              (b->name() ? b->name()->str() : "b" + std::to_string(i)) + "' (" +
              fb::EnumNameCompressionKind(kind) + ") has " +
              std::to_string(numel) +
              " elements: sparse selections index with int32, at most "
              "2147483647; split it into smaller buckets";
      return nullptr;
    }
  }
  if (!options.chargedSparsifyUs.empty()) {
    if (options.device) {
      error = "charged sparsification times run on the CPU only";
      return nullptr;
    }
    if (options.chargedSparsifyUs.size() != root.buckets()->size()) {
      error = "charged sparsification times: " +
              std::to_string(options.chargedSparsifyUs.size()) + " for " +
              std::to_string(root.buckets()->size()) + " buckets";
      return nullptr;
    }
  }
  std::unique_ptr<Engine> e(new Engine(comm));
  e->options = options;
  e->timeline.enable(options.trace);
  int64_t total = 0;
  for (const fb::Tensor *t : *root.tensors()) {
    e->slices.push_back(
        {t->name()->str(), t->offset(), t->numel(), t->backward_us(), 0});
    total = t->offset() + t->numel();
  }
  e->gradientCount = total;
  if (options.device) {
    e->gradientData = options.device->allocate(total);
  } else {
    e->grads.assign(size_t(total), 0.0f);
    e->gradientData = e->grads.data();
  }

  for (auto [index, b] : [&] {
         std::vector<std::pair<uint32_t, const fb::Bucket *>> v;
         for (uint32_t i = 0; i < root.buckets()->size(); ++i)
           v.push_back({i, root.buckets()->Get(i)});
         return v;
       }()) {
    BucketInfo info;
    info.index = index;
    info.name = b->name() ? b->name()->str() : "b" + std::to_string(index);
    info.params = compressionSpecOf(*b->compression());
    int64_t start = e->slices[b->first_tensor()].offset;
    for (uint32_t t = b->first_tensor();
         t < b->first_tensor() + b->tensor_count(); ++t) {
      TensorSlice &slice = e->slices[t];
      slice.bucket = index;
      const fb::Tensor *ft = root.tensors()->Get(t);
      std::vector<int64_t> shape;
      if (ft->shape())
        shape.assign(ft->shape()->begin(), ft->shape()->end());
      info.tensors.push_back(
          {slice.name, std::move(shape), slice.offset - start, slice.numel});
      info.numel += slice.numel;
    }
    e->bucketOffset.push_back(start);
    auto compressor =
        options.device
            ? options.device->makeCompressor(std::move(info), comm.rank(),
                                             comm.size(), options.seed)
            : makeCompressor(std::move(info), comm.rank(), comm.size(),
                             options.seed);
    if (options.check)
      compressor->enableCheck();
    e->buckets.push_back(std::move(compressor));
  }

  // Schedule order: the order of the collective steps; without stream
  // programs, bucket order.
  std::vector<char> seen(e->buckets.size(), 0);
  if (root.steps())
    for (const fb::Step *step : *root.steps()) {
      fb::StepKind k = step->kind();
      if ((k == fb::StepKind::allreduce || k == fb::StepKind::allgather ||
           k == fb::StepKind::gtopk_reduce) &&
          !seen[step->bucket()]) {
        seen[step->bucket()] = 1;
        e->order.push_back(step->bucket());
      }
    }
  for (uint32_t b = 0; b < e->buckets.size(); ++b)
    if (!seen[b])
      e->order.push_back(b);
  // A bucket waits for all its tensors: one scheduled before a bucket whose
  // tensors come earlier in backprop would stall the pipeline, not break it.
  e->pending.assign(e->buckets.size(), 0);
  e->ready.assign(e->slices.size(), 0);
  if (options.device)
    options.device->prepare(uint32_t(e->slices.size()),
                            uint32_t(e->buckets.size()));

  Engine *raw = e.get();
  e->compressThread = std::thread([raw] { raw->compressLoop(); });
  e->commThread = std::thread([raw] { raw->communicateLoop(); });
  return e;
}

Engine::~Engine() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wakeCompress.notify_all();
  wakeComm.notify_all();
  compressThread.join();
  commThread.join();
}

void Engine::fail(const std::string &message) {
  reportError(comm.rank(), message);
  comm.abort(1);
  std::abort(); // not reached: abort() ends the job
}

void Engine::beginIteration(const IterationInfo &info) {
  std::unique_lock<std::mutex> lock(mutex);
  if (running)
    fail("beginIteration before the previous iteration was synchronized");
  // The threads wait for `running`: nothing reads the buckets meanwhile.
  if (!options.chargedSparsifyUs.empty()) {
    for (uint32_t b = 0; b < buckets.size(); ++b)
      buckets[b]->compress(gradientData + bucketOffset[b], info);
    chargedEnd.assign(buckets.size(), 0.0);
  }
  current = info;
  running = true;
  compressed = communicated = 0;
  std::fill(ready.begin(), ready.end(), 0);
  std::fill(pending.begin(), pending.end(), 0);
  for (const TensorSlice &s : slices)
    ++pending[s.bucket];
  comm.resetPayloadBytes();
}

void Engine::restartResidualMeasurement() {
  std::lock_guard<std::mutex> lock(mutex);
  if (running)
    fail("restartResidualMeasurement() during an iteration");
  for (std::unique_ptr<Compressor> &c : buckets)
    if (ResidualMeter *meter = c->residualMeter())
      meter->restart();
}

void Engine::markReady(uint32_t tensor, DeviceStream producer) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!running)
      fail("markReady(" + std::to_string(tensor) +
           ") outside an iteration (call beginIteration first)");
    if (tensor >= slices.size())
      fail("markReady(" + std::to_string(tensor) + "): the schedule has " +
           std::to_string(slices.size()) + " tensors");
    if (ready[tensor])
      fail("tensor '" + slices[tensor].name +
           "' was marked ready twice in one iteration");
    ready[tensor] = 1;
    if (options.device)
      options.device->tensorReady(tensor, producer);
    if (--pending[slices[tensor].bucket] != 0)
      return;
  }
  wakeCompress.notify_one();
}

void Engine::synchronize(DeviceStream consumer) {
  std::unique_lock<std::mutex> lock(mutex);
  if (!running)
    fail("synchronize() outside an iteration");
  for (size_t t = 0; t < ready.size(); ++t)
    if (!ready[t] && compressed < order.size()) {
      // Not an error yet: the producer may be another thread. Waiting is.
      break;
    }
  wakeDriver.wait(lock, [&] { return communicated == order.size(); });
  if (options.device && !order.empty())
    options.device->joinCommunication(order.back(), consumer);
  running = false;
}

void Engine::compressLoop() {
  if (options.device)
    options.device->bindThread();
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) {
    wakeCompress.wait(lock, [&] {
      return stopping || (running && compressed < order.size() &&
                          pending[order[compressed]] == 0);
    });
    if (stopping)
      return;
    uint32_t b = order[compressed];
    IterationInfo info = current;
    lock.unlock();
    double start = timeline.now();
    if (options.device) {
      const BucketInfo &bi = buckets[b]->info();
      uint32_t first = 0;
      while (slices[first].bucket != b)
        ++first;
      options.device->beforeCompress(b, first, uint32_t(bi.tensors.size()));
    }
    double end;
    if (!options.chargedSparsifyUs.empty()) {
      // The lane is free when the previous bucket's charge ends (this
      // thread alone writes `compressed`).
      if (compressed > 0)
        start = std::max(start, chargedEnd[order[compressed - 1]]);
      end = chargedEnd[b] = start + options.chargedSparsifyUs[b];
    } else {
      buckets[b]->compress(gradientData + bucketOffset[b], info);
      if (options.device)
        options.device->afterCompress(b);
      end = timeline.now();
    }
    timeline.span(Lane::Sparsify, "sparsify " + buckets[b]->info().name, start,
                  end);
    lock.lock();
    ++compressed;
    wakeComm.notify_one();
  }
}

void Engine::communicateLoop() {
  if (options.device)
    options.device->bindThread();
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) {
    wakeComm.wait(lock, [&] {
      return stopping || (running && communicated < compressed);
    });
    if (stopping)
      return;
    uint32_t b = order[communicated];
    lock.unlock();
    if (!options.chargedSparsifyUs.empty())
      timeline.waitUntil(chargedEnd[b]);
    double start = timeline.now();
    if (options.device)
      options.device->beforeCommunicate(b);
    buckets[b]->communicate(gradientData + bucketOffset[b], comm);
    if (options.device)
      options.device->afterCommunicate(b);
    double end = timeline.now();
    timeline.span(Lane::Comm, "comm " + buckets[b]->info().name, start, end);
    // The bucket's selection is complete once it is communicated (gTop-k's
    // is only then known).
    const ResidualMeter *meter = buckets[b]->residualMeter();
    if (meter && timeline.isEnabled())
      timeline.counter("residual " + buckets[b]->info().name,
                       "relative_residual", end, meter->lastBucketRatio());
    if (options.check) {
      int64_t before = comm.payloadBytes();
      checkBucket(b);
      comm.uncountPayloadBytes(comm.payloadBytes() - before);
    }
    lock.lock();
    ++communicated;
    if (communicated == order.size())
      wakeDriver.notify_all();
  }
}

void Engine::checkBucket(uint32_t b) {
  Compressor &c = *buckets[b];
  const std::vector<float> &mine = c.checkInput();
  int p = comm.size();
  // Every rank's input, gathered densely (lengths agree by construction;
  // the count goes first so a disagreement is reported, not misread).
  int64_t n = int64_t(mine.size());
  std::vector<int64_t> lengths(p);
  comm.allgather(&n, sizeof(n), lengths.data());
  for (int r = 0; r < p; ++r)
    if (lengths[r] != n)
      fail("--check: rank " + std::to_string(r) + " has " +
           std::to_string(lengths[r]) + " inputs for bucket '" + c.info().name +
           "', this rank " + std::to_string(n));
  std::vector<float> all(size_t(n) * p);
  comm.allgather(mine.data(), n * int64_t(sizeof(float)), all.data());
  std::vector<std::vector<float>> inputs(p);
  for (int r = 0; r < p; ++r)
    inputs[r].assign(all.begin() + r * n, all.begin() + (r + 1) * n);
  std::vector<float> expected = c.reference(inputs);
  double tolerance = c.tolerance(inputs);
  const float *got = gradientData + bucketOffset[b];
  std::vector<float> downloaded;
  if (options.device) {
    downloaded.resize(size_t(c.info().numel));
    options.device->download(downloaded.data(), got, c.info().numel);
    got = downloaded.data();
  }
  for (int64_t i = 0; i < c.info().numel; ++i) {
    double diff = std::fabs(double(got[i]) - double(expected[i]));
    if (!(diff <= tolerance)) {
      std::ostringstream os;
      os << "--check failed: bucket '" << c.info().name << "' ("
         << fb::EnumNameCompressionKind(c.info().params.kind)
         << ") at iteration " << current.iteration << ": element " << i
         << " is " << got[i] << ", the reference says " << expected[i]
         << " (tolerance " << tolerance << ")";
      fail(os.str());
    }
  }
}
