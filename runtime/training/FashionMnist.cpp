//===- FashionMnist.cpp - Fashion-MNIST from its gzipped IDX files --------===//

#include "runtime/training/FashionMnist.h"

#include <zlib.h>

using namespace agtf::data;

namespace {
uint32_t bigEndian(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

/// The bytes of a gzipped IDX file after its header, or an error. The
/// header is the magic number (0x0801 unsigned bytes, 1-D; 0x0803, 3-D)
/// and the big-endian sizes: `count` and, for images, 28 and 28.
std::string readGz(const std::string &path, size_t header,
                   std::vector<uint8_t> &out) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file)
    return "cannot open Fashion-MNIST file '" + path + "'";
  std::vector<uint8_t> bytes;
  uint8_t buffer[1 << 16];
  int n;
  while ((n = gzread(file, buffer, sizeof(buffer))) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  bool failed = n < 0;
  gzclose(file);
  if (failed || bytes.size() <= header)
    return "Fashion-MNIST file '" + path + "' is truncated";
  bool images = header == 16;
  if (bigEndian(bytes.data()) != (images ? 0x803u : 0x801u) ||
      (images && (bigEndian(&bytes[8]) != 28 || bigEndian(&bytes[12]) != 28)))
    return "'" + path + "' is not an IDX file of Fashion-MNIST " +
           (images ? "images (28x28 unsigned bytes)" : "labels");
  if (bytes.size() - header !=
      size_t(bigEndian(&bytes[4])) * (images ? 784 : 1))
    return "Fashion-MNIST file '" + path +
           "' does not hold as many items as its header says";
  out.assign(bytes.begin() + header, bytes.end());
  return "";
}
} // namespace

std::string agtf::data::readFashionMnist(const std::string &dir,
                                         const std::string &split,
                                         IdxImages &out) {
  std::vector<std::string> files = fashionMnistFiles(dir, split);
  std::string error = readGz(files[0], 16, out.pixels);
  if (error.empty())
    error = readGz(files[1], 8, out.labels);
  if (!error.empty())
    return error;
  out.count = int64_t(out.labels.size());
  if (int64_t(out.pixels.size()) != out.count * 784)
    return "Fashion-MNIST files '" + split + "-*' in '" + dir +
           "' do not match";
  for (uint8_t label : out.labels)
    if (label >= 10)
      return "Fashion-MNIST labels in '" + dir + "' are not below 10";
  return "";
}
