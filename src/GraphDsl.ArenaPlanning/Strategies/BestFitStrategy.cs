namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>Largest buffer first, each into the smallest free gap between overlapping placed
/// buffers that holds it (lowest offset among equal gaps), else on top. Leaves big gaps whole
/// for big buffers where first fit would cut them up. Shared buffers made of parts take
/// the lowest offset where all their parts fit.</summary>
public sealed class BestFitStrategy : IArenaStrategy
{
    public string Name => "best-fit";

    public ArenaPlacement Place(IReadOnlyList<BufferInterval> buffers, long alignment, CancellationToken cancellation)
    {
        var search = new GapSearch(buffers, alignment);
        foreach (var b in GapSearch.BySizeDescending(buffers))
        {
            if (buffers[b].Parts is not null) { search.Put(b, search.LowestFeasible(b)); continue; }
            long size = buffers[b].AlignedSize(alignment);
            var gaps = search.Gaps(b).ToList();
            var bounded = gaps.Where(g => g.Length >= size).OrderBy(g => g.Length).ThenBy(g => g.Start).ToList();
            search.Put(b, bounded.Count > 0 ? bounded[0].Start : gaps[^1].Start);
        }
        return search.Result(Name, ArenaLowerBound.Of(buffers, alignment));
    }
}
