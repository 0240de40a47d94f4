//===- agtf-import.cpp - TorchScript model to gcomm graph -----------------===//
//
// Reads a TorchScript model, profiles it with LibTorch (Profiler.cpp) and
// writes a gcomm.graph: one gcomm.tensor per trainable parameter in backprop
// order, with shape, element type, backward time or FLOPs, gradient RMS and
// norm, and the gradient-magnitude sketch. See docs/import.md.
//
//===----------------------------------------------------------------------===//

#include "dialect/GCommOps.h"
#include "runtime/OutputFile.h"
#include "tools/Version.h"
#include "tools/agtf-import/Profiler.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

using namespace mlir;
using namespace agtf::gcomm;
using agtf::import::ModelProfile;
using agtf::import::ProfileOptions;
using agtf::import::TensorProfile;

namespace cl = llvm::cl;

static cl::OptionCategory importCategory("agtf-import options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.pt>"),
                                      cl::cat(importCategory));
static cl::opt<std::string> outputFile("o", cl::init("-"),
                                       cl::desc("Output file (- for stdout)"),
                                       cl::value_desc("file"),
                                       cl::cat(importCategory));
static cl::opt<std::string>
    inputShape("input-shape", cl::Required,
               cl::desc("Input shape, e.g. 32x3x32x32, or NxT for token "
                        "models"),
               cl::value_desc("NxCxHxW"), cl::cat(importCategory));
static cl::opt<unsigned> profileIters(
    "profile-iters", cl::init(0),
    cl::desc("Measured iterations (0: no timing, analytic FLOPs only)"),
    cl::cat(importCategory));
static cl::opt<unsigned> warmup("warmup", cl::init(2),
                                cl::desc("Unmeasured iterations first"),
                                cl::cat(importCategory));
static cl::opt<std::string> device("device", cl::init("cpu"),
                                   cl::desc("cpu or cuda"),
                                   cl::cat(importCategory));
static cl::opt<uint64_t> seed("seed", cl::init(0), cl::desc("Random seed"),
                              cl::cat(importCategory));
static cl::opt<std::string>
    data("data", cl::init(""),
         cl::desc("Feed a data set instead of random inputs: fashion-mnist"),
         cl::cat(importCategory));
static cl::opt<std::string>
    dataDir("data-dir", cl::init("/usr/share/datasets/fashion-mnist"),
            cl::desc("Directory of the Fashion-MNIST idx files"),
            cl::cat(importCategory));
static cl::opt<int64_t> vocab(
    "vocab", cl::init(0),
    cl::desc("Feed int64 token ids below this (0: detect from the model's "
             "embedding when the input shape is NxT)"),
    cl::cat(importCategory));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "agtf-import: error: " << message << "\n";
  return 1;
}

/// Parses "AxBxC" into positive sizes.
static bool parseShape(llvm::StringRef text, std::vector<int64_t> &shape) {
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, 'x');
  for (llvm::StringRef part : parts) {
    int64_t size;
    if (part.getAsInteger(10, size) || size < 1)
      return false;
    shape.push_back(size);
  }
  return shape.size() >= 1;
}

static FloatAttr f64(OpBuilder &builder, double value) {
  return builder.getF64FloatAttr(value);
}

static Type elementType(OpBuilder &builder, const std::string &dtype) {
  if (dtype == "f16")
    return builder.getF16Type();
  if (dtype == "bf16")
    return builder.getBF16Type();
  if (dtype == "f64")
    return builder.getF64Type();
  return builder.getF32Type();
}

/// Builds the gcomm.graph of `profile` into `module`.
static void buildGraph(ModuleOp module, StringRef name,
                       const ModelProfile &profile) {
  OpBuilder builder(module.getContext());
  Location loc = builder.getUnknownLoc();
  builder.setInsertionPointToEnd(module.getBody());
  auto graph = builder.create<GraphOp>(loc, name);
  if (profile.profiled) {
    graph.setForwardUsAttr(f64(builder, profile.forwardUs));
    graph.setBackwardUsAttr(f64(builder, profile.backwardUs));
  }
  builder.setInsertionPointToEnd(&graph.getBody().front());
  for (const TensorProfile &tensor : profile.tensors) {
    auto type =
        RankedTensorType::get(tensor.shape, elementType(builder, tensor.dtype));
    FloatAttr backwardUs, rms, gradNorm;
    SketchAttr sketch;
    if (profile.profiled) {
      backwardUs = f64(builder, tensor.backwardUs);
      rms = f64(builder, tensor.rms);
      gradNorm = f64(builder, tensor.gradNorm);
      MLIRContext *context = builder.getContext();
      sketch =
          SketchAttr::get(context, DenseF64ArrayAttr::get(context, tensor.kept),
                          DenseF64ArrayAttr::get(context, tensor.threshold),
                          DenseF64ArrayAttr::get(context, tensor.energy));
    }
    builder.create<TensorOp>(loc, builder.getStringAttr(tensor.name),
                             TypeAttr::get(type), backwardUs,
                             f64(builder, tensor.flops), rms, gradNorm, sketch,
                             FloatAttr());
  }
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << agtf::versionLine("agtf-import") << "\n";
  });
  cl::HideUnrelatedOptions(importCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "AGTF importer: TorchScript model to a gcomm graph in backprop order\n");

  ProfileOptions options;
  options.modelPath = inputFile;
  if (!parseShape(inputShape, options.inputShape))
    return fail("--input-shape '" + inputShape +
                "' is not a shape like 32x3x32x32 or 32x35");
  if (device != "cpu" && device != "cuda")
    return fail("--device must be cpu or cuda, got '" + device + "'");
  if (!data.empty() && data != "fashion-mnist")
    return fail("--data must be fashion-mnist, got '" + data + "'");
  if (vocab < 0)
    return fail("--vocab must be >= 0");
  options.profileIters = profileIters;
  options.warmup = warmup;
  options.device = device;
  options.seed = seed;
  options.data = data;
  options.dataDir = dataDir;
  options.vocab = vocab;

  // Opened first, to fail before profiling; the graph takes the name only
  // when it is written whole, and an early return removes the temporary
  // (runtime/OutputFile.h).
  std::string openError;
  std::unique_ptr<agtf::runtime::OutputFile> output =
      agtf::runtime::OutputFile::open(
          outputFile, openError, agtf::runtime::OutputFile::Dash::IsStdout);
  if (!output)
    return fail(openError);
  ModelProfile profile;
  std::string error;
  if (!agtf::import::profileModel(options, profile, error))
    return fail(error);
  size_t missing = 0;
  for (const TensorProfile &tensor : profile.tensors)
    missing += !tensor.hasGradient;
  if (missing)
    llvm::errs() << "agtf-import: warning: " << missing
                 << " trainable parameter(s) received no gradient; they "
                    "are listed last\n";
  if (!profile.outputFinite)
    llvm::errs() << "agtf-import: warning: the model's output or loss is not "
                    "finite on "
                 << profile.inputDescription
                 << ": it cannot be trained as it is (a damaged file, or "
                    "weights that overflow)\n";
  if (!profile.nonFiniteGradients.empty())
    llvm::errs() << "agtf-import: warning: "
                 << profile.nonFiniteGradients.size()
                 << " parameter(s) have a gradient that is not finite, the "
                    "first '"
                 << profile.nonFiniteGradients.front() << "'\n";

  MLIRContext context;
  context.loadDialect<GCommDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  std::string graphName = llvm::sys::path::stem(inputFile).str();
  buildGraph(*module, graphName, profile);
  {
    std::string message;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    if (failed(verify(*module)))
      return fail("internal: the imported graph does not verify: " + message);
  }

  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// Imported by agtf-import from "
     << llvm::sys::path::filename(inputFile) << ": input "
     << profile.inputDescription << ", ";
  if (profile.profiled)
    os << profileIters << " profiled iteration"
       << (profileIters == 1 ? "" : "s") << " (after " << warmup
       << " warmup) on " << device << ", seed " << seed << ".\n";
  else
    os << "unprofiled (analytic backward FLOPs), seed " << seed << ".\n";
  for (Operation &op : module->getBody()->getOperations())
    op.print(os);
  os << "\n";

  output->write(text);
  if (std::string why = output->commit(); !why.empty())
    return fail(why);
  return 0;
}
