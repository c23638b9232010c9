using System.Text;
using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;
using GraphDsl.Lowering.Onnx;

namespace GraphDsl.Passes.Lower;

/// <summary>The <c>lower</c> pass: writes the plan of the main graph as deliverables through
/// <see cref="PassContext.Artifacts"/>. Always <c>model.h</c> (C header); and, by the format the
/// loader recorded for the source (<see cref="PassContext.Source"/>), <c>model.tflite</c>
/// (subgraph 0 written from the planned graph, operators in the planned order, including what
/// earlier passes added or changed, plus the offline memory plan), <c>model.onnx</c> (nodes
/// stored in the planned order) or <c>model.gdsl</c> (canonical text with operators in the planned
/// order; also for models without a source file).</summary>
/// <remarks>Requires <c>order</c>, <c>arena</c> and <c>verified</c>: it writes only a plan the
/// <c>verify</c> pass checked for exactly this order and placement. The binder withdraws
/// <c>verified</c> when a later pass changes the order or the arena (see
/// <see cref="PassDescriptor.DependsOn"/>), so no pipeline can lower a plan computed for another
/// order. It changes nothing in the model. The host decides where artifacts go and writes them
/// only when the whole pipeline succeeded.</remarks>
public sealed class LowerPass : IGraphPass
{
    public const string HeaderArtifact = "model.h";
    public const string TfliteArtifact = "model.tflite";
    public const string OnnxArtifact = "model.onnx";
    public const string TextArtifact = "model.gdsl";

    /// <summary>How each source format is lowered: the artifact name and the writer that rewrites
    /// the source bytes with the plan (content null after reporting an error).</summary>
    private static readonly IReadOnlyDictionary<string, (string Artifact, Func<ModelSource, LoweringPlan, DiagnosticBag, byte[]?> Write)> Writers =
        new Dictionary<string, (string, Func<ModelSource, LoweringPlan, DiagnosticBag, byte[]?>)>(StringComparer.Ordinal)
        {
            [ModelSource.Tflite] = (TfliteArtifact, (source, plan, diagnostics) => TfliteLowering.Rewrite(source.Bytes.ToArray(), plan, source.Path, diagnostics)),
            [ModelSource.Onnx] = (OnnxArtifact, (source, plan, diagnostics) => OnnxNodeOrderWriter.Rewrite(source.Bytes.ToArray(), plan, source.Path, diagnostics)),
        };

    public PassDescriptor Descriptor { get; } = new(
        "lower",
        "Write the planned model: reordered .tflite with offline arena plan, reordered .onnx or .gdsl, and a C header.",
        PassKind.Lowering,
        Requires: ["order", "arena", "verified"],
        Provides: ["lowered"],
        Options: [PassOption.Text("name", "", "Name used for the C header's macros; default: the source file name.")],
        Reports:
        [
            AnalysisDiagnostics.UnsizedActivation, LoweringDiagnostics.MissingOrder, LoweringDiagnostics.MissingPlacement,
            LoweringDiagnostics.BadAlias, LoweringDiagnostics.ArenaTooSmall, LoweringDiagnostics.MalformedOnnx,
            LoweringDiagnostics.OnnxNodeMismatch,
        ]);

    public PassResult Run(Model model, PassContext context)
    {
        if (context.GetAnalysis<MemoryProblem>(model) is not { } problem) return PassResult.Unchanged(model);
        var plan = LoweringPlan.TryRead(problem, context.SourcePath, context.Diagnostics);
        if (plan is null) return PassResult.Unchanged(model);

        var source = context.Source;
        var name = context.Options.Get<string>("name") is { Length: > 0 } given ? given
            : context.SourcePath is { } path ? Path.GetFileNameWithoutExtension(path)
            : model.Name ?? model.Main.Name;
        // TFLM does not load an ONNX model: its header gives the plan's span, not TFLM's arena.
        var header = CHeaderEmitter.Emit(plan, name, tflmRunsModel: source?.Format != ModelSource.Onnx);

        var (artifact, content) = source is not null && Writers.TryGetValue(source.Format, out var writer)
            ? (writer.Artifact, writer.Write(source, plan, context.Diagnostics))
            : (TextArtifact, Encoding.UTF8.GetBytes(IrPrinter.Print(model.WithMain(plan.StoredInExecutionOrder()))));
        // Nothing is offered unless every artifact could be made: the host writes all or none.
        if (content is null) return PassResult.Unchanged(model);
        context.Artifacts.Write(artifact, content);
        context.Artifacts.Write(HeaderArtifact, Encoding.UTF8.GetBytes(header));
        return PassResult.Unchanged(model);
    }
}
