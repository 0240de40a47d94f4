//===- GCommOps.td - gcomm operations ----------------------*- tablegen -*-===//

#ifndef AGTF_DIALECT_GCOMM_OPS_TD
#define AGTF_DIALECT_GCOMM_OPS_TD

include "GCommAttrs.td"
include "GCommTypes.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"

class GComm_Op<string mnemonic, list<Trait> traits = []>
    : Op<GComm_Dialect, mnemonic, traits>;

def GComm_GraphOp : GComm_Op<"graph", [Symbol, SymbolTable, IsolatedFromAbove,
    NoTerminator, SingleBlock, NoRegionArguments,
    HasParent<"::mlir::ModuleOp">]> {
  let summary = "One training iteration's gradient tensors and their plan";
  let description = [{
    Holds `gcomm.tensor` ops in backprop order (the first is the first
    gradient to become ready) and, once planned, the `gcomm.bucket` ops that
    fuse them, in the order they are communicated.

    ```mlir
    gcomm.graph @lenet attributes {workers = 4 : i64, forward_us = 120.0} {
      gcomm.tensor @fc2.bias : tensor<10xf32> {backward_us = 2.0}
      gcomm.tensor @fc2.weight : tensor<10x84xf32> {backward_us = 9.5}
      gcomm.bucket @b0 [@fc2.bias, @fc2.weight] compress #gcomm.dense<f32>
          via allreduce
    }
    ```

    A graph sits directly in a module and holds only gcomm tensors, buckets
    and steps (a graph nested in another would be planned by no pass).
    Once any bucket exists, every tensor must be in exactly one bucket and
    every bucket must be a contiguous run of tensors, buckets following
    backprop order. Once lowered (any stream-level step exists), every step
    names a bucket, collective steps match the bucket's collective, only
    compressed buckets have compress, residual_update and decompress steps,
    every bucket is communicated by exactly one collective step, and every
    bucket has exactly one unpack, so that each tensor's gradient is
    produced once.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
      OptionalAttr<ConfinedAttr<I64Attr, [IntMinValue<1>]>>:$workers,
      OptionalAttr<F64Attr>:$forward_us, OptionalAttr<F64Attr>:$backward_us,
      OptionalAttr<F64Attr>:$update_us,
      OptionalAttr<F64Attr>:$predicted_iter_us,
      OptionalAttr<F64Attr>:$predicted_exposed_comm_us,
      OptionalAttr<F64Attr>:$predicted_noise,
      OptionalAttr<F64Attr>:$optimal_lower_bound_us);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The tensors in backprop order.
    auto getTensors() { return getBody().getOps<TensorOp>(); }
    /// The buckets in communication order.
    auto getBuckets() { return getBody().getOps<BucketOp>(); }
    /// Whether the graph has been planned (holds buckets).
    bool isPlanned() { return !getBuckets().empty(); }
    /// Checks the stream-level steps (see the description).
    ::mlir::LogicalResult verifySteps();
  }];
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name)>];
}

def GComm_TensorOp : GComm_Op<"tensor", [Symbol, HasParent<"GraphOp">]> {
  let summary = "One gradient tensor (one trainable parameter)";
  let description = [{
    `gcomm.tensor @name : tensor<SHAPExDTYPE> {attributes}`. The shape and
    element type are the parameter's; `numel` is derived from the shape.
    Optional attributes, written by the importer and the passes:

    * `backward_us`: time from the previous gradient to this one (us);
    * `flops`: backward FLOPs, for a roofline when unprofiled;
    * `rms`: root mean square of the gradient;
    * `grad_norm`: mean L2 norm of the gradient (AGTF's importance);
    * `sketch`: the gradient-magnitude sketch (`#gcomm.sketch`);
    * `density`: the sparsity budget, the fraction of elements kept.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
      TypeAttrOf<AnyStaticShapeTensor>:$tensor_type,
      OptionalAttr<F64Attr>:$backward_us, OptionalAttr<F64Attr>:$flops,
      OptionalAttr<F64Attr>:$rms, OptionalAttr<F64Attr>:$grad_norm,
      OptionalAttr<GComm_SketchAttr>:$sketch,
      OptionalAttr<F64Attr>:$density);
  let assemblyFormat = "$sym_name `:` $tensor_type attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::RankedTensorType getRankedType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getTensorType());
    }
    /// Number of elements.
    int64_t getNumel() { return getRankedType().getNumElements(); }
    /// Bytes of one element.
    int64_t getElementBytes() {
      return getRankedType().getElementTypeBitWidth() / 8;
    }
  }];
}

def GComm_BucketOp : GComm_Op<"bucket", [Symbol, HasParent<"GraphOp">]> {
  let summary = "A contiguous run of tensors fused and communicated together";
  let description = [{
    `gcomm.bucket @b0 [@t1, @t2] compress #gcomm.topk<density = 0.001> via
    allgather {predicted = #gcomm.times<ready = 1, start = 2, end = 3>}`.
    Members are listed in backprop order. The collective must be able to
    carry the compression: dense and low rank go by allreduce, top-k and
    DGC by allgather, gTop-k by its own tree reduction.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
      FlatSymbolRefArrayAttr:$members,
      GComm_CompressionAttrInterface:$compression,
      GComm_CollectiveAttr:$collective,
      OptionalAttr<GComm_TimesAttr>:$predicted);
  let assemblyFormat = [{
    $sym_name $members `compress` $compression `via` `` $collective attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Stream level
//===----------------------------------------------------------------------===//

class GComm_StepOp<string mnemonic, string what>
    : GComm_Op<mnemonic, [HasParent<"GraphOp">]> {
  let summary = what;
  let description = [{
    One step of a bucket's stream program:
    `%e = gcomm.}] # mnemonic # [{ @bucket on stream N after %a, %b`.
    It runs on stream N once the bucket's gradients are ready and the
    listed events have completed; steps on one stream run in order.
  }];
  let arguments = (ins FlatSymbolRefAttr:$bucket,
      ConfinedAttr<I64Attr, [IntMinValue<0>]>:$stream,
      Variadic<GComm_EventType>:$after);
  let results = (outs GComm_EventType:$done);
  let assemblyFormat = [{
    $bucket `on` `stream` $stream (`after` $after^)? attr-dict
  }];
}

def GComm_PackOp : GComm_StepOp<"pack",
    "Copy the bucket's gradients into its contiguous buffer">;
def GComm_CompressOp : GComm_StepOp<"compress",
    "Add the residual and compress (select top-k, or form a low-rank factor)">;
def GComm_ResidualUpdateOp : GComm_StepOp<"residual_update",
    "Keep what was not sent in the error-feedback residual">;
def GComm_AllreduceOp : GComm_StepOp<"allreduce",
    "Ring allreduce of the bucket's dense values or low-rank factor">;
def GComm_AllgatherOp : GComm_StepOp<"allgather",
    "Allgather of every worker's selected values and indices">;
def GComm_GTopKReduceOp : GComm_StepOp<"gtopk_reduce",
    "gTop-k: tree merge of the selections, then broadcast of the global k">;
def GComm_DecompressOp : GComm_StepOp<"decompress",
    "Scatter-add the gathered selections and average (or rebuild low rank)">;
def GComm_UnpackOp : GComm_StepOp<"unpack",
    "Copy the averaged gradient back to the bucket's tensors">;

#endif // AGTF_DIALECT_GCOMM_OPS_TD
