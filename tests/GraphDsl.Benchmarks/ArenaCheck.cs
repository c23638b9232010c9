namespace GraphDsl.Benchmarks;

/// <summary>The planned arena of one model under one order, checked against TensorFlow Lite Micro's
/// greedy arena (upper target) and the in-place-adjusted liveness peak (floor), plus what each
/// reuse kind saves and whether the independent verifier accepts the placement.</summary>
internal sealed record ArenaCheck(
    string Order,
    long GreedyArena,
    long Arena,
    long AdjustedPeak,
    long Peak,
    string Strategy,
    long InPlaceSaved,
    long ViewsSaved,
    long ConcatSaved,
    long AllSaved,
    int VerifierFindings,
    string? FirstFinding)
{
    /// <summary>adjusted peak &lt;= arena &lt;= TFLM greedy arena.</summary>
    public bool WithinBounds => AdjustedPeak <= Arena && Arena <= GreedyArena;

    public bool Verified => VerifierFindings == 0;
}
