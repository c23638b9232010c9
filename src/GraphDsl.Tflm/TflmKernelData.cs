namespace GraphDsl.Tflm;

/// <summary>What one TFLM builtin kernel takes from the persistent section before its Prepare:
/// the builtin data its parser allocates (<c>tensorflow/lite/core/api/flatbuffer_conversions.cc</c>,
/// <c>SafeBuiltinDataAllocator::Allocate&lt;T&gt;</c>: sizeof(T), alignof(T), for every operator
/// of the type, options or not) and the op data its Init allocates
/// (<c>context-&gt;AllocatePersistentBuffer(context, sizeof(OpData))</c>, 16-byte aligned).</summary>
/// <param name="ParamsStruct">The builtin data struct (<c>builtin_op_data.h</c>), or null when the parser allocates none.</param>
/// <param name="InitStruct">The kernel's op data struct and the file defining it, or null when Init allocates none.</param>
/// <param name="Host64">Sizes on x86-64 (LP64).</param>
/// <param name="Host32">Sizes on a 32-bit target (ILP32), or null where not known.</param>
public sealed record TflmKernelData(string OpType, string? ParamsStruct, string? InitStruct, TflmKernelSizes Host64, TflmKernelSizes? Host32);

/// <summary>Sizes of <see cref="TflmKernelData"/> on one target, in bytes.</summary>
/// <param name="ParamsBytes">sizeof the builtin data struct (0: none).</param>
/// <param name="ParamsAlignment">alignof the builtin data struct.</param>
/// <param name="InitBytes">sizeof the op data struct (0: none).</param>
public sealed record TflmKernelSizes(int ParamsBytes, int ParamsAlignment, int InitBytes);

/// <summary>The table of <see cref="TflmKernelData"/> for every builtin of
/// <c>MicroMutableOpResolver</c> (TFLM commit <see cref="TflmCalibration.Commit"/>).</summary>
/// <remarks>The sizes are sizeof/alignof of the structs named, as g++ lays them out with TFLM's
/// flags; read with <c>tflm-runner MODEL --kernel-sizes</c>, which calls every builtin's parser on
/// an operator without options and its Init on a live interpreter and records what they allocate
/// (the 64-bit runner; the 32-bit column from the same runner built with <c>g++ -m32</c>).
/// Kernels that allocate their op data in Prepare instead of Init (ADD_N, CUMSUM,
/// EMBEDDING_LOOKUP, LOG_SOFTMAX) are not in the table's Init column: see
/// <see cref="TflmPersistentSection"/>.</remarks>
public static class TflmKernelDataTable
{
    private static TflmKernelData K(string op, string? paramsStruct, int paramsBytes, int paramsAlignment,
        string? initStruct, int initBytes) =>
        new(op, paramsStruct, initStruct, new TflmKernelSizes(paramsBytes, paramsAlignment, initBytes),
            Host32Sizes.TryGetValue(op, out var s32) ? s32 : null);

    // The 32-bit column (i386 build of the runner): filled where measured.
    private static readonly Dictionary<string, TflmKernelSizes> Host32Sizes = new(StringComparer.Ordinal);

    /// <summary>Per operator type.</summary>
    public static IReadOnlyDictionary<string, TflmKernelData> ByOpType { get; } = new[]
    {
        // op, builtin data struct, bytes, alignment, op data struct (file), bytes (64-bit).
        K("ABS", null, 0, 1, "OpDataAbsRsqrt (elementwise.cc)", 28),
        K("ADD", "TfLiteAddParams", 8, 4, "OpDataAdd (add.h)", 60),
        K("ADD_N", null, 0, 1, null, 0),
        K("ARG_MAX", "TfLiteArgMaxParams", 4, 4, null, 0),
        K("ARG_MIN", "TfLiteArgMinParams", 4, 4, null, 0),
        K("ASSIGN_VARIABLE", null, 0, 1, null, 0),
        K("AVERAGE_POOL_2D", "TfLitePoolParams", 40, 4, "OpDataPooling (pooling.h)", 32),
        K("BATCH_MATMUL", "TfLiteBatchMatMulParams", 3, 1, "OpDataBatchMatmul (batch_matmul.h)", 32),
        K("BATCH_TO_SPACE_ND", null, 0, 1, null, 0),
        K("BROADCAST_ARGS", null, 0, 1, null, 0),
        K("BROADCAST_TO", null, 0, 1, null, 0),
        K("CALL_ONCE", "TfLiteCallOnceParams", 4, 4, "OpData (call_once.cc)", 8),
        K("CAST", "TfLiteCastParams", 8, 4, null, 0),
        K("CEIL", null, 0, 1, null, 0),
        K("CONCATENATION", "TfLiteConcatenationParams", 8, 4, "OpData (concatenation.cc)", 40),
        K("CONV_2D", "TfLiteConvParams", 28, 4, "OpDataConv (conv.h)", 72),
        K("COS", null, 0, 1, null, 0),
        K("CUMSUM", "TfLiteCumsumParams", 2, 1, null, 0),
        K("DEPTH_TO_SPACE", "TfLiteDepthToSpaceParams", 4, 4, null, 0),
        K("DEPTHWISE_CONV_2D", "TfLiteDepthwiseConvParams", 28, 4, "OpDataConv (depthwise_conv.h)", 72),
        K("DEQUANTIZE", null, 0, 1, "DequantizeOpData (dequantize.h)", 32),
        K("DIV", "TfLiteDivParams", 4, 4, "OpDataDiv (div.cc)", 28),
        K("DYNAMIC_UPDATE_SLICE", null, 0, 1, null, 0),
        K("ELU", null, 0, 1, "OpData (elu.cc)", 256),
        K("EMBEDDING_LOOKUP", null, 0, 1, null, 0),
        K("EQUAL", null, 0, 1, "OpData (comparisons.cc)", 32),
        K("EXP", null, 0, 1, null, 0),
        K("EXPAND_DIMS", null, 0, 1, null, 0),
        K("FILL", null, 0, 1, null, 0),
        K("FLOOR", null, 0, 1, null, 0),
        K("FLOOR_DIV", null, 0, 1, null, 0),
        K("FLOOR_MOD", null, 0, 1, null, 0),
        K("FULLY_CONNECTED", "TfLiteFullyConnectedParams", 16, 4, "OpDataFullyConnected (fully_connected.h)", 64),
        K("GATHER", "TfLiteGatherParams", 8, 4, null, 0),
        K("GATHER_ND", null, 0, 1, null, 0),
        K("GREATER", null, 0, 1, "OpData (comparisons.cc)", 32),
        K("GREATER_EQUAL", null, 0, 1, "OpData (comparisons.cc)", 32),
        K("HARD_SWISH", null, 0, 1, "HardSwishParams (hard_swish.h)", 20),
        K("IF", "TfLiteIfParams", 8, 4, "OpData (if.cc)", 8),
        K("L2_NORMALIZATION", "TfLiteL2NormParams", 4, 4, "L2NormalizationParams (l2norm.cc)", 4),
        K("L2_POOL_2D", "TfLitePoolParams", 40, 4, null, 0),
        K("LEAKY_RELU", "TfLiteLeakyReluParams", 4, 4, "LeakyReluOpData (leaky_relu.h)", 24),
        K("LESS", null, 0, 1, "OpData (comparisons.cc)", 32),
        K("LESS_EQUAL", null, 0, 1, "OpData (comparisons.cc)", 32),
        K("LOG", null, 0, 1, null, 0),
        K("LOG_SOFTMAX", null, 0, 1, null, 0),
        K("LOGICAL_AND", null, 0, 1, null, 0),
        K("LOGICAL_NOT", null, 0, 1, null, 0),
        K("LOGICAL_OR", null, 0, 1, null, 0),
        K("LOGISTIC", null, 0, 1, "OpDataLogistic (logistic.h)", 16),
        K("MAX_POOL_2D", "TfLitePoolParams", 40, 4, "OpDataPooling (pooling.h)", 32),
        K("MAXIMUM", null, 0, 1, null, 0),
        K("MEAN", "TfLiteReducerParams", 1, 1, "OpDataReduce (reduce.h)", 44),
        K("MINIMUM", null, 0, 1, null, 0),
        K("MIRROR_PAD", "TfLiteMirrorPaddingParams", 4, 4, "OpDataMirrorPad (mirror_pad.cc)", 20),
        K("MUL", "TfLiteMulParams", 4, 4, "OpDataMul (mul.h)", 36),
        K("NEG", null, 0, 1, null, 0),
        K("NOT_EQUAL", null, 0, 1, "OpData (comparisons.cc)", 32),
        K("PACK", "TfLitePackParams", 8, 4, null, 0),
        K("PAD", null, 0, 1, "OpData (pad_common.cc)", 56),
        K("PADV2", null, 0, 1, "OpData (pad_common.cc)", 56),
        K("PRELU", null, 0, 1, "PreluParams (prelu.h)", 28),
        K("QUANTIZE", null, 0, 1, "OpDataQuantizeReference (quantize.h)", 32),
        K("READ_VARIABLE", null, 0, 1, null, 0),
        K("REDUCE_ALL", "TfLiteReducerParams", 1, 1, "OpDataReduce (reduce.h)", 44),
        K("REDUCE_MAX", "TfLiteReducerParams", 1, 1, "OpDataReduce (reduce.h)", 44),
        K("REDUCE_MIN", "TfLiteReducerParams", 1, 1, "OpDataReduce (reduce.h)", 44),
        K("RELU", null, 0, 1, "ReluOpData (activation_utils.h)", 28),
        K("RELU6", null, 0, 1, "Relu6OpData (activation_utils.h)", 8),
        K("RESHAPE", "TfLiteReshapeParams", 36, 4, null, 0),
        K("RESIZE_BILINEAR", "TfLiteResizeBilinearParams", 2, 1, null, 0),
        K("RESIZE_NEAREST_NEIGHBOR", "TfLiteResizeNearestNeighborParams", 2, 1, null, 0),
        K("REVERSE_V2", null, 0, 1, null, 0),
        K("ROUND", null, 0, 1, null, 0),
        K("RSQRT", null, 0, 1, "OpDataAbsRsqrt (elementwise.cc)", 28),
        K("SELECT_V2", null, 0, 1, "OpData (select.cc)", 1),
        K("SHAPE", "TfLiteShapeParams", 4, 4, null, 0),
        K("SIN", null, 0, 1, null, 0),
        K("SLICE", null, 0, 1, null, 0),
        K("SOFTMAX", "TfLiteSoftmaxParams", 4, 4, "SoftmaxParams (kernels/internal/types.h)", 80),
        K("SPACE_TO_BATCH_ND", null, 0, 1, "SpaceToBatchParams (kernels/internal/types.h)", 4),
        K("SPACE_TO_DEPTH", "TfLiteSpaceToDepthParams", 4, 4, null, 0),
        K("SPLIT", "TfLiteSplitParams", 4, 4, null, 0),
        K("SPLIT_V", "TfLiteSplitVParams", 4, 4, null, 0),
        K("SQRT", null, 0, 1, null, 0),
        K("SQUARE", null, 0, 1, null, 0),
        K("SQUARED_DIFFERENCE", null, 0, 1, "OpData (squared_difference.cc)", 112),
        K("SQUEEZE", "TfLiteSqueezeParams", 36, 4, null, 0),
        K("STRIDED_SLICE", "TfLiteStridedSliceParams", 24, 4, "StridedSliceParams (kernels/internal/types.h)", 84),
        K("SUB", "TfLiteSubParams", 8, 4, "OpDataSub (sub.h)", 52),
        K("SUM", "TfLiteReducerParams", 1, 1, "OpDataReduce (reduce.h)", 44),
        K("SVDF", "TfLiteSVDFParams", 12, 4, "OpDataSvdf (svdf.h)", 36),
        K("TANH", null, 0, 1, "OpData (tanh.cc)", 16),
        K("TRANSPOSE", null, 0, 1, null, 0),
        K("TRANSPOSE_CONV", "TfLiteTransposeConvParams", 20, 4, "OpData (transpose_conv.cc)", 80),
        K("UNIDIRECTIONAL_SEQUENCE_LSTM", "TfLiteUnidirectionalSequenceLSTMParams", 16, 4, "OpDataLSTM (lstm_shared.h)", 688),
        K("UNPACK", "TfLiteUnpackParams", 8, 4, null, 0),
        K("VAR_HANDLE", "TfLiteVarHandleParams", 16, 8, "OpData (var_handle.cc)", 4),
        K("WHILE", "TfLiteWhileParams", 8, 4, "OpData (while.cc)", 8),
        K("ZEROS_LIKE", null, 0, 1, null, 0),
    }.ToDictionary(k => k.OpType, StringComparer.Ordinal);
}
