namespace GraphDsl.ArenaPlanning;

/// <summary>The result of planning one graph under one execution order.</summary>
/// <param name="Offsets">Absolute arena offset of each activation id.</param>
/// <param name="PeakBytes">Liveness peak with every activation in its own bytes.</param>
/// <param name="AdjustedPeakBytes">Liveness peak counting shared bytes once (the floor for this plan's reuse decisions).</param>
/// <param name="TflmGreedyArenaBytes">TFLM's own plan of the activations (all subgraphs' tensors, no scratch buffers) for the same order, by <see cref="GraphDsl.Tflm.TflmArenaModel"/>.</param>
/// <param name="ProvenMinimal">No placement of the same buffers in the same order fits in less.</param>
public sealed record ArenaPlan(
    IReadOnlyList<int> Order,
    BufferAssignment Assignment,
    ArenaPlacement Placement,
    long[] Offsets,
    long ArenaBytes,
    long PeakBytes,
    long AdjustedPeakBytes,
    long TflmGreedyArenaBytes,
    string Strategy,
    bool ProvenMinimal,
    long Alignment,
    ReuseKinds Reuse)
{
    /// <summary>What TFLM will do with this plan: its own plan of the input, its plan of the
    /// written model and what the written model carries (set by <see cref="ArenaPlanner"/>).</summary>
    public TflmPlanCheck? Tflm { get; init; }

    /// <summary>Share of the arena not explained by the adjusted peak: 0 means no byte is lost to
    /// gaps between buffers at the fullest step.</summary>
    public double Fragmentation => GraphDsl.Analysis.Annotations.ArenaPlanSummary.FragmentationOf(ArenaBytes, AdjustedPeakBytes);

    /// <summary>The placement in the form the verifier checks.</summary>
    public ArenaLayout ToLayout(IReadOnlyList<long> sizes) =>
        new(Offsets.Select(o => (long?)o).ToArray(), sizes.Select(s => (long?)s).ToArray(), Assignment.Aliases, ArenaBytes, Alignment);
}
