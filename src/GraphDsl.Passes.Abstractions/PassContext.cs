using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Passes;

/// <summary>What a running pass may use: its options, a place for diagnostics, artifacts and
/// progress, the path of the model file the pipeline started from, and cancellation.</summary>
/// <remarks>Results of earlier passes are in the model itself, as annotations (MLIR-style), so
/// they are visible in printed text and survive a print/parse round trip.</remarks>
public sealed class PassContext
{
    public PassContext(
        PassOptions options,
        DiagnosticBag diagnostics,
        IArtifactSink artifacts,
        IProgress<PassProgress> progress,
        string? sourcePath,
        CancellationToken cancellation)
    {
        Options = options;
        Diagnostics = diagnostics;
        Artifacts = artifacts;
        Progress = progress;
        SourcePath = sourcePath;
        Cancellation = cancellation;
    }

    public PassOptions Options { get; }

    public DiagnosticBag Diagnostics { get; }

    public IArtifactSink Artifacts { get; }

    public IProgress<PassProgress> Progress { get; }

    /// <summary>The file the model was read from (lowering re-reads it to preserve what the IR
    /// does not hold, e.g. weight bytes); null for models built in memory.</summary>
    public string? SourcePath { get; }

    /// <summary>Fires on Ctrl+C or when the pass exceeds its time budget; long passes poll it.</summary>
    public CancellationToken Cancellation { get; }
}
