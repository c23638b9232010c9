namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>The best of the fast heuristics, then CP-SAT only when that leaves a gap to the
/// step-wise lower bound (most chain-shaped models never need the solver).</summary>
public sealed class AutoStrategy : IArenaStrategy
{
    private readonly CpSatStrategy _exact;

    public AutoStrategy(ArenaStrategyOptions options) => _exact = new CpSatStrategy(options);

    public string Name => "auto";

    public ArenaPlacement Place(IReadOnlyList<BufferInterval> buffers, long alignment, CancellationToken cancellation)
    {
        var best = HeuristicPortfolio.Best(buffers, alignment, cancellation);
        return best.ProvenMinimal ? best : _exact.Improve(buffers, alignment, best, cancellation);
    }
}
