using GraphDsl.Analysis;

namespace GraphDsl.ArenaPlanning;

/// <summary>What each kind of reuse is worth on one graph and order: the arena and adjusted peak
/// with no reuse, with each kind alone, and with all kinds, all planned by the same strategy.</summary>
public sealed record ReuseSavings(IReadOnlyList<ReuseSavings.Entry> Entries)
{
    /// <summary>One reuse setting: its arena, its adjusted peak, and bytes saved against no reuse.</summary>
    public sealed record Entry(ReuseKinds Reuse, long ArenaBytes, long AdjustedPeakBytes, long SavedBytes);

    public static readonly ReuseKinds[] Settings =
        [ReuseKinds.None, ReuseKinds.Views, ReuseKinds.InPlace, ReuseKinds.Concat, ReuseKinds.All];

    public static ReuseSavings Measure(MemoryProblem problem, IReadOnlyList<int> order, ArenaPlanOptions options,
        IArenaStrategy strategy, CancellationToken cancellation = default)
    {
        var plans = Settings.Select(r => ArenaPlanner.Plan(problem, order, options with { Reuse = r }, strategy, cancellation)).ToArray();
        long none = plans[0].ArenaBytes;
        return new ReuseSavings(Settings.Zip(plans, (r, p) => new Entry(r, p.ArenaBytes, p.AdjustedPeakBytes, none - p.ArenaBytes)).ToArray());
    }
}
