using System.Text;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;

namespace GraphDsl.Passes.Lower;

/// <summary>The <c>lower</c> pass: writes the plan of the main graph as deliverables through
/// <see cref="PassContext.Artifacts"/>. Always <c>model.h</c> (C header); and, by the format of
/// the source file, <c>model.tflite</c> (operators stored in the planned order plus the offline
/// memory plan), <c>model.onnx</c> (nodes stored in the planned order) or <c>model.gdsl</c>
/// (canonical text with operators in the planned order).</summary>
/// <remarks>Requires <c>order</c> and <c>arena</c>: it reads their annotations and changes
/// nothing in the model. The host decides where artifacts go and writes them only when the whole
/// pipeline succeeded.</remarks>
public sealed class LowerPass : IGraphPass
{
    public const string HeaderArtifact = "model.h";
    public const string TfliteArtifact = "model.tflite";
    public const string OnnxArtifact = "model.onnx";
    public const string TextArtifact = "model.gdsl";

    public PassDescriptor Descriptor { get; } = new(
        "lower",
        "Write the planned model: reordered .tflite with offline arena plan, reordered .onnx or .gdsl, and a C header.",
        PassKind.Lowering,
        Requires: ["order", "arena"],
        Provides: ["lowered"],
        Options: [PassOption.Text("name", "", "Name used for the C header's macros; default: the source file name.")],
        Reports:
        [
            LoweringDiagnostics.MissingOrder, LoweringDiagnostics.MissingPlacement, LoweringDiagnostics.UnsizedTensor,
            LoweringDiagnostics.BadAlias, LoweringDiagnostics.ArenaTooSmall, LoweringDiagnostics.SourceUnreadable,
            LoweringDiagnostics.MalformedOnnx, LoweringDiagnostics.OnnxNodeMismatch,
        ]);

    public PassResult Run(Model model, PassContext context)
    {
        var source = context.SourcePath;
        var plan = LoweringPlan.TryRead(model.Main, source, context.Diagnostics);
        if (plan is null) return PassResult.Unchanged(model);

        var name = context.Options.Get<string>("name") is { Length: > 0 } given ? given
            : source is not null ? Path.GetFileNameWithoutExtension(source)
            : model.Name ?? model.Main.Name;
        var header = CHeaderEmitter.Emit(plan, name);

        var (artifact, content) = LowerModel(model, plan, source, context.Diagnostics);
        // Nothing is offered unless every artifact could be made: the host writes all or none.
        if (content is null) return PassResult.Unchanged(model);
        context.Artifacts.Write(artifact, content);
        context.Artifacts.Write(HeaderArtifact, Encoding.UTF8.GetBytes(header));
        return PassResult.Unchanged(model);
    }

    /// <summary>The model in its source format with the plan applied; content null after an error.</summary>
    private static (string Artifact, byte[]? Content) LowerModel(Model model, LoweringPlan plan, string? source, DiagnosticBag diagnostics)
    {
        var extension = source is null ? "" : Path.GetExtension(source).ToLowerInvariant();
        if (extension is ".tflite")
        {
            var bytes = ReadSource(source!, diagnostics);
            return (TfliteArtifact, bytes is null ? null : TfliteLowering.Rewrite(bytes, plan, source!, diagnostics));
        }
        if (extension is ".onnx")
        {
            var bytes = ReadSource(source!, diagnostics);
            return (OnnxArtifact, bytes is null ? null : OnnxNodeOrderWriter.Rewrite(bytes, plan, source!, diagnostics));
        }
        return (TextArtifact, Encoding.UTF8.GetBytes(IrPrinter.Print(model.WithMain(plan.StoredInExecutionOrder()))));
    }

    private static byte[]? ReadSource(string path, DiagnosticBag diagnostics)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            diagnostics.Report(LoweringDiagnostics.SourceUnreadable, new ModelLocation(path, ""), e.Message);
            return null;
        }
    }
}
