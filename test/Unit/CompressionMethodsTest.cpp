//===- CompressionMethodsTest.cpp - gcomm-merge's table of methods --------===//
//
// Every row writes an attribute that reads back as its own method, every
// spelling is found, and the names are unique: the table is the one place
// parseCompression, readPlan and writePlan look methods up.
//
//===----------------------------------------------------------------------===//

#include "passes/CompressionMethods.h"
#include "dialect/GCommDialect.h"

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
    EXPECT_EQ(&rowOf(row.method, row.halfPrecision), &row);
  }
  EXPECT_EQ(findCompressionMethod("acp")->method, cost::Method::LowRank);
  EXPECT_EQ(findCompressionMethod("bogus"), nullptr);
  EXPECT_EQ(compressionMethodList(),
            "dense, dense-f16, topk, topk-sampled, gtopk, dgc, lowrank (acp) "
            "or powersgd");
}
