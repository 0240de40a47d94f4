//===- ClusterFile.cpp - cluster cost constants as JSON and attributes ----===//

#include "passes/ClusterFile.h"
#include "runtime/Limits.h"
#include "runtime/NestingDepth.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <functional>
#include <vector>

using namespace mlir;
using namespace agtf;
using namespace agtf::gcomm;

namespace {

const char *collectiveNames[3] = {"allreduce", "allgather", "gtopk"};

/// One field of the cluster: its key and where its value lives.
struct Field {
  std::string key;
  std::function<double &(cost::Cluster &)> ref;
  bool integer = false;
};

std::vector<Field> fields() {
  std::vector<Field> f;
  f.push_back({"workers", nullptr, true});
  for (int c = 0; c < 3; ++c) {
    f.push_back({std::string("alpha_") + collectiveNames[c] + "_us",
                 [c](cost::Cluster &k) -> double & { return k.alphaUs[c]; }});
    f.push_back(
        {std::string("beta_") + collectiveNames[c] + "_us_per_byte",
         [c](cost::Cluster &k) -> double & { return k.betaUsPerByte[c]; }});
  }
  auto add = [&](const char *key, double cost::Cluster::*member) {
    f.push_back(
        {key, [member](cost::Cluster &k) -> double & { return k.*member; }});
  };
  add("sparsify_us", &cost::Cluster::sparsifyUs);
  add("sparsify_us_per_element", &cost::Cluster::sparsifyUsPerElement);
  add("pack_us_per_element", &cost::Cluster::packUsPerElement);
  add("decompress_us_per_element", &cost::Cluster::decompressUsPerElement);
  add("bucket_us", &cost::Cluster::bucketUs);
  add("peak_gflops", &cost::Cluster::peakGflops);
  add("efficiency", &cost::Cluster::efficiency);
  add("update_us_per_element", &cost::Cluster::updateUsPerElement);
  f.push_back({"value_bytes", nullptr, true});
  f.push_back({"index_bytes", nullptr, true});
  return f;
}

int64_t &integerField(cost::Cluster &cluster, llvm::StringRef key) {
  if (key == "workers")
    return cluster.workers;
  if (key == "value_bytes")
    return cluster.valueBytes;
  return cluster.indexBytes;
}

/// Sets one key from a number; `alpha_us` and `beta_us_per_byte` set all
/// three collectives at once.
LogicalResult setNumber(cost::Cluster &cluster, llvm::StringRef key,
                        double value, std::string &error) {
  if (key == "alpha_us" || key == "beta_us_per_byte") {
    for (int c = 0; c < 3; ++c)
      (key == "alpha_us" ? cluster.alphaUs : cluster.betaUsPerByte)[c] = value;
    return success();
  }
  for (const Field &field : fields()) {
    if (field.key != key)
      continue;
    if (field.integer) {
      if (value != std::floor(value)) {
        error = "'" + key.str() + "' must be an integer";
        return failure();
      }
      integerField(cluster, key) = int64_t(value);
    } else {
      field.ref(cluster) = value;
    }
    return success();
  }
  error = "unknown key '" + key.str() + "'";
  return failure();
}

LogicalResult setTimeline(cost::Cluster &cluster, llvm::StringRef value,
                          std::string &error) {
  for (cost::Timeline t :
       {cost::Timeline::Serial, cost::Timeline::Stream, cost::Timeline::Shared})
    if (value == cost::timelineName(t)) {
      cluster.timeline = t;
      return success();
    }
  error = "'timeline' must be \"serial\", \"stream\" or \"shared\", got \"" +
          value.str() + "\"";
  return failure();
}

} // namespace

LogicalResult agtf::gcomm::validateCluster(const cost::Cluster &c,
                                           std::string &error) {
  if (c.workers < 1) {
    error = "'workers' must be >= 1, got " + std::to_string(c.workers);
    return failure();
  }
  // One price: a bucket's values are as wide as its compression sends them
  // (f32, or binary16 for dense-f16 and f16 attributes) and indices are
  // int32, so the cluster cannot say otherwise.
  if (c.valueBytes != 4 || c.indexBytes != 4) {
    error = "'value_bytes' and 'index_bytes' must be 4 (got " +
            std::to_string(c.valueBytes) + " and " +
            std::to_string(c.indexBytes) +
            "): the compression decides the width of values on the wire "
            "(dense-f16 and f16 attributes send 2 bytes) and indices are int32";
    return failure();
  }
  cost::Cluster copy = c;
  for (const Field &field : fields()) {
    if (field.integer)
      continue;
    double v = field.ref(copy);
    if (!std::isfinite(v) || v < 0.0) {
      error = "'" + field.key + "' must be finite and >= 0, got " +
              std::to_string(v);
      return failure();
    }
  }
  for (int k = 0; k < cost::kCurves; ++k) {
    const std::vector<cost::Sample> &samples = c.samples[k];
    for (size_t i = 0; i < samples.size(); ++i) {
      const cost::Sample &s = samples[i];
      bool increasing = i == 0 || s.size > samples[i - 1].size;
      if (!(s.size > 0.0 && std::isfinite(s.size) && s.us > 0.0 &&
            std::isfinite(s.us) && increasing)) {
        error = std::string("the samples of ") +
                cost::curveName(cost::Curve(k)) +
                " must have sizes > 0 in increasing order and times > 0";
        return failure();
      }
    }
  }
  if (c.peakGflops <= 0.0 || c.efficiency <= 0.0 || c.efficiency > 1.0) {
    error = "'peak_gflops' must be > 0 and 'efficiency' in (0, 1]";
    return failure();
  }
  return success();
}

LogicalResult agtf::gcomm::readClusterFile(llvm::StringRef path,
                                           cost::Cluster &cluster,
                                           std::string &error) {
  auto fail = [&](const llvm::Twine &what) {
    error = ("cluster file '" + path + "': " + what).str();
    return failure();
  };
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail(buffer.getError().message());
  if (int depth = nestingDepth((*buffer)->getBuffer());
      depth > limits::kMaxNesting)
    return fail("nested " + llvm::Twine(depth) + " deep (at most " +
                llvm::Twine(limits::kMaxNesting) + ")");
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return fail("not valid JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *object = json->getAsObject();
  if (!object)
    return fail("expected a JSON object");
  // llvm::json::Object iterates in hash order: read the keys that set every
  // collective (alpha_us, beta_us_per_byte) first, so that a collective's
  // own key (alpha_<collective>_us, ...) overrides them in any file.
  std::vector<llvm::StringRef> keys;
  for (const auto &entry : *object)
    keys.push_back(entry.first);
  auto allCollectives = [](llvm::StringRef key) {
    return key == "alpha_us" || key == "beta_us_per_byte";
  };
  llvm::sort(keys, [&](llvm::StringRef a, llvm::StringRef b) {
    if (allCollectives(a) != allCollectives(b))
      return allCollectives(a);
    return a < b;
  });
  for (llvm::StringRef key : keys) {
    const llvm::json::Value &value = *object->get(key);
    std::string message;
    if (key == "timeline") {
      std::optional<llvm::StringRef> text = value.getAsString();
      if (!text)
        return fail("'timeline' must be a string");
      if (failed(setTimeline(cluster, *text, message)))
        return fail(message);
      continue;
    }
    // agtf-profile's fits, samples and provenance (docs/passes.md): the
    // cost model reads the samples of each curve; the rest is for people.
    if (key == "measured") {
      const llvm::json::Object *measured = value.getAsObject();
      if (!measured)
        return fail("'measured' must be an object");
      for (int c = 0; c < cost::kCurves; ++c) {
        const llvm::json::Object *fit =
            measured->getObject(cost::curveName(cost::Curve(c)));
        const llvm::json::Array *samples =
            fit ? fit->getArray("samples") : nullptr;
        if (!samples)
          continue;
        std::vector<cost::Sample> &out = cluster.samples[c];
        out.clear();
        for (const llvm::json::Value &sample : *samples) {
          const llvm::json::Array *pair = sample.getAsArray();
          std::optional<double> size, us;
          if (pair && pair->size() == 2) {
            size = (*pair)[0].getAsNumber();
            us = (*pair)[1].getAsNumber();
          }
          if (!size || !us)
            return fail(Twine("'measured.") + cost::curveName(cost::Curve(c)) +
                        ".samples' must be [size, us] pairs");
          out.push_back({*size, *us});
        }
        llvm::sort(out, [](const cost::Sample &a, const cost::Sample &b) {
          return a.size < b.size;
        });
      }
      continue;
    }
    if (key == "alpha_us" || key == "beta_us_per_byte") {
      // Either one number or one per collective.
      if (const llvm::json::Object *per = value.getAsObject()) {
        for (const auto &[name, v] : *per) {
          std::optional<double> number = v.getAsNumber();
          std::string full =
              (key == "alpha_us" ? "alpha_" + name.str() + "_us"
                                 : "beta_" + name.str() + "_us_per_byte");
          if (!number)
            return fail("'" + key.str() + "." + name.str() +
                        "' must be a number");
          if (failed(setNumber(cluster, full, *number, message)))
            return fail("unknown collective '" + name.str() + "' in '" +
                        key.str() + "' (allreduce, allgather, gtopk)");
        }
        continue;
      }
    }
    std::optional<double> number = value.getAsNumber();
    if (!number)
      return fail("'" + key.str() + "' must be a number");
    if (failed(setNumber(cluster, key, *number, message)))
      return fail(message);
  }
  if (failed(validateCluster(cluster, error)))
    return fail(error);
  return success();
}

DictionaryAttr agtf::gcomm::clusterToAttr(MLIRContext *ctx,
                                          const cost::Cluster &cluster) {
  Builder b(ctx);
  cost::Cluster copy = cluster;
  SmallVector<NamedAttribute> entries;
  for (const Field &field : fields()) {
    if (field.integer)
      entries.push_back(b.getNamedAttr(
          field.key, b.getI64IntegerAttr(integerField(copy, field.key))));
    else
      entries.push_back(
          b.getNamedAttr(field.key, b.getF64FloatAttr(field.ref(copy))));
  }
  for (int c = 0; c < cost::kCurves; ++c) {
    if (cluster.samples[c].empty())
      continue;
    SmallVector<double> flat;
    for (const cost::Sample &s : cluster.samples[c]) {
      flat.push_back(s.size);
      flat.push_back(s.us);
    }
    entries.push_back(b.getNamedAttr(std::string("samples_") +
                                         cost::curveName(cost::Curve(c)),
                                     DenseF64ArrayAttr::get(ctx, flat)));
  }
  entries.push_back(b.getNamedAttr(
      "timeline", b.getStringAttr(cost::timelineName(cluster.timeline))));
  return b.getDictionaryAttr(entries);
}

LogicalResult agtf::gcomm::clusterFromAttr(DictionaryAttr attr,
                                           cost::Cluster &cluster,
                                           std::string &error) {
  for (NamedAttribute entry : attr) {
    StringRef key = entry.getName().getValue();
    if (auto text = dyn_cast<StringAttr>(entry.getValue())) {
      if (key != "timeline") {
        error = "'" + key.str() + "' must be a number";
        return failure();
      }
      if (failed(setTimeline(cluster, text.getValue(), error)))
        return failure();
      continue;
    }
    if (key.starts_with("samples_")) {
      auto flat = dyn_cast<DenseF64ArrayAttr>(entry.getValue());
      int c = 0;
      while (c < cost::kCurves &&
             key.drop_front(8) != cost::curveName(cost::Curve(c)))
        ++c;
      if (!flat || c == cost::kCurves || flat.size() % 2 != 0) {
        error = "'" + key.str() +
                "' must be array<f64: size, us, ...> of a collective, "
                "compress or decompress";
        return failure();
      }
      cluster.samples[c].clear();
      for (int64_t i = 0; i + 1 < flat.size(); i += 2)
        cluster.samples[c].push_back({flat[i], flat[i + 1]});
      continue;
    }
    double value;
    if (auto f = dyn_cast<FloatAttr>(entry.getValue()))
      value = f.getValueAsDouble();
    else if (auto i = dyn_cast<IntegerAttr>(entry.getValue()))
      value = double(i.getInt());
    else {
      error = "'" + key.str() + "' must be a number";
      return failure();
    }
    if (failed(setNumber(cluster, key, value, error)))
      return failure();
  }
  return validateCluster(cluster, error);
}
