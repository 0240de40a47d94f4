//===- DialectTest.cpp - gcomm through the C++ API ------------------------===//
//
// Passes build gcomm IR through the C++ API, where no parser checks
// attribute parameters: the op verifiers must catch what the parser would,
// naming the op.
//
//===----------------------------------------------------------------------===//

#include "dialect/GCommOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace agtf::gcomm;

namespace {

class GCommDialectTest : public ::testing::Test {
protected:
  GCommDialectTest() { context.loadDialect<GCommDialect>(); }

  /// Builds @g with tensors @a (4x3) and @b (7) and one bucket over both.
  OwningOpRef<ModuleOp> buildGraph(CompressionAttrInterface compression,
                                   Collective collective) {
    OpBuilder builder(&context);
    auto loc = builder.getUnknownLoc();
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    auto graph = builder.create<GraphOp>(loc, "g");
    builder.setInsertionPointToEnd(&graph.getBody().front());
    auto f32 = builder.getF32Type();
    auto makeTensor = [&](StringRef name, ArrayRef<int64_t> shape) {
      auto tensor = builder.create<TensorOp>(
          loc, builder.getStringAttr(name),
          TypeAttr::get(RankedTensorType::get(shape, f32)), FloatAttr(),
          FloatAttr(), FloatAttr(), FloatAttr(), SketchAttr(), FloatAttr());
      return FlatSymbolRefAttr::get(tensor.getSymNameAttr());
    };
    Attribute a = makeTensor("a", {4, 3});
    Attribute b = makeTensor("b", {7});
    builder.create<BucketOp>(
        loc, builder.getStringAttr("b0"), builder.getArrayAttr({a, b}),
        compression, CollectiveAttr::get(&context, collective), TimesAttr());
    return module;
  }

  /// Verifies `op` and returns the first error message, or "" if valid.
  std::string verifyMessage(Operation *op) {
    std::string message;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    if (succeeded(verify(op)))
      return "";
    return message;
  }

  MLIRContext context;
};

TEST_F(GCommDialectTest, ValidGraphAndDerivedNumel) {
  auto module = buildGraph(cast<CompressionAttrInterface>(DenseAttr::get(
                               &context, Float32Type::get(&context))),
                           Collective::allreduce);
  EXPECT_EQ(verifyMessage(*module), "");
  auto graph = *module->getOps<GraphOp>().begin();
  SmallVector<TensorOp> tensors(graph.getTensors());
  ASSERT_EQ(tensors.size(), 2u);
  EXPECT_EQ(tensors[0].getNumel(), 12);
  EXPECT_EQ(tensors[1].getNumel(), 7);
  EXPECT_EQ(tensors[0].getElementBytes(), 4);
  EXPECT_TRUE(graph.isPlanned());
}

TEST_F(GCommDialectTest, BuilderDensityIsCheckedAndNamesBucket) {
  auto topk = TopKAttr::get(&context, llvm::APFloat(1.5), SelectMethod::exact,
                            Float32Type::get(&context));
  auto module =
      buildGraph(cast<CompressionAttrInterface>(topk), Collective::allgather);
  std::string message = verifyMessage(*module);
  EXPECT_NE(message.find("bucket @b0"), std::string::npos) << message;
  EXPECT_NE(message.find("density must be in (0, 1]"), std::string::npos)
      << message;
}

TEST_F(GCommDialectTest, CollectiveMustCarryCompression) {
  auto gtopk =
      GTopKAttr::get(&context, llvm::APFloat(0.01), Float32Type::get(&context));
  auto module =
      buildGraph(cast<CompressionAttrInterface>(gtopk), Collective::allreduce);
  std::string message = verifyMessage(*module);
  EXPECT_NE(message.find("cannot be carried by allreduce; use gtopk"),
            std::string::npos)
      << message;
}

TEST_F(GCommDialectTest, PrintedFloatsReadBackBitExact) {
  // Doubles that a fixed-precision printer would round.
  for (double density : {0.1, 1.0 / 3.0, 1e-5, 0.0012345678901234567}) {
    auto topk =
        TopKAttr::get(&context, llvm::APFloat(density), SelectMethod::sampled,
                      Float16Type::get(&context));
    std::string text;
    llvm::raw_string_ostream os(text);
    Attribute(topk).print(os);
    Attribute parsed = parseAttribute(os.str(), &context);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(parsed, Attribute(topk)) << text;
  }
}

} // namespace
