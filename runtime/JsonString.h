//===- JsonString.h - a string as a JSON literal ----------------*- C++ -*-===//
//
// The tools write their JSON by hand (traces, summaries, cluster files);
// this is the one place that quotes a string for it. Control characters
// are dropped: they only ever come from paths or messages, where they are
// noise.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_JSONSTRING_H
#define AGTF_RUNTIME_JSONSTRING_H

#include <string>

namespace agtf::runtime {

/// `s` in double quotes, with `"` and `\` escaped.
inline std::string jsonQuoted(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20)
      out += c;
  }
  return out + "\"";
}

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_JSONSTRING_H
