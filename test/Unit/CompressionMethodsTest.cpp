//===- CompressionMethodsTest.cpp - gcomm-merge's table of methods --------===//
//
// Every row writes an attribute that reads back as its own method, every
// spelling is found, and the names are unique: the table is the one place
// parseCompression, readPlan and writePlan look methods up.
//
//===----------------------------------------------------------------------===//

#include "passes/CompressionMethods.h"
#include "dialect/GCommAttrs.h"
#include "dialect/GCommDialect.h"
#include "runtime/CompressionKinds.h"
#include "runtime/translations/CompressionSpecs.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <set>

using namespace agtf;
using namespace agtf::gcomm;

TEST(CompressionMethods, EveryRowReadsBackAsItself) {
  mlir::MLIRContext context;
  context.loadDialect<GCommDialect>();
  std::set<std::string> names;
  for (const CompressionMethodRow &row : compressionMethods()) {
    SCOPED_TRACE(row.name.str());
    EXPECT_TRUE(names.insert(row.name.str()).second) << "name twice";
    EXPECT_EQ(findCompressionMethod(row.name), &row);
    if (!row.alias.empty())
      EXPECT_EQ(findCompressionMethod(row.alias), &row);
    mlir::Attribute attr = row.attribute(&context, llvm::APFloat(0.25), 3);
    ASSERT_TRUE(attr);
    EXPECT_TRUE(row.matches(attr));
    EXPECT_EQ(methodOf(attr), row.method);
    // Methods may share a cost method; the row a bucket priced so falls
    // back to is one of them.
    EXPECT_EQ(rowOf(row.method, row.halfPrecision).method, row.method);
    // The schedule's table carries the attribute whole, and the dialect
    // and the runtime agree on how it travels.
    runtime::CompressionSpec spec = compressionSpecOf(attr);
    EXPECT_EQ(spec.kind, row.shape.kind);
    EXPECT_EQ(attributeOf(&context, spec), attr);
    auto compression = mlir::cast<CompressionAttrInterface>(attr);
    const runtime::CompressionKindTraits &traits = runtime::traitsOf(spec.kind);
    EXPECT_EQ(compression.isSparse(), traits.sparse);
    EXPECT_EQ(stringifyCollective(compression.getDefaultCollective()).str(),
              fb::EnumNameCollective(traits.collective));
  }
  EXPECT_EQ(findCompressionMethod("acp")->method, cost::Method::LowRank);
  EXPECT_EQ(findCompressionMethod("bogus"), nullptr);
  EXPECT_EQ(compressionMethodList(),
            "dense, dense-f16, topk, topk-sampled, gtopk, dgc, lowrank (acp) "
            "or powersgd");
}
