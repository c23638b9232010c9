namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>First fit in order of how constrained a buffer is: the bytes of the other buffers
/// alive at the same time (its conflict weight) first, then size, then id. Buffers that share
/// their steps with much else are placed while the arena still has room for them low down.</summary>
public sealed class GreedyByConflictsStrategy : IArenaStrategy
{
    public string Name => "greedy-by-conflicts";

    public ArenaPlacement Place(IReadOnlyList<BufferInterval> buffers, long alignment, CancellationToken cancellation)
    {
        var weight = new long[buffers.Count];
        for (int a = 0; a < buffers.Count; a++)
            for (int b = a + 1; b < buffers.Count; b++)
                if (buffers[a].Overlaps(buffers[b]))
                {
                    weight[a] += buffers[b].Size;
                    weight[b] += buffers[a].Size;
                }
        var sequence = buffers.OrderByDescending(b => weight[b.Id] + b.Size).ThenByDescending(b => b.Size).ThenBy(b => b.Id).Select(b => b.Id);
        return GapSearch.FirstFit(buffers, alignment, sequence, Name);
    }
}
