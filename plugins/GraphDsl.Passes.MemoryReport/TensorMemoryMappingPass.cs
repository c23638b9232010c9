using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Passes.MemoryReport;

/// <summary>The <c>tmm</c> pass (Tensor Memory Mapping): for the current execution order, the
/// activation bytes each operator needs while it runs, the peak, and the order-independent lower
/// bound, written as annotations so later passes, reports and snapshots can read them.</summary>
/// <remarks>
/// Annotates each operator of the main graph with <c>@memory(inputs=, outputs=, other=, total=)</c>
/// and the main graph with <c>@tmm(peak_bytes=, peak_step=, peak_operator=, lower_bound_bytes=, view=)</c>.
/// The figures come from <see cref="MemoryProfile"/> over <see cref="MemoryProblem"/>, the same
/// activation view order search and arena planning use. Returns the input instance when the
/// annotations are already up to date.
/// </remarks>
public sealed class TensorMemoryMappingPass : IGraphPass
{
    public const string Name = "tmm";

    public PassDescriptor Descriptor { get; } = new(
        Name,
        "Tensor Memory Mapping: activation bytes per operator (inputs, outputs, other live), the peak and the lower bound",
        PassKind.Analysis,
        Requires: [],
        Provides: [Name],
        Options:
        [
            PassOption.Text("view", ActivationView.Tflm,
                "which tensors are activations: tflm (TFLite Micro arena, default) or persistent-dequantize (desktop TFLite keeps DEQUANTIZE-of-constant outputs)"),
        ],
        Reports: [TensorMemoryDiagnostics.UnsizedActivations, TensorMemoryDiagnostics.UnknownView, TensorMemoryDiagnostics.OrderNotTopological]);

    public PassResult Run(Model model, PassContext context)
    {
        var graph = model.Main;
        var viewName = context.Options.Get<string>("view");
        if (ActivationView.Apply(graph, viewName) is not { } viewed)
        {
            context.Diagnostics.Report(TensorMemoryDiagnostics.UnknownView, graph.Origin.Location, viewName, string.Join(", ", ActivationView.Names));
            return PassResult.Unchanged(model);
        }
        if (MemoryProblem.TryCreate(viewed, out var unsized) is not { } problem)
        {
            var names = string.Join("; ", unsized.Take(10).Select(t => $"'{t.Name}': {MemoryProblem.WhyUnsized(t)}"))
                        + (unsized.Count > 10 ? $", ... ({unsized.Count - 10} more)" : "");
            context.Diagnostics.Report(TensorMemoryDiagnostics.UnsizedActivations, unsized[0].Origin.Location ?? graph.Origin.Location, unsized.Count, names);
            return PassResult.Unchanged(model);
        }
        var order = ExecutionOrder.Current(graph);
        if (!ExecutionOrder.IsTopological(problem, order))
        {
            context.Diagnostics.Report(TensorMemoryDiagnostics.OrderNotTopological, graph.Origin.Location);
            return PassResult.Unchanged(model);
        }
        context.Cancellation.ThrowIfCancellationRequested();

        var profile = MemoryProfile.Compute(problem, order);
        var operators = graph.Operators.ToArray();
        foreach (var row in profile.Rows)
        {
            var op = operators[row.Operator];
            operators[row.Operator] = op with
            {
                Annotations = op.Annotations.With(WellKnownAnnotations.Memory, Record(
                    ("inputs", row.InputBytes), ("outputs", row.OutputBytes), ("other", row.OtherBytes), ("total", row.TotalBytes))),
            };
        }
        int peakOperator = profile.PeakStep < 0 ? -1 : profile.Rows[profile.PeakStep].Operator;
        var annotated = graph with
        {
            Operators = operators.ToEquatableArray(),
            Annotations = graph.Annotations.With(WellKnownAnnotations.Tmm, Record(
                ("peak_bytes", profile.PeakBytes), ("peak_step", profile.PeakStep), ("peak_operator", peakOperator),
                ("lower_bound_bytes", profile.LowerBoundBytes), ("view", viewName))),
        };
        // Same figures as before: hand back the input so analyses stay cached downstream.
        return annotated.Equals(graph) ? PassResult.Unchanged(model) : PassResult.From(model, model.WithMain(annotated));
    }

    private static AttributeValue Record(params (string Key, AttributeValue Value)[] fields) =>
        new AttributeValue.Record(AttributeMap.From(fields));
}
