using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Tflm;

namespace GraphDsl.Passes.Tmm;

/// <summary>The <c>tmm</c> pass (Tensor Memory Mapping): for the current execution order, the
/// activation bytes each operator needs while it runs, the peak, and the order-independent lower
/// bound, written as annotations so later passes, reports and snapshots can read them.</summary>
/// <remarks>
/// Annotates each operator of the main graph with <c>@memory(inputs=, outputs=, other=, total=)</c>
/// and the main graph with <c>@tmm(peak_bytes=, peak_step=, peak_operator=, largest_operator_bytes=, view=, peak_tensors=)</c>,
/// plus, for a TFLite model, TFLM's whole arena as stored (<c>tflm_head_bytes=, tflm_arena_bytes=</c>
/// and its parts) from the cached <see cref="TflmArena"/> analysis.
/// The figures come from <see cref="MemoryProfile"/> over <see cref="MemoryProblem"/>, the same
/// activation view order search and arena planning use. Returns the input instance when the
/// annotations are already up to date.
/// </remarks>
public sealed class TmmPass : IGraphPass
{
    public const string Name = "tmm";

    public PassDescriptor Descriptor { get; } = new(
        Name,
        "Tensor Memory Mapping: activation bytes per operator (inputs, outputs, other live), the peak and the largest single-operator footprint",
        PassKind.Analysis,
        Requires: [],
        Provides: [Name],
        Options:
        [
            PassOption.Text("view", ActivationView.Tflm,
                "which tensors are activations: tflm (TFLite Micro arena, default) or persistent-dequantize (desktop TFLite keeps DEQUANTIZE-of-constant outputs)"),
        ],
        Reports: [AnalysisDiagnostics.UnsizedActivation, TmmDiagnostics.UnknownView, TmmDiagnostics.OrderNotTopological])
    {
        // The figures are those of the current order: a new order makes them stale.
        DependsOn = ["order"],
    };

    public PassResult Run(Model model, PassContext context)
    {
        var graph = model.Main;
        var viewName = context.Options.Get<string>("view");
        if (ActivationView.Apply(graph, viewName) is not { } viewed)
        {
            context.Diagnostics.Report(TmmDiagnostics.UnknownView, graph.Origin.Location, viewName, string.Join(", ", ActivationView.Names));
            return PassResult.Unchanged(model);
        }
        // The TFLM view is the model itself, shared with the other passes through the cache.
        var problem = ReferenceEquals(viewed, graph)
            ? context.GetAnalysis<MemoryProblem>(model)
            : MemoryProblem.Compute(model.WithMain(viewed), context.Analyses, context.Diagnostics);
        if (problem is null) return PassResult.Unchanged(model);
        var order = ExecutionOrder.Current(graph);
        if (!ExecutionOrder.IsTopological(problem, order))
        {
            context.Diagnostics.Report(TmmDiagnostics.OrderNotTopological, graph.Origin.Location);
            return PassResult.Unchanged(model);
        }
        context.Cancellation.ThrowIfCancellationRequested();

        var profile = MemoryProfile.Compute(problem, order);
        int peakOperator = profile.PeakStep < 0 ? -1 : profile.Rows[profile.PeakStep].Operator;
        var summary = new TmmSummary(profile.PeakBytes, profile.PeakStep, peakOperator, profile.LargestOperatorBytes, viewName,
            (profile.PeakTensors ?? []).Select(problem.TensorName).ToArray())
        {
            // What TFLM's arena holds for the model as stored (a TFLite model: TFLM does not run ONNX operators).
            Tflm = TflmCompatibility.AppliesTo(model) && context.GetAnalysis<TflmArena>(model) is { } tflm
                ? tflm.Figures
                : null,
        };
        var annotated = TmmAnnotation.Write(graph, summary,
            profile.Rows.ToDictionary(r => r.Operator, r => new OperatorMemoryFigures(r.InputBytes, r.OutputBytes, r.OtherBytes, r.TotalBytes)));
        // Same figures as before: hand back the input so analyses stay cached downstream.
        return PassResult.From(model, model.WithMain(annotated));
    }
}
