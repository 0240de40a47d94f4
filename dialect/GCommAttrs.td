//===- GCommAttrs.td - gcomm attributes and enums ----------*- tablegen -*-===//
//
// Compression methods, gradient profiles and predicted times. Every float
// parameter prints in the shortest form that parses back to the same double.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_DIALECT_GCOMM_ATTRS_TD
#define AGTF_DIALECT_GCOMM_ATTRS_TD

include "GCommDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def GComm_Collective : I32EnumAttr<"Collective", "collective carrying a bucket",
    [I32EnumAttrCase<"allreduce", 0>, I32EnumAttrCase<"allgather", 1>,
     I32EnumAttrCase<"gtopk", 2>]> {
  let cppNamespace = "::agtf::gcomm";
  let genSpecializedAttr = 0;
}

def GComm_CollectiveAttr : EnumAttr<GComm_Dialect, GComm_Collective,
                                    "collective"> {
  let assemblyFormat = "$value";
}

def GComm_SelectMethod : I32EnumAttr<"SelectMethod", "top-k selection method",
    [I32EnumAttrCase<"exact", 0>, I32EnumAttrCase<"sampled", 1>]> {
  let cppNamespace = "::agtf::gcomm";
  let genSpecializedAttr = 0;
}

def GComm_LowRankMethod : I32EnumAttr<"LowRankMethod",
    "low-rank compression method",
    [I32EnumAttrCase<"powersgd", 0>, I32EnumAttrCase<"acp", 1>]> {
  let cppNamespace = "::agtf::gcomm";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

// A double stored as APFloat (which hashes and compares bit-exactly) and
// printed in its shortest round-trip decimal form.
class GComm_F64Param<string desc, string default = "">
    : AttrOrTypeParameter<"::llvm::APFloat", desc> {
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
  let parser = "::agtf::gcomm::parseF64Param($_parser)";
  let printer = "::agtf::gcomm::printF64Param($_printer, $_self)";
  let defaultValue = default;
}

// A list of doubles, printed as `[a, b, c]`.
def GComm_F64ArrayParam
    : AttrOrTypeParameter<"::mlir::DenseF64ArrayAttr", "list of doubles"> {
  let parser = "::agtf::gcomm::parseF64ArrayParam($_parser)";
  let printer = "::agtf::gcomm::printF64ArrayParam($_printer, $_self)";
}

def GComm_WireValueTypeParam
    : DefaultValuedParameter<"::mlir::Type", "::mlir::Float32Type::get($_ctxt)",
                             "element type of values on the wire (f32, f16)">;

//===----------------------------------------------------------------------===//
// Compression
//===----------------------------------------------------------------------===//

def GComm_CompressionAttrInterface
    : AttrInterface<"CompressionAttrInterface"> {
  let cppNamespace = "::agtf::gcomm";
  let description = [{
    How a bucket's gradient is compressed before it is communicated.
  }];
  let methods = [
    InterfaceMethod<"Whether only a selection of the elements is sent.",
                    "bool", "isSparse">,
    InterfaceMethod<"Whether `collective` can carry this compression.",
                    "bool", "supportsCollective",
                    (ins "::agtf::gcomm::Collective":$collective)>,
    InterfaceMethod<"The collective a plan uses by default.",
                    "::agtf::gcomm::Collective", "getDefaultCollective">,
    InterfaceMethod<"Element type of the values sent.",
                    "::mlir::Type", "getWireValueType">,
    InterfaceMethod<[{
        Checks the parameters. Ops call this so that the message can name the
        bucket that holds the attribute.
      }], "::mlir::LogicalResult", "verifyParameters",
      (ins "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
  ];
}

class GComm_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<GComm_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

class GComm_CompressionAttr<string name, string attrMnemonic>
    : GComm_Attr<name, attrMnemonic, [DeclareAttrInterfaceMethods<
                                          GComm_CompressionAttrInterface>]>;

def GComm_DenseAttr : GComm_CompressionAttr<"Dense", "dense"> {
  let summary = "No compression: dense allreduce in f32 or f16";
  let description = [{
    `#gcomm.dense<f32>` sends the bucket as it is; `#gcomm.dense<f16>` casts
    the values to half precision on the wire.
  }];
  let parameters = (ins "::mlir::Type":$valueType);
  let assemblyFormat = "`<` $valueType `>`";
}

def GComm_TopKAttr : GComm_CompressionAttr<"TopK", "topk"> {
  let summary = "Top-k sparsification, gathered from every worker";
  let description = [{
    Keeps `ceil(density * numel)` elements of largest magnitude (at least
    one), found exactly or by DGC's sampled threshold (`select = sampled`).
    Unsent values stay in the error-feedback residual.

    Example: `#gcomm.topk<density = 0.001, select = sampled, value = f16>`.
  }];
  let parameters = (ins GComm_F64Param<"fraction of elements kept">:$density,
      DefaultValuedParameter<"::agtf::gcomm::SelectMethod",
                             "::agtf::gcomm::SelectMethod::exact",
                             "how the top-k threshold is found">:$select,
      GComm_WireValueTypeParam:$value);
  let assemblyFormat = "`<` struct(params) `>`";
}

def GComm_GTopKAttr : GComm_CompressionAttr<"GTopK", "gtopk"> {
  let summary = "Global top-k: tree merge of local selections, then broadcast";
  let parameters = (ins GComm_F64Param<"fraction of elements kept">:$density,
      GComm_WireValueTypeParam:$value);
  let assemblyFormat = "`<` struct(params) `>`";
}

def GComm_DGCAttr : GComm_CompressionAttr<"DGC", "dgc"> {
  let summary = "Deep Gradient Compression";
  let description = [{
    Sampled top-k with momentum correction and momentum-factor masking.
    `warmup` is the number of epochs over which the density falls
    exponentially to `density`.

    Example: `#gcomm.dgc<density = 0.001, momentum = 0.9, warmup = 5>`.
  }];
  let parameters = (ins GComm_F64Param<"fraction of elements kept">:$density,
      GComm_F64Param<"momentum factor", "::llvm::APFloat(0.9)">:$momentum,
      DefaultValuedParameter<"int64_t", "5",
                             "density warmup in epochs">:$warmup,
      GComm_WireValueTypeParam:$value);
  let assemblyFormat = "`<` struct(params) `>`";
}

def GComm_LowRankAttr : GComm_CompressionAttr<"LowRank", "lowrank"> {
  let summary = "Low-rank compression (PowerSGD or ACP-SGD)";
  let description = [{
    `method = powersgd` sends both factors every step; `method = acp`
    alternates between them, one allreduce per step.

    Example: `#gcomm.lowrank<rank = 4, method = acp>`.
  }];
  let parameters = (ins "int64_t":$rank,
      DefaultValuedParameter<"::agtf::gcomm::LowRankMethod",
                             "::agtf::gcomm::LowRankMethod::acp",
                             "PowerSGD or ACP-SGD">:$method);
  let assemblyFormat = "`<` struct(params) `>`";
}

//===----------------------------------------------------------------------===//
// Profiles and predictions
//===----------------------------------------------------------------------===//

def GComm_SketchAttr : GComm_Attr<"Sketch", "sketch"> {
  let summary = "Gradient-magnitude sketch of one tensor";
  let description = [{
    For each kept fraction in `kept` (increasing, in (0, 1]), the magnitude
    threshold of the top fraction (`threshold`, non-increasing) and the
    fraction of the squared norm it keeps (`energy`, non-decreasing, in
    [0, 1]), averaged over the profiled iterations.
  }];
  let parameters = (ins GComm_F64ArrayParam:$kept,
      GComm_F64ArrayParam:$threshold, GComm_F64ArrayParam:$energy);
  let assemblyFormat = "`<` struct(params) `>`";
  let extraClassDeclaration = [{
    /// Checks the parameters; see CompressionAttrInterface::verifyParameters.
    ::mlir::LogicalResult verifyParameters(
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
  }];
}

def GComm_TimesAttr : GComm_Attr<"Times", "times"> {
  let summary = "Predicted times of one bucket";
  let description = [{
    `ready`: the bucket is ready to communicate (its last gradient produced
    and, where modelled, sparsified); `start`/`end`: its communication.
  }];
  let parameters = (ins GComm_F64Param<"ready time (us)">:$ready,
      GComm_F64Param<"communication start (us)">:$start,
      GComm_F64Param<"communication end (us)">:$end);
  let assemblyFormat = "`<` struct(params) `>`";
  let extraClassDeclaration = [{
    /// Checks the parameters; see CompressionAttrInterface::verifyParameters.
    ::mlir::LogicalResult verifyParameters(
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
  }];
}

#endif // AGTF_DIALECT_GCOMM_ATTRS_TD
