//===- JsonTest.cpp - the one rule of the JSON the tools write ------------===//
//
// A diverged run's NaN and inf become null, so that python's json module
// and every other parser read the file; stderr names the fields once per
// output; the rounding helpers keep the digits the writers always printed.
//
//===----------------------------------------------------------------------===//

#include "runtime/Json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace agtf::runtime;

namespace {
const double nan = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

TEST(JsonOutput, NonFiniteNumbersBecomeNullWithAWarning) {
  JsonOutput output("agtf-run", "the log 'x.jsonl'");
  testing::internal::CaptureStderr();
  std::string text = output.text({{"epoch", 1},
                                  {"train_loss", {0.5, nan, -inf}},
                                  {"nested", {{"seconds", inf}}},
                                  {"fine", 2.5}});
  std::string warning = testing::internal::GetCapturedStderr();
  EXPECT_EQ(text, "{\"epoch\":1,\"train_loss\":[0.5,null,null],"
                  "\"nested\":{\"seconds\":null},\"fine\":2.5}\n");
  EXPECT_EQ(warning, "agtf-run: warning: the log 'x.jsonl': not a finite "
                     "number, written as null: train_loss[1], "
                     "train_loss[2], nested.seconds\n");
  EXPECT_TRUE(Json::parse(text)["train_loss"][1].is_null());
}

TEST(JsonOutput, WarnsOncePerOutput) {
  JsonOutput output("agtf-run", "the log 'x.jsonl'");
  testing::internal::CaptureStderr();
  output.text({{"train_loss", 1.0}});
  output.text({{"train_loss", nan}});
  std::string second = output.text({{"train_loss", nan}});
  std::string warning = testing::internal::GetCapturedStderr();
  EXPECT_EQ(second, "{\"train_loss\":null}\n");
  EXPECT_EQ(warning, "agtf-run: warning: the log 'x.jsonl': not a finite "
                     "number, written as null: train_loss\n");
}

TEST(JsonOutput, NamesTheFirstFewOfManyFields) {
  Json values = Json::array();
  for (int i = 0; i < 8; ++i)
    values.push_back(nan);
  testing::internal::CaptureStderr();
  JsonOutput("agtf", "trace 't.json'").text(values);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "agtf: warning: trace 't.json': not a finite number, written as "
            "null: [0], [1], [2], [3], [4] and 3 more\n");
}

TEST(JsonOutput, FiniteDocumentsAreQuiet) {
  testing::internal::CaptureStderr();
  std::string text = JsonOutput("agtf-run", "the --json summary")
                         .text({{"ranks", 2}, {"ok", true}}, 2);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(text, "{\n  \"ranks\": 2,\n  \"ok\": true\n}\n");
}

TEST(JsonOutput, EscapesStringsAndReplacesBadUtf8) {
  std::string text = JsonOutput("agtf-run", "the --json summary")
                         .text({{"schedule", "a\"b\\c\x01\xff.bin"}});
  EXPECT_EQ(text, "{\"schedule\":\"a\\\"b\\\\c\\u0001\xef\xbf\xbd.bin\"}\n");
}

TEST(JsonRounding, KeepsThePrintfDigits) {
  EXPECT_EQ(Json(roundToDecimals(2.29998779296875, 6)).dump(), "2.299988");
  EXPECT_EQ(Json(roundToDecimals(0.164, 6)).dump(), "0.164");
  EXPECT_EQ(Json(roundToDecimals(1234.5678, 3)).dump(), "1234.568");
  EXPECT_EQ(Json(roundToDecimals(12345.6, 0)).dump(), "12346.0");
  EXPECT_EQ(Json(roundToSignificant(3.14159265e-7, 6)).dump(), "3.14159e-07");
  EXPECT_TRUE(std::isnan(roundToDecimals(nan, 3)));
  EXPECT_EQ(roundToSignificant(-inf, 6), -inf);
}
} // namespace
