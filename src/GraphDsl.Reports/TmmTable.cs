using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;

namespace GraphDsl.Reports;

/// <summary>The TMM figures of a model as a table, read back from the annotations the <c>tmm</c>
/// pass wrote (<c>@memory</c> on operators, <c>@tmm</c> on the main graph), rows in the current
/// execution order.</summary>
/// <param name="PeakTensors">Activations alive at the peak step, largest first.</param>
public sealed record TmmTable(IReadOnlyList<TmmRow> Rows, long PeakBytes, int PeakStep, int PeakOperator, long LargestOperatorBytes, string View,
    IReadOnlyList<LiveTensor> PeakTensors)
{
    /// <summary>TFLM's whole arena for the model as stored (the tmm pass's <c>tflm_*</c> figures), when computed.</summary>
    public TflmArenaFigures? Tflm { get; init; }

    /// <summary>The table of the main graph, or null when it carries no <c>@tmm</c> annotation
    /// (the <c>tmm</c> pass did not run) or an operator has no <c>@memory</c>.</summary>
    public static TmmTable? FromModel(Model model)
    {
        var graph = model.Main;
        if (TmmAnnotation.ReadSummary(graph) is not { } summary) return null;
        var rows = new List<TmmRow>();
        var order = ExecutionOrder.Current(graph);
        for (int step = 0; step < order.Length; step++)
        {
            var op = graph.Operators[order[step]];
            if (TmmAnnotation.Read(op) is not { } memory) return null;
            rows.Add(new TmmRow(step, order[step], op.DisplayName, op.DisplayType,
                memory.InputBytes, memory.OutputBytes, memory.OtherBytes, memory.TotalBytes));
        }
        return new TmmTable(rows, summary.PeakBytes, summary.PeakStep, summary.PeakOperator, summary.LargestOperatorBytes, summary.View,
            LiveTensor.Named(graph, summary.PeakTensors ?? []))
        {
            Tflm = summary.Tflm,
        };
    }
}
