namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>The placement state shared by the gap-filling heuristics: the rectangles (bytes x
/// steps) placed so far, kept sorted by start offset, and the free places a new buffer could take.</summary>
internal sealed class GapSearch
{
    private readonly record struct Placed(long Start, long End, int First, int Last);

    private readonly IReadOnlyList<BufferInterval> _buffers;
    private readonly long _alignment;
    private readonly List<Placed> _byStart = new();
    private readonly long[] _offsets;
    private long _top;

    public GapSearch(IReadOnlyList<BufferInterval> buffers, long alignment)
    {
        _buffers = buffers;
        _alignment = alignment;
        _offsets = new long[buffers.Count];
    }

    private static bool SameSteps(Placed p, int first, int last) => p.First <= last && first <= p.Last;

    /// <summary>Free ranges for a plain buffer among the placed rectangles whose steps overlap it,
    /// lowest offset first; the last gap is unbounded (Length null). Starts are aligned.</summary>
    public IEnumerable<(long Start, long? Length)> Gaps(int buffer)
    {
        var b = _buffers[buffer];
        long candidate = 0;
        foreach (var p in _byStart)
        {
            if (!SameSteps(p, b.First, b.Last) || p.End <= p.Start) continue;
            if (p.Start > candidate) yield return (candidate, p.Start - candidate);
            candidate = Math.Max(candidate, BufferInterval.AlignUp(p.End, _alignment));
        }
        yield return (candidate, null);
    }

    /// <summary>The lowest aligned offset at which none of the buffer's rectangles meets a placed
    /// rectangle alive at the same step. Each conflict pushes the candidate just past it, which
    /// never skips a feasible offset, so the first conflict-free candidate is the lowest one.</summary>
    public long LowestFeasible(int buffer)
    {
        var parts = _buffers[buffer].Rectangles(_alignment);
        long candidate = 0;
        for (bool moved = true; moved; )
        {
            moved = false;
            foreach (var part in parts)
                foreach (var p in _byStart)
                {
                    long start = candidate + part.Offset;
                    if (p.Start >= start + part.Size) break;
                    if (part.Size == 0 || p.End <= start || !SameSteps(p, part.First, part.Last)) continue;
                    candidate = BufferInterval.AlignUp(p.End - part.Offset, _alignment);
                    moved = true;
                    break;
                }
        }
        return candidate;
    }

    public void Put(int buffer, long offset)
    {
        _offsets[buffer] = offset;
        foreach (var part in _buffers[buffer].Rectangles(_alignment))
        {
            var placed = new Placed(offset + part.Offset, offset + part.Offset + part.Size, part.First, part.Last);
            int at = _byStart.FindIndex(p => p.Start > placed.Start);
            _byStart.Insert(at < 0 ? _byStart.Count : at, placed);
            _top = Math.Max(_top, BufferInterval.AlignUp(placed.End, _alignment));
        }
    }

    public ArenaPlacement Result(string strategy, long lowerBound) =>
        new((long[])_offsets.Clone(), _top, _top == lowerBound, strategy);

    /// <summary>Places the buffers one by one in <paramref name="sequence"/>, each at the lowest
    /// offset where it fits (for plain buffers: the lowest gap that holds it, as TensorFlow Lite
    /// Micro does).</summary>
    public static ArenaPlacement FirstFit(IReadOnlyList<BufferInterval> buffers, long alignment, IEnumerable<int> sequence, string strategy)
    {
        var search = new GapSearch(buffers, alignment);
        foreach (var b in sequence)
        {
            if (buffers[b].Parts is not null) { search.Put(b, search.LowestFeasible(b)); continue; }
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
