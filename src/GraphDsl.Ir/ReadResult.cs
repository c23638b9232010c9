using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Ir;

/// <summary>What every front end (text parser, TFLite and ONNX importers) returns: the model, or
/// null when errors prevent building one, plus every diagnostic found. Front ends never throw on
/// bad input.</summary>
public sealed record ReadResult(Model? Model, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The file as read (path, format, bytes), when the model came from a file; hosts hand
    /// it to the pipeline so lowering rewrites exactly these bytes.</summary>
    public ModelSource? Source { get; init; }

    public bool Succeeded => Model is not null && !Diagnostics.Any(d => d.Severity == Severity.Error);

    public static ReadResult Failure(Diagnostic diagnostic) => new(null, [diagnostic]);
}
