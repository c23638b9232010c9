namespace GraphDsl.Benchmarks;

/// <summary>One corpus model's figures: sizes, peaks, arenas, reuse savings and timings. Fields
/// after a failed stage stay null and <see cref="Error"/> says which stage failed and why.</summary>
internal sealed record CorpusRow(string Model)
{
    public string? Error { get; init; }
    public int? Operators { get; init; }
    public int? Activations { get; init; }
    public long? LowerBound { get; init; }
    public long? StoredPeak { get; init; }
    public long? GreedyArenaStored { get; init; }
    public long? OptimizedPeak { get; init; }
    public long? OptimizedArena { get; init; }
    public long? InPlaceSaved { get; init; }
    public long? ViewsSaved { get; init; }
    public long? ConcatSaved { get; init; }
    public bool? ProvenOptimal { get; init; }
    public string? OrderOutcome { get; init; }
    public TimingSample? OrderTime { get; init; }
    public TimingSample? ArenaTime { get; init; }
    public TimingSample? ImportTime { get; init; }
    public long FileBytes { get; init; }

    /// <summary>The <c>--dim NAME=N</c> sizes the model was measured at (see <see cref="GraphDsl.TestKit.RealisticDims"/>).</summary>
    public IReadOnlyList<string> Dims { get; init; } = [];

    /// <summary>Why those sizes (the model family and its documented input), when set.</summary>
    public string? DimsWhy { get; init; }

    /// <summary>Dynamic dims no rule sized, taken as 1 by the importer (<c>x dim 0 ('batch') = 1</c>).</summary>
    public IReadOnlyList<string> AssumedDims { get; init; } = [];

    /// <summary>The arena checks under the stored order and under the optimized order.</summary>
    public IReadOnlyList<ArenaCheck> Checks { get; init; } = [];

    public long? SavedAgainstGreedy => GreedyArenaStored - OptimizedArena;

    public double? SavedPercent => GreedyArenaStored is > 0 ? 100.0 * SavedAgainstGreedy / GreedyArenaStored : null;
}
