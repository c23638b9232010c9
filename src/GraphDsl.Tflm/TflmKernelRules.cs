using GraphDsl.Ir;

namespace GraphDsl.Tflm;

/// <summary>One operator as a TFLM kernel sees it: the element types of its operands.</summary>
public readonly record struct KernelOperands(Graph Graph, Operator Operator)
{
    /// <summary>Element type of input <paramref name="i"/>, or null when absent (<c>_</c> or past the end).</summary>
    public DataType? Input(int i) => TypeOf(i < Operator.Inputs.Count ? Operator.Inputs[i] : null);

    /// <summary>Element type of output <paramref name="i"/>, or null when absent.</summary>
    public DataType? Output(int i) => TypeOf(i < Operator.Outputs.Count ? Operator.Outputs[i] : null);

    private DataType? TypeOf(string? tensor) => tensor is null ? null : Graph.FindTensor(tensor)?.Type.ElementType;
}

/// <summary>A combination TFLM's reference kernel for <see cref="OpType"/> refuses, found by
/// reading the kernel's Prepare and Eval type checks in <see cref="Source"/> (a path under
/// <c>tensorflow/lite/micro/kernels/</c> of the TFLM commit the runner is built from).</summary>
/// <param name="Requirement">What the kernel accepts, in words (e.g. "input f32, i8 or i16").</param>
/// <param name="Refuses">Returns the refused combination in words, or null when the kernel runs it.</param>
public sealed record TflmKernelRule(string OpType, string Requirement, string Source, Func<KernelOperands, string?> Refuses);

/// <summary>The operator/type combinations TFLM's reference kernels do not run (TFLM commit
/// 90b983c2, the one in ../shared/tflm). Operators without a rule here are assumed to run on
/// every type their TFLite definition allows: the table covers the operators of common int8,
/// uint8 and float models, not every corner of every kernel.</summary>
public static class TflmKernelRules
{
    /// <summary>Builtin operators TFLM has a reference kernel for (every <c>Add...</c> of
    /// <c>micro_mutable_op_resolver.h</c> that registers a builtin).</summary>
    public static IReadOnlySet<string> Builtins { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ABS", "ADD", "ADD_N", "ARG_MAX", "ARG_MIN", "ASSIGN_VARIABLE", "AVERAGE_POOL_2D", "BATCH_MATMUL",
        "BATCH_TO_SPACE_ND", "BROADCAST_ARGS", "BROADCAST_TO", "CALL_ONCE", "CAST", "CEIL", "CONCATENATION",
        "CONV_2D", "COS", "CUMSUM", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE", "DIV",
        "DYNAMIC_UPDATE_SLICE", "ELU", "EMBEDDING_LOOKUP", "EQUAL", "EXP", "EXPAND_DIMS", "FILL", "FLOOR",
        "FLOOR_DIV", "FLOOR_MOD", "FULLY_CONNECTED", "GATHER", "GATHER_ND", "GREATER", "GREATER_EQUAL",
        "HARD_SWISH", "IF", "L2_NORMALIZATION", "L2_POOL_2D", "LEAKY_RELU", "LESS", "LESS_EQUAL", "LOG",
        "LOGICAL_AND", "LOGICAL_NOT", "LOGICAL_OR", "LOGISTIC", "LOG_SOFTMAX", "MAXIMUM", "MAX_POOL_2D", "MEAN",
        "MINIMUM", "MIRROR_PAD", "MUL", "NEG", "NOT_EQUAL", "PACK", "PAD", "PADV2", "PRELU", "QUANTIZE",
        "READ_VARIABLE", "REDUCE_ALL", "REDUCE_MAX", "REDUCE_MIN", "RELU", "RELU6", "RESHAPE", "RESIZE_BILINEAR",
        "RESIZE_NEAREST_NEIGHBOR", "REVERSE_V2", "ROUND", "RSQRT", "SELECT_V2", "SHAPE", "SIN", "SLICE", "SOFTMAX",
        "SPACE_TO_BATCH_ND", "SPACE_TO_DEPTH", "SPLIT", "SPLIT_V", "SQRT", "SQUARE", "SQUARED_DIFFERENCE",
        "SQUEEZE", "STRIDED_SLICE", "SUB", "SUM", "SVDF", "TANH", "TRANSPOSE", "TRANSPOSE_CONV",
        "UNIDIRECTIONAL_SEQUENCE_LSTM", "UNPACK", "VAR_HANDLE", "WHILE", "ZEROS_LIKE",
    };

    /// <summary>Custom operators with a TFLM reference kernel (<c>AddDetectionPostprocess</c>,
    /// <c>AddCircularBuffer</c> in <c>micro_mutable_op_resolver.h</c>).</summary>
    public static IReadOnlySet<string> CustomOps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "TFLite_Detection_PostProcess", "CIRCULAR_BUFFER",
    };

    private const DataType F32 = DataType.Float32, I4 = DataType.Int4, I8 = DataType.Int8, U8 = DataType.UInt8,
        I16 = DataType.Int16, I32 = DataType.Int32, U32 = DataType.UInt32, I64 = DataType.Int64, Bool = DataType.Bool;

    /// <summary>Every rule, by operator type.</summary>
    public static IReadOnlyList<TflmKernelRule> All { get; } =
    [
        Pair("CONV_2D", "conv_common.cc: ConvPrepare: \"Hybrid models are not supported\"", 0, 1, (F32, F32), (I16, I8), (I8, I4), (I8, I8)),
        Pair("DEPTHWISE_CONV_2D", "depthwise_conv.cc: Eval switch on input and filter", 0, 1, (F32, F32), (I8, I4), (I8, I8), (I16, I8)),
        Pair("FULLY_CONNECTED", "fully_connected.cc: Prepare: input/filter pairs", 0, 1, (F32, F32), (I8, I8), (I8, I4), (I16, I8)),
        Output("ADD", "add.cc: Eval switch on output", F32, I32, I8, I16),
        Output("SUB", "sub.cc: Eval switch on output", F32, I32, I8, I16),
        Input("MUL", "mul.cc: Eval switch on input", 0, I8, I16, I32, F32),
        Input("CONCATENATION", "concatenation.cc: Prepare type check", 0, F32, I8, I16, I32, I64, Bool),
        Input("AVERAGE_POOL_2D", "pooling.cc: AverageEval switch", 0, F32, I8, I16),
        Input("MAX_POOL_2D", "pooling.cc: MaxEval switch", 0, F32, I8, I16),
        Input("DEQUANTIZE", "dequantize_common.cc: DequantizePrepare", 0, I8, I16, U8),
        Pair("QUANTIZE", "quantize_common.cc: EvalQuantizeReference input/output switches", 0, -1,
            (F32, I8), (F32, I16), (I32, I8), (I32, I16), (I16, I8), (I16, I16), (I16, I32),
            (I8, I8), (I8, U8), (I8, I16), (I8, I32), (U8, I8)),
        Input("CAST", "cast.cc: CastEval switch on input", 0, I8, I16, I32, U32, F32, Bool),
        Output("CAST", "cast.cc: copyToTensor switch on output", I8, I16, I32, U32, F32),
        Input("SPLIT", "split.cc: Eval switch on the data input", 1, F32, I8, I16, I32),
        Input("SPLIT_V", "split_v.cc: Eval switch on input", 0, F32, I8, I16, I32),
        Output("RESIZE_BILINEAR", "resize_bilinear.cc: Eval: float or int8 output", F32, I8),
        Output("RESIZE_NEAREST_NEIGHBOR", "resize_nearest_neighbor.cc: Eval switch on output", F32, I8, I16),
        Input("ARG_MAX", "arg_min_max.cc: Eval: float32 or int8 input", 0, F32, I8),
        Output("ARG_MAX", "arg_min_max.cc: Eval: \"Only int32_t are supported\"", I32),
        Input("ARG_MIN", "arg_min_max.cc: Eval: float32 or int8 input", 0, F32, I8),
        Output("ARG_MIN", "arg_min_max.cc: Eval: \"Only int32_t are supported\"", I32),
        Input("FLOOR_DIV", "floor_div.cc: Eval: float32 only", 0, F32),
        Input("FLOOR_MOD", "floor_mod.cc: Eval: float32 only", 0, F32),
        Pair("SOFTMAX", "softmax_common.cc: SoftmaxPrepare", 0, -1, (F32, F32), (I8, I8), (I8, I16), (I16, I16)),
        Input("LOGISTIC", "logistic.cc: Eval switch", 0, F32, I8, I16),
        Input("TANH", "tanh.cc: Eval switch", 0, F32, I8, I16),
        Input("RELU", "activations.cc: ReluEval switch", 0, F32, I8, I16),
        Input("RELU6", "activations.cc: Relu6Eval switch", 0, F32, I8, I16),
        Input("PAD", "pad.cc: Eval switch", 0, F32, I8, I16, I32),
        Input("PADV2", "pad.cc: Eval switch", 0, F32, I8, I16, I32),
        Input("TRANSPOSE", "transpose.cc: Eval switch", 0, F32, I8, I16),
        Input("HARD_SWISH", "hard_swish.cc: Eval switch", 0, F32, I8),
        Input("MEAN", "reduce_common.cc: EvalMean switch", 0, F32, I8, I16),
    ];

    private static string Name(DataType? t) => t?.ToText() ?? "_";

    private static string List(IEnumerable<DataType> types) => string.Join(", ", types.Select(t => t.ToText()));

    /// <summary>Input <paramref name="index"/> must have one of <paramref name="types"/>.</summary>
    private static TflmKernelRule Input(string op, string source, int index, params DataType[] types) =>
        new(op, $"input {index} {List(types)}", source,
            o => o.Input(index) is { } t && !types.Contains(t) ? $"input {index} {Name(t)}" : null);

    /// <summary>Output 0 must have one of <paramref name="types"/>.</summary>
    private static TflmKernelRule Output(string op, string source, params DataType[] types) =>
        new(op, $"output {List(types)}", source,
            o => o.Output(0) is { } t && !types.Contains(t) ? $"output {Name(t)}" : null);

    /// <summary>(input <paramref name="a"/>, input <paramref name="b"/>) must be one of the pairs;
    /// <paramref name="b"/> = -1 means output 0.</summary>
    private static TflmKernelRule Pair(string op, string source, int a, int b, params (DataType, DataType)[] pairs)
    {
        string second = b < 0 ? "output" : $"input {b}";
        return new(op, $"(input {a}, {second}) one of {string.Join(", ", pairs.Select(p => $"({p.Item1.ToText()}, {p.Item2.ToText()})"))}", source, o =>
        {
            var x = o.Input(a);
            var y = b < 0 ? o.Output(0) : o.Input(b);
            return x is null || y is null || pairs.Contains((x.Value, y.Value)) ? null : $"input {a} {Name(x)} and {second} {Name(y)}";
        });
    }
}
