using GraphDsl.Ir;

namespace GraphDsl.Tflm;

/// <summary>The scratch buffers a TFLM reference kernel requests in its Prepare
/// (<c>RequestScratchBufferInArena</c>), in request order, read from each kernel's source.</summary>
/// <remarks>Only ten reference kernels request scratch buffers in this TFLM commit (built without
/// <c>USE_TFLM_COMPRESSION</c>): ADD_N, CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, MIRROR_PAD,
/// the reductions, SVDF, TRANSPOSE_CONV, UNIDIRECTIONAL_SEQUENCE_LSTM and the custom
/// TFLite_Detection_PostProcess. Every other builtin kernel of <c>MicroMutableOpResolver</c>
/// requests none. A kernel's requests live from the allocation scope of its operator (before any
/// subgraph it calls) to the scope after it (micro_allocation_info.cc).</remarks>
public static class TflmKernelScratch
{
    /// <summary>Result of reading one operator: its request sizes in bytes, or why they are not
    /// known (the operator is then an estimate).</summary>
    public sealed record Requests(IReadOnlyList<long> Bytes, string? NotModelled);

    private static Requests None { get; } = new([], null);

    private static Requests Unknown(string why) => new([], why);

    /// <summary>The scratch requests of <paramref name="op"/> in <paramref name="graph"/>.</summary>
    public static Requests Of(Graph graph, Operator op, TflmTarget target)
    {
        if (op.OpType == "CUSTOM")
            return Unknown($"custom operator '{TflmArenaModel.OperatorLabel(op)}' has no modelled TFLM kernel");
        if (!TflmKernelRules.Builtins.Contains(op.OpType))
            return Unknown($"{op.OpType} has no TFLM reference kernel");
        try
        {
            return op.OpType switch
            {
                "ADD_N" => AddN(graph, op, target),
                "CONV_2D" or "DEPTHWISE_CONV_2D" or "FULLY_CONNECTED" => Int4Filter(graph, op),
                "MIRROR_PAD" => MirrorPad(graph, op),
                "MEAN" or "SUM" => MeanOrSum(graph, op),
                "REDUCE_MAX" or "REDUCE_MIN" or "REDUCE_ALL" => MinMaxAll(graph, op),
                "SVDF" => Svdf(graph, op),
                "TRANSPOSE_CONV" => TransposeConv(graph, op),
                "UNIDIRECTIONAL_SEQUENCE_LSTM" => Lstm(graph, op),
                _ => None,
            };
        }
        catch (ShapeUnknownException e)
        {
            return Unknown(e.Message);
        }
    }

    private sealed class ShapeUnknownException(string message) : Exception(message);

    private static Tensor? Input(Graph graph, Operator op, int i) =>
        i < op.Inputs.Count && op.Inputs[i] is { } name ? graph.FindTensor(name) : null;

    private static Tensor Required(Graph graph, Operator op, int i, bool output = false)
    {
        var names = output ? op.Outputs : op.Inputs;
        if (i < names.Count && names[i] is { } name && graph.FindTensor(name) is { } t) return t;
        throw new ShapeUnknownException($"{(output ? "output" : "input")} {i} is missing");
    }

    private static long[] Dims(Tensor t)
    {
        if (!t.Type.Shape.IsFullyKnown) throw new ShapeUnknownException($"tensor '{t.Name}' has an unknown shape");
        return t.Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
    }

    private static long Elements(Tensor t) => Dims(t).Aggregate(1L, (a, b) => a * b);

    // Dimension `axis` of a tensor whose rank the kernel's Prepare checks (TF_LITE_ENSURE_EQ on
    // NumDimensions): a model with a lower rank is refused by TFLM, so its scratch is unknown.
    private static long Dim(Tensor t, int axis)
    {
        var dims = Dims(t);
        return axis < dims.Length ? dims[axis]
            : throw new ShapeUnknownException($"tensor '{t.Name}' has rank {dims.Length}, the kernel reads dimension {axis}");
    }

    // add_n.cc: one pointer per input, for float32 (float*) and int8 (int8_t*) outputs.
    private static Requests AddN(Graph graph, Operator op, TflmTarget target)
    {
        var output = Required(graph, op, 0, output: true);
        return output.Type.ElementType is DataType.Float32 or DataType.Int8
            ? new([(long)target.PointerBytes * op.Inputs.Count], null)
            : None;
    }

    // conv_common.cc, depthwise_conv_common.cc, fully_connected.cc: an int4 filter is unpacked
    // into a scratch buffer of one byte per element.
    private static Requests Int4Filter(Graph graph, Operator op)
    {
        var filter = Required(graph, op, 1);
        return filter.Type.ElementType == DataType.Int4 ? new([Elements(filter)], null) : None;
    }

    // mirror_pad.cc: two int arrays of the input's rank.
    private static Requests MirrorPad(Graph graph, Operator op)
    {
        long rank = Dims(Required(graph, op, 0)).Length;
        return new([rank * 4, rank * 4], null);
    }

    // reduce_common.cc PrepareMeanOrSumHelper: an int32 accumulator per output element (int8 and
    // int16 inputs), then int arrays of the input's rank and of the axis count.
    private static Requests MeanOrSum(Graph graph, Operator op)
    {
        var input = Required(graph, op, 0);
        var output = Required(graph, op, 0, output: true);
        var axis = Required(graph, op, 1);
        var list = new List<long>();
        if (input.Type.ElementType is DataType.Int8 or DataType.Int16) list.Add(4 * Elements(output));
        list.Add(4L * Dims(input).Length);
        list.Add(4 * Elements(axis));
        return new(list, null);
    }

    // reduce_common.cc PrepareMinMaxHelper / PrepareAllHelper: int arrays of the input's rank
    // and of the axis count.
    private static Requests MinMaxAll(Graph graph, Operator op)
    {
        var input = Required(graph, op, 0);
        var axis = Required(graph, op, 1);
        return new([4L * Dims(input).Length, 4 * Elements(axis)], null);
    }

    // svdf_common.cc PrepareSvdf: int8 input: int32 [batch, filters] and int32 [batch, units];
    // float input: float [batch, filters].
    private static Requests Svdf(Graph graph, Operator op)
    {
        var input = Required(graph, op, 0);
        var weightsFeature = Required(graph, op, 1);
        long batch = Dim(input, 0);
        long filters = Dim(weightsFeature, 0);
        long rank = op.Attributes["rank"]?.AsInt() ?? throw new ShapeUnknownException("the rank option is missing");
        if (rank <= 0) throw new ShapeUnknownException($"rank {rank} is not positive");
        long units = filters / rank;
        return input.Type.ElementType == DataType.Int8
            ? new([batch * filters * 4, batch * units * 4], null)
            : new([batch * filters * 4], null);
    }

    // transpose_conv.cc: Prepare asks for the output in int32 (int8 input) or int64 (int16 input),
    // then CalculateOpData, for 16x8 with an int16 bias, the bias in int64.
    private static Requests TransposeConv(Graph graph, Operator op)
    {
        var output = Required(graph, op, 0, output: true);
        var input = Required(graph, op, 2);
        var bias = Input(graph, op, 3);
        var list = new List<long>();
        if (input.Type.ElementType == DataType.Int8) list.Add(Elements(output) * 4);
        if (input.Type.ElementType == DataType.Int16)
        {
            list.Add(Elements(output) * 8);
            if (bias is { Type.ElementType: DataType.Int16 }) list.Add(Elements(bias) * 8);
        }
        return new(list, null);
    }

    // unidirectional_sequence_lstm.cc: four buffers of batch x state dimension cell-state elements;
    // lstm_eval_common.cc CreateLstmSizeInfo reads batch from the input and the state dimension
    // from the hidden state (input 18).
    private static Requests Lstm(Graph graph, Operator op)
    {
        var input = Required(graph, op, 0);
        var hidden = Required(graph, op, 18);
        var cell = Required(graph, op, 19);
        bool timeMajor = op.Attributes["time_major"] is AttributeValue.Bool { Value: true };
        long batch = Dim(input, timeMajor ? 1 : 0);
        int cellBytes = (cell.Type.ElementType.BitsPerElement() + 7) / 8;
        if (cellBytes == 0) throw new ShapeUnknownException($"cell state type {cell.Type.ElementType} is not sized");
        long each = batch * Dim(hidden, 1) * cellBytes;
        return new([each, each, each, each], null);
    }
}
