using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Passes;

/// <summary>What a running pass may use: its options, a place for diagnostics, artifacts and
/// progress, the source the model was read from, cached analyses, and cancellation.</summary>
/// <remarks>Results of earlier passes are in the model itself, as annotations (MLIR-style), so
/// they are visible in printed text and survive a print/parse round trip. Facts derived from the
/// model (the activation view, liveness) come from <see cref="GetAnalysis{T}"/>, computed once per
/// model instance for the whole pipeline.</remarks>
public sealed class PassContext(
    PassOptions options,
    DiagnosticBag diagnostics,
    IArtifactSink artifacts,
    IProgress<PassProgress> progress,
    string? sourcePath,
    CancellationToken cancellation)
{
    public PassOptions Options { get; } = options;

    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public IArtifactSink Artifacts { get; } = artifacts;

    public IProgress<PassProgress> Progress { get; } = progress;

    /// <summary>The file the model was read from, with its bytes; null for models built in memory.</summary>
    public ModelSource? Source { get; init; }

    /// <summary>Analyses shared by every pass of the pipeline (the pass manager hands one cache
    /// to all contexts of a run).</summary>
    public AnalysisCache Analyses { get; init; } = new();

    /// <summary>The path of the model file, for diagnostics' locations only; null when unknown.</summary>
    public string? SourcePath => Source?.Path ?? sourcePath;

    /// <summary>Fires on Ctrl+C or when the pass exceeds its time budget; long passes poll it.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The analysis <typeparamref name="T"/> of <paramref name="model"/> (the model the
    /// pass was given), computed once per model instance; null when it cannot be computed, in which
    /// case the analysis has reported why (once, to this pipeline's diagnostics).</summary>
    public T? GetAnalysis<T>(Model model) where T : class, IGraphAnalysis<T> => Analyses.Get<T>(model, Diagnostics);
}
