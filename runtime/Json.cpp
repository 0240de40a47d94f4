//===- Json.cpp - the JSON the tools write --------------------------------===//

#include "runtime/Json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace agtf::runtime;

namespace {
double readBack(const char *format, int precision, double value) {
  if (!std::isfinite(value))
    return value; // left for JsonOutput to report
  char text[512];
  std::snprintf(text, sizeof(text), format, precision, value);
  return std::strtod(text, nullptr);
}

/// Replaces the non-finite numbers under `value` by null and appends their
/// fields to `fields`: "train_loss[1]", "measured.topk.s0_us".
void nullNonFinite(Json &value, const std::string &field,
                   std::vector<std::string> &fields) {
  if (value.is_number_float()) {
    if (!std::isfinite(value.get<double>())) {
      fields.push_back(field.empty() ? "the value" : field);
      value = nullptr;
    }
  } else if (value.is_object()) {
    for (auto &[key, member] : value.items())
      nullNonFinite(member, field.empty() ? key : field + "." + key, fields);
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      nullNonFinite(value[i], field + "[" + std::to_string(i) + "]", fields);
  }
}
} // namespace

double agtf::runtime::roundToDecimals(double value, int decimals) {
  return readBack("%.*f", decimals, value);
}

double agtf::runtime::roundToSignificant(double value, int digits) {
  return readBack("%.*g", digits, value);
}

JsonOutput::JsonOutput(std::string tool, std::string output)
    : tool(std::move(tool)), output(std::move(output)) {}

std::string JsonOutput::text(Json document, int indent) {
  std::vector<std::string> fields;
  nullNonFinite(document, "", fields);
  if (!fields.empty() && !warned) {
    warned = true;
    // A diverged run has thousands of them: the first few say enough.
    const size_t named = 5;
    std::string list;
    for (size_t i = 0; i < fields.size() && i < named; ++i)
      list += (i ? ", " : "") + fields[i];
    if (fields.size() > named)
      list += " and " + std::to_string(fields.size() - named) + " more";
    std::fprintf(
        stderr, "%s%swarning: %s: not a finite number, written as null: %s\n",
        tool.c_str(), tool.empty() ? "" : ": ", output.c_str(), list.c_str());
  }
  // Paths and names come from the command line and may not be UTF-8; such
  // bytes become U+FFFD rather than an exception.
  return document.dump(indent, ' ', false, Json::error_handler_t::replace) +
         "\n";
}
