namespace GraphDsl.ArenaPlanning;

/// <summary>Measures sets of byte ranges [Start, End): shared bytes are counted once.</summary>
internal static class ByteRanges
{
    public static long Covered(IEnumerable<(long Start, long End)> ranges)
    {
        long covered = 0, reach = long.MinValue;
        foreach (var (start, end) in ranges.OrderBy(r => r.Start))
        {
            long from = Math.Max(start, reach);
            if (end > from) covered += end - from;
            reach = Math.Max(reach, end);
        }
        return covered;
    }
}
