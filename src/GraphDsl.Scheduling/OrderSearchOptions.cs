namespace GraphDsl.Scheduling;

/// <summary>Limits and hooks for one <see cref="OrderSearch.Run"/>: when to stop early, and where
/// progress goes. Stopping early never loses validity: the best order found so far is returned
/// with the lower bound proven up to that point.</summary>
public sealed record OrderSearchOptions
{
    /// <summary>Wall-clock budget of the exact search (heuristics always run first).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most search states kept in memory; bounds memory use (each state holds one bit per
    /// operator plus a parent link).</summary>
    public long MaxStates { get; init; } = 2_000_000;

    /// <summary>Most bytes the search's states and frontier may take (estimated from their sizes);
    /// on a graph of hundreds of operators 2,000,000 states took over 1.5 GiB (fuzz input
    /// gdsl-1-5752), so the state cap alone does not bound memory.</summary>
    public long MemoryBudgetBytes { get; init; } = 384L << 20;

    public CancellationToken Cancellation { get; init; }

    /// <summary>Receives bound updates while the search runs; may be null.</summary>
    public IProgress<OrderSearchProgress>? Progress { get; init; }

    public static OrderSearchOptions Default { get; } = new();
}
