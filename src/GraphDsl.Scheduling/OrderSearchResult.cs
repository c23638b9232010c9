namespace GraphDsl.Scheduling;

/// <summary>The outcome of an order search.</summary>
/// <param name="Order">Operator indices in execution order (a topological order unless
/// <paramref name="Outcome"/> is <see cref="OrderSearchOutcome.Cyclic"/>).</param>
/// <param name="PeakBytes">Activation peak of <paramref name="Order"/>, as
/// <c>MemoryProfile.Compute</c> measures it.</param>
/// <param name="StoredPeakBytes">Peak of the stored operator order.</param>
/// <param name="ProvenLowerBoundBytes">No execution order has a smaller peak (proven).</param>
/// <param name="ProvenOptimal">True when <paramref name="PeakBytes"/> equals the proven lower bound.</param>
/// <param name="States">Search states created by the exact search.</param>
/// <param name="Elapsed">Wall-clock time of the whole run, heuristics included.</param>
/// <param name="Outcome">Why the search stopped.</param>
public sealed record OrderSearchResult(
    int[] Order,
    long PeakBytes,
    long StoredPeakBytes,
    long ProvenLowerBoundBytes,
    bool ProvenOptimal,
    long States,
    TimeSpan Elapsed,
    OrderSearchOutcome Outcome)
{
    /// <summary>Bytes the found order saves against the stored order.</summary>
    public long SavedBytes => StoredPeakBytes - PeakBytes;

    /// <summary>Proven distance from the optimum, in bytes (0 when proven optimal).</summary>
    public long GapBytes => PeakBytes - ProvenLowerBoundBytes;
}
