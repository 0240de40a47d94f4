//===- GCommAttrs.cpp - gcomm attributes ----------------------------------===//

#include "dialect/GCommAttrs.h"
#include "dialect/GCommDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

#include <charconv>
#include <cmath>

using namespace mlir;
using namespace agtf::gcomm;

#include "dialect/GCommAttrInterfaces.cpp.inc"
#include "dialect/GCommEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/GCommAttrs.cpp.inc"

void GCommDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/GCommAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Parameter parsing and printing
//===----------------------------------------------------------------------===//

FailureOr<llvm::APFloat> agtf::gcomm::parseF64Param(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return llvm::APFloat(value);
}

// Shortest decimal that reads back as the same double.
static void printShortestDouble(llvm::raw_ostream &os, double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  llvm::StringRef text(buf, result.ptr - buf);
  if (!std::isfinite(value) || text.contains('.')) {
    os << text;
    return;
  }
  // MLIR float literals need a '.': 1e-05 prints as 1.0e-05.
  auto [mantissa, exponent] = text.split('e');
  os << mantissa << ".0";
  if (!exponent.empty())
    os << 'e' << exponent;
}

std::string agtf::gcomm::formatF64(double value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printShortestDouble(os, value);
  return text;
}

void agtf::gcomm::printF64Param(AsmPrinter &printer,
                                const llvm::APFloat &value) {
  printShortestDouble(printer.getStream(), value.convertToDouble());
}

FailureOr<DenseF64ArrayAttr>
agtf::gcomm::parseF64ArrayParam(AsmParser &parser) {
  SmallVector<double> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        double value;
        if (parser.parseFloat(value))
          return failure();
        values.push_back(value);
        return success();
      }))
    return failure();
  return DenseF64ArrayAttr::get(parser.getContext(), values);
}

void agtf::gcomm::printF64ArrayParam(AsmPrinter &printer,
                                     DenseF64ArrayAttr value) {
  llvm::raw_ostream &os = printer.getStream();
  os << '[';
  llvm::interleaveComma(value.asArrayRef(), os,
                        [&](double v) { printShortestDouble(os, v); });
  os << ']';
}

//===----------------------------------------------------------------------===//
// Parameter checks
//===----------------------------------------------------------------------===//

using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

static LogicalResult verifyDensity(EmitErrorFn emitError,
                                   const llvm::APFloat &density) {
  double d = density.convertToDouble();
  if (!(d > 0.0 && d <= 1.0))
    return emitError() << "density must be in (0, 1], got " << formatF64(d);
  return success();
}

static LogicalResult verifyWireType(EmitErrorFn emitError, Type type) {
  if (!type.isF32() && !type.isF16() && !type.isBF16())
    return emitError() << "values on the wire must be f32, f16 or bf16, got "
                       << type;
  return success();
}

//===----------------------------------------------------------------------===//
// Compression attributes
//===----------------------------------------------------------------------===//

// What the schedule's kind rows say of each attribute
// (runtime/CompressionMethods.def): whether it selects, and the one
// collective that carries it.
#define AGTF_COMPRESSION_KIND(Kind, Name, Carrier, Sparse, Cpu, Cuda)          \
  bool Name##Attr::isSparse() const { return Sparse; }                         \
  bool Name##Attr::supportsCollective(Collective c) const {                    \
    return c == Collective::Carrier;                                           \
  }                                                                            \
  Collective Name##Attr::getDefaultCollective() const {                        \
    return Collective::Carrier;                                                \
  }
#include "runtime/CompressionMethods.def"

Type DenseAttr::getWireValueType() const { return getValueType(); }
LogicalResult DenseAttr::verifyParameters(EmitErrorFn emitError) const {
  return verifyWireType(emitError, getValueType());
}

Type TopKAttr::getWireValueType() const { return getValue(); }
LogicalResult TopKAttr::verifyParameters(EmitErrorFn emitError) const {
  return success(succeeded(verifyDensity(emitError, getDensity())) &&
                 succeeded(verifyWireType(emitError, getValue())));
}

Type GTopKAttr::getWireValueType() const { return getValue(); }
LogicalResult GTopKAttr::verifyParameters(EmitErrorFn emitError) const {
  return success(succeeded(verifyDensity(emitError, getDensity())) &&
                 succeeded(verifyWireType(emitError, getValue())));
}

Type DGCAttr::getWireValueType() const { return getValue(); }
LogicalResult DGCAttr::verifyParameters(EmitErrorFn emitError) const {
  if (failed(verifyDensity(emitError, getDensity())) ||
      failed(verifyWireType(emitError, getValue())))
    return failure();
  double m = getMomentum().convertToDouble();
  if (!(m >= 0.0 && m < 1.0))
    return emitError() << "momentum must be in [0, 1), got " << formatF64(m);
  if (getWarmup() < 0)
    return emitError() << "warmup must be >= 0 epochs, got " << getWarmup();
  return success();
}

Type LowRankAttr::getWireValueType() const {
  return Float32Type::get(getContext());
}
LogicalResult LowRankAttr::verifyParameters(EmitErrorFn emitError) const {
  if (getRank() < 1)
    return emitError() << "rank must be >= 1, got " << getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// Sketch and times
//===----------------------------------------------------------------------===//

LogicalResult SketchAttr::verifyParameters(EmitErrorFn emitError) const {
  ArrayRef<double> kept = getKept().asArrayRef();
  ArrayRef<double> threshold = getThreshold().asArrayRef();
  ArrayRef<double> energy = getEnergy().asArrayRef();
  if (kept.empty() || kept.size() != threshold.size() ||
      kept.size() != energy.size())
    return emitError() << "sketch needs kept, threshold and energy of one "
                          "non-zero length, got "
                       << kept.size() << ", " << threshold.size() << ", "
                       << energy.size();
  for (size_t i = 0; i < kept.size(); ++i) {
    if (!(kept[i] > 0.0 && kept[i] <= 1.0) || (i && kept[i] <= kept[i - 1]))
      return emitError() << "sketch kept fractions must increase within "
                            "(0, 1], entry "
                         << i << " is " << formatF64(kept[i]);
    if (!std::isfinite(threshold[i]) || threshold[i] < 0.0 ||
        (i && threshold[i] > threshold[i - 1]))
      return emitError() << "sketch thresholds must be finite, >= 0 and "
                            "non-increasing, entry "
                         << i << " is " << formatF64(threshold[i]);
    if (!(energy[i] >= 0.0 && energy[i] <= 1.0) ||
        (i && energy[i] < energy[i - 1]))
      return emitError() << "sketch energy must be non-decreasing within "
                            "[0, 1], entry "
                         << i << " is " << formatF64(energy[i]);
  }
  return success();
}

LogicalResult TimesAttr::verifyParameters(EmitErrorFn emitError) const {
  double ready = getReady().convertToDouble();
  double start = getStart().convertToDouble();
  double end = getEnd().convertToDouble();
  for (double t : {ready, start, end})
    if (!std::isfinite(t) || t < 0.0)
      return emitError() << "predicted times must be finite and >= 0, got "
                         << formatF64(t);
  if (!(ready <= start && start <= end))
    return emitError() << "predicted times must satisfy ready <= start <= "
                          "end, got "
                       << formatF64(ready) << ", " << formatF64(start) << ", "
                       << formatF64(end);
  return success();
}
