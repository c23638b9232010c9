namespace GraphDsl.ArenaPlanning;

/// <summary>The largest number of bytes that must be distinct at one step: no placement of these
/// buffers fits in less, so a placement reaching it is minimal.</summary>
/// <remarks>A plain buffer counts its aligned size (buffers start at aligned offsets, so the next
/// one alive at the same step cannot start before its aligned end); a buffer made of parts counts
/// the union of its live parts' byte ranges.</remarks>
public static class ArenaLowerBound
{
    public static long Of(IReadOnlyList<BufferInterval> buffers, long alignment)
    {
        if (buffers.Count == 0) return 0;
        // Steps from the earliest First (-1 is the step before the first operator), stored at
        // index step - from.
        int from = Math.Min(0, buffers.Min(b => b.First));
        int steps = buffers.Max(b => b.Last) - from + 2;
        var delta = new long[steps];
        var shared = new long[steps];
        foreach (var b in buffers)
        {
            if (b.Parts is { } parts)
            {
                for (int step = b.First; step <= b.Last; step++) shared[step - from] += LiveUnion(parts, step);
                continue;
            }
            delta[b.First - from] += b.AlignedSize(alignment);
            delta[b.Last + 1 - from] -= b.AlignedSize(alignment);
        }
        long alive = 0, peak = 0;
        for (int step = 0; step < steps; step++)
        {
            alive += delta[step];
            peak = Math.Max(peak, alive + shared[step]);
        }
        return peak;
    }

    private static long LiveUnion(IReadOnlyList<BufferPart> parts, int step) =>
        ByteRanges.Covered(parts.Where(p => p.First <= step && step <= p.Last).Select(p => (p.Offset, p.Offset + p.Size)));
}
