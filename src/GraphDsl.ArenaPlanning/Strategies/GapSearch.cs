namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>The placement state shared by the gap-filling heuristics: buffers placed so far,
/// kept sorted by offset, and the free gaps a new buffer could take.</summary>
internal sealed class GapSearch
{
    private readonly IReadOnlyList<BufferInterval> _buffers;
    private readonly long _alignment;
    private readonly List<int> _byOffset = new();
    private readonly long[] _offsets;

    public GapSearch(IReadOnlyList<BufferInterval> buffers, long alignment)
    {
        _buffers = buffers;
        _alignment = alignment;
        _offsets = new long[buffers.Count];
    }

    /// <summary>Free ranges for <paramref name="buffer"/> among the placed buffers whose lifetimes
    /// overlap it, lowest offset first; the last gap is unbounded (Length null).</summary>
    public IEnumerable<(long Start, long? Length)> Gaps(int buffer)
    {
        var b = _buffers[buffer];
        long candidate = 0;
        foreach (var placed in _byOffset)
        {
            var p = _buffers[placed];
            if (!p.Overlaps(b) || p.AlignedSize(_alignment) == 0) continue;
            if (_offsets[placed] > candidate) yield return (candidate, _offsets[placed] - candidate);
            candidate = Math.Max(candidate, _offsets[placed] + p.AlignedSize(_alignment));
        }
        yield return (candidate, null);
    }

    public void Put(int buffer, long offset)
    {
        _offsets[buffer] = offset;
        int at = _byOffset.FindIndex(p => _offsets[p] > offset);
        _byOffset.Insert(at < 0 ? _byOffset.Count : at, buffer);
    }

    public ArenaPlacement Result(string strategy, long lowerBound)
    {
        long arena = _buffers.Count == 0 ? 0 : _buffers.Max(b => _offsets[b.Id] + b.AlignedSize(_alignment));
        return new ArenaPlacement((long[])_offsets.Clone(), arena, arena == lowerBound, strategy);
    }

    /// <summary>Places the buffers one by one in <paramref name="sequence"/>, each in the lowest
    /// gap it fits (TensorFlow Lite Micro's first fit).</summary>
    public static ArenaPlacement FirstFit(IReadOnlyList<BufferInterval> buffers, long alignment, IEnumerable<int> sequence, string strategy)
    {
        var search = new GapSearch(buffers, alignment);
        foreach (var b in sequence)
        {
            long size = buffers[b].AlignedSize(alignment);
            var gap = search.Gaps(b).First(g => g.Length is null || g.Length >= size);
            search.Put(b, gap.Start);
        }
        return search.Result(strategy, ArenaLowerBound.Of(buffers, alignment));
    }

    /// <summary>Buffer ids largest first, ties by id (the order TensorFlow Lite Micro's sort keeps).</summary>
    public static IEnumerable<int> BySizeDescending(IReadOnlyList<BufferInterval> buffers) =>
        buffers.OrderByDescending(b => b.Size).ThenBy(b => b.Id).Select(b => b.Id);
}
