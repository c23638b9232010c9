namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>Runs every fast heuristic and keeps the smallest arena (ties: the first listed).</summary>
internal static class HeuristicPortfolio
{
    private static readonly IArenaStrategy[] Heuristics =
        [new GreedyBySizeStrategy(), new GreedyByConflictsStrategy(), new BestFitStrategy()];

    public static ArenaPlacement Best(IReadOnlyList<BufferInterval> buffers, long alignment, CancellationToken cancellation)
    {
        ArenaPlacement? best = null;
        foreach (var h in Heuristics)
        {
            var p = h.Place(buffers, alignment, cancellation);
            if (best is null || p.ArenaBytes < best.ArenaBytes) best = p;
        }
        return best!;
    }
}
