namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>TensorFlow Lite Micro's <c>GreedyMemoryPlanner</c>, written from its published
/// algorithm: sizes rounded up to the alignment, buffers taken largest first, and each placed at
/// the lowest offset where it fits between the already-placed buffers whose lifetimes overlap
/// it, walking those in offset order. This is the baseline every plan is compared with.</summary>
public sealed class GreedyBySizeStrategy : IArenaStrategy
{
    public string Name => "greedy-by-size";

    public ArenaPlacement Place(IReadOnlyList<BufferInterval> buffers, long alignment, CancellationToken cancellation) =>
        GapSearch.FirstFit(buffers, alignment, GapSearch.BySizeDescending(buffers), Name);
}
