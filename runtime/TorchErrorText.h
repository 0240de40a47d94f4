//===- TorchErrorText.h - one line out of a LibTorch error ------*- C++ -*-===//
//
// LibTorch's messages span many lines; TorchScript errors carry a traceback
// whose last "XxxError: " line says what failed. The tools print that line
// (or the first one), at most 300 characters.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_TORCHERRORTEXT_H
#define AGTF_RUNTIME_TORCHERRORTEXT_H

#include <c10/util/Exception.h>

#include <exception>
#include <sstream>
#include <string>
#include <vector>

namespace agtf::runtime {

inline std::string torchErrorLine(const std::exception &e) {
  std::string text = e.what();
  if (auto *c10Error = dynamic_cast<const c10::Error *>(&e))
    text = c10Error->msg();
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    size_t begin = line.find_first_not_of(" \t");
    if (begin != std::string::npos)
      lines.push_back(line.substr(begin));
  }
  std::string result = lines.empty() ? "unknown error" : lines.front();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    size_t colon = it->find("Error: ");
    if (colon != std::string::npos && it->find(' ') > colon) {
      result = it->substr(colon + 7);
      break;
    }
  }
  return result.size() > 300 ? result.substr(0, 297) + "..." : result;
}

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_TORCHERRORTEXT_H
