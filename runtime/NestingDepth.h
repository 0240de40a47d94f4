//===- NestingDepth.h - how deep brackets nest in a text input -*- C++ -*-===//
//
// The JSON and MLIR parsers descend recursively: a file nested 10^5 deep
// exhausts the stack before they can report it. Inputs are measured first
// and refused above limits::kMaxNesting.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_NESTINGDEPTH_H
#define AGTF_RUNTIME_NESTINGDEPTH_H

#include <algorithm>
#include <string>
#include <string_view>

namespace agtf {

/// The deepest nesting of ( [ { < in `text`, outside double-quoted strings
/// (with backslash escapes) and, when `lineComments`, outside // comments
/// (MLIR's). Unbalanced closers never take it below 0, so "->" in MLIR
/// costs nothing.
inline int nestingDepth(std::string_view text, bool lineComments = false) {
  int depth = 0, deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (lineComments && c == '/' && i + 1 < text.size() &&
               text[i + 1] == '/') {
      i = std::min(text.find('\n', i), text.size());
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')' || c == ']' || c == '}' || c == '>') {
      depth = std::max(depth - 1, 0);
    }
  }
  return deepest;
}

/// "" when the MLIR text of `file` nests at most `most` deep, else the
/// message. A binary input (it holds a NUL byte: a schedule) is not text
/// and not measured.
inline std::string mlirTooDeep(std::string_view text, const std::string &file,
                               int most) {
  if (text.find('\0') != std::string_view::npos)
    return "";
  int depth = nestingDepth(text, /*lineComments=*/true);
  if (depth <= most)
    return "";
  return "'" + file + "' is nested " + std::to_string(depth) +
         " deep (at most " + std::to_string(most) + ")";
}

} // namespace agtf

#endif // AGTF_RUNTIME_NESTINGDEPTH_H
