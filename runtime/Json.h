//===- Json.h - the JSON the tools write ------------------------*- C++ -*-===//
//
// Every JSON file and summary the project writes (traces, agtf-run's
// summaries and logs, cluster files, schedules as JSON) is built as a
// nlohmann::json value and turned into text here. This is the one place
// that decides what becomes of a number JSON cannot hold: a non-finite
// number is written as null, and stderr names the fields that had one, so
// that a diverged run still leaves files that every JSON parser reads.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_JSON_H
#define AGTF_RUNTIME_JSON_H

#include <nlohmann/json.hpp>

#include <string>

namespace agtf::runtime {

/// A JSON value whose objects keep their keys in the order they were added,
/// as people read them.
using Json = nlohmann::ordered_json;

/// `value` as printf's "%.<decimals>f" prints it, read back. nlohmann::json
/// prints a double's shortest exact form; a writer that printed a fixed
/// number of digits keeps its numbers by rounding them first.
double roundToDecimals(double value, int decimals);

/// `value` as printf's "%.<digits>g" prints it, read back.
double roundToSignificant(double value, int digits);

/// Turns the documents of one output (a file, stdout) into text.
class JsonOutput {
public:
  /// `tool` begins the warnings ("agtf-run"; "" for none); `output` names the
  /// output in them ("the --json summary", "trace 'FILE'").
  JsonOutput(std::string tool, std::string output);

  /// `document` as JSON text and a newline: on one line, or indented by
  /// `indent` spaces. Non-finite numbers become null; the first document
  /// that has any says so on stderr, naming their fields.
  std::string text(Json document, int indent = -1);

private:
  std::string tool, output;
  bool warned = false;
};

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_JSON_H
