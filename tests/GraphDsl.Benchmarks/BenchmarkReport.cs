namespace GraphDsl.Benchmarks;

/// <summary>Everything one benchmark run measured, ready for the renderers.</summary>
internal sealed record BenchmarkReport(
    MachineInfo Machine,
    string Command,
    string? Script,
    string ModelsFolder,
    DateTime StartedUtc,
    TimeSpan Duration,
    BenchmarkSettings Settings,
    IReadOnlyList<CorpusRow> Corpus,
    IReadOnlyList<ScaleRow> Scale,
    IReadOnlyList<TflmRow> Tflm,
    string TflmCommit,
    string? TflmUnavailable,
    IReadOnlyList<OnnxTilingRow>? OnnxTiling = null);
