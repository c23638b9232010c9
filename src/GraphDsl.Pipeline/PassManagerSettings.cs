using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>How the <see cref="PassManager"/> runs passes.</summary>
public sealed record PassManagerSettings
{
    public static readonly TimeSpan DefaultPassTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Time budget of each pass; past it the pass's token is cancelled.</summary>
    public TimeSpan PassTimeout { get; init; } = DefaultPassTimeout;

    /// <summary>How long a cancelled pass may take to return before it is abandoned.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra instruments (printing, timing); they run after the IR verification.</summary>
    public IReadOnlyList<IPassInstrument> Instruments { get; init; } = [];

    /// <summary>Checks the IR before the first pass and after each pass; null turns it off.</summary>
    public Func<Model, IEnumerable<Diagnostic>>? Verify { get; init; } = IrVerifier.Verify;

    public IProgress<PipelineProgress>? Progress { get; init; }

    /// <summary>Receives artifacts; defaults to a buffer nobody reads.</summary>
    public IArtifactSink Artifacts { get; init; } = new ArtifactBuffer();

    /// <summary>The file the model was read from, with its bytes (read once by the loader),
    /// handed to passes read-only; lowering rewrites it.</summary>
    public ModelSource? Source { get; init; }

    /// <summary>The path of the model file when there is no <see cref="Source"/> (locations only).</summary>
    public string? SourcePath
    {
        get => Source?.Path ?? _sourcePath;
        init => _sourcePath = value;
    }

    private readonly string? _sourcePath;
}
