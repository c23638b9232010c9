using GraphDsl.Ir;
using static GraphDsl.Analysis.Annotations.AnnotationRecord;

namespace GraphDsl.Analysis.Annotations;

/// <summary>Activation bytes while one operator runs (<c>@memory(inputs=, outputs=, other=, total=)</c>).</summary>
public sealed record OperatorMemoryFigures(long InputBytes, long OutputBytes, long OtherBytes, long TotalBytes);

/// <summary>The Tensor Memory Mapping of the current order
/// (<c>@tmm(peak_bytes=, peak_step=, peak_operator=, largest_operator_bytes=, view=, peak_tensors=)</c>).</summary>
/// <param name="PeakStep">Step of the peak; -1 for a graph without operators.</param>
/// <param name="PeakOperator">Operator running at the peak; -1 for a graph without operators.</param>
/// <param name="LargestOperatorBytes">Largest single-operator footprint: the largest inputs-plus-outputs
/// of one operator; no order needs less (not the order search's proven lower bound).</param>
/// <param name="View">Which tensors count as activations (<c>tflm</c> or <c>persistent-dequantize</c>).</param>
/// <param name="PeakTensors">Names of the activations alive at the peak step, largest first
/// (<c>peak_tensors=[..]</c>): what to shrink or move to lower the peak.</param>
public sealed record TmmSummary(long PeakBytes, int PeakStep, int PeakOperator, long LargestOperatorBytes, string View,
    IReadOnlyList<string>? PeakTensors = null)
{
    /// <summary>TFLM's whole arena for the model as stored (fields <c>tflm_*</c> of <c>@tmm</c>),
    /// when the model is a TFLite one.</summary>
    public TflmArenaFigures? Tflm { get; init; }
}

/// <summary>The codec of the <c>tmm</c> pass's results: <c>@memory</c> on operators and <c>@tmm</c>
/// on the graph. Both hold for one execution order (<see cref="ExecutionOrderAnnotation"/> drops them).</summary>
public static class TmmAnnotation
{
    /// <summary>The graph with <paramref name="summary"/> and, on each operator index, its figures;
    /// the input instance when nothing changes.</summary>
    public static Graph Write(Graph graph, TmmSummary summary, IReadOnlyDictionary<int, OperatorMemoryFigures> operators)
    {
        var ops = graph.Operators.Select((op, i) => operators.TryGetValue(i, out var m)
            ? op with
            {
                Annotations = op.Annotations.With(WellKnownAnnotations.Memory, Of(
                    ("inputs", m.InputBytes), ("outputs", m.OutputBytes), ("other", m.OtherBytes), ("total", m.TotalBytes))),
            }
            : op);
        var fields = new List<(string, AttributeValue)>
        {
            ("peak_bytes", summary.PeakBytes), ("peak_step", summary.PeakStep), ("peak_operator", summary.PeakOperator),
            ("largest_operator_bytes", summary.LargestOperatorBytes), ("view", summary.View),
            ("peak_tensors", new AttributeValue.List((summary.PeakTensors ?? []).Select(n => (AttributeValue)n).ToEquatableArray())),
        };
        if (summary.Tflm is { } t) AddTflmArena(fields, t);
        var result = graph with
        {
            Operators = ops.ToEquatableArray(),
            Annotations = graph.Annotations.With(WellKnownAnnotations.Tmm, Of([.. fields])),
        };
        return result.Equals(graph) ? graph : result;
    }

    /// <summary>The graph's <c>@tmm</c>, or null when absent or incomplete.</summary>
    public static TmmSummary? ReadSummary(Graph graph) =>
        Fields(graph.Annotations, WellKnownAnnotations.Tmm) is not { } f
        || Int(f, "peak_bytes") is not { } peak || Int(f, "peak_step") is not { } step
        || Int(f, "peak_operator") is not { } op || Int(f, "largest_operator_bytes") is not { } bound
            ? null
            : new TmmSummary(peak, (int)step, (int)op, bound, Text(f, "view") ?? "tflm",
                f["peak_tensors"] is AttributeValue.List names ? names.Items.OfType<AttributeValue.Str>().Select(n => n.Value).ToArray() : [])
            {
                Tflm = ReadTflmArena(f),
            };

    /// <summary>The operator's <c>@memory</c>, or null when absent or incomplete.</summary>
    public static OperatorMemoryFigures? Read(Operator op) =>
        Fields(op.Annotations, WellKnownAnnotations.Memory) is not { } f
        || Int(f, "inputs") is not { } inputs || Int(f, "outputs") is not { } outputs
        || Int(f, "other") is not { } other || Int(f, "total") is not { } total
            ? null
            : new OperatorMemoryFigures(inputs, outputs, other, total);
}
