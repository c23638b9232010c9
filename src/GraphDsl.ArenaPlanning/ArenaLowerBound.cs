namespace GraphDsl.ArenaPlanning;

/// <summary>The largest total aligned size of buffers alive at one step: no placement of these
/// buffers fits in less, so a placement reaching it is minimal.</summary>
public static class ArenaLowerBound
{
    public static long Of(IReadOnlyList<BufferInterval> buffers, long alignment)
    {
        if (buffers.Count == 0) return 0;
        int steps = buffers.Max(b => b.Last) + 2;
        var delta = new long[steps];
        foreach (var b in buffers)
        {
            delta[b.First] += b.AlignedSize(alignment);
            delta[b.Last + 1] -= b.AlignedSize(alignment);
        }
        long alive = 0, peak = 0;
        foreach (var d in delta)
        {
            alive += d;
            peak = Math.Max(peak, alive);
        }
        return peak;
    }
}
