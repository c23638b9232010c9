namespace GraphDsl.Fuzz;

/// <summary>Shrinks a failing input while it still fails the same way: delta debugging on bytes
/// (Zeller's ddmin, complement removal only), chunks halving from half the input down to one
/// byte, within a time budget.</summary>
public static class Minimizer
{
    public static byte[] Minimize(byte[] input, Func<byte[], bool> stillFails, TimeSpan budget)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var current = input;
        for (int chunk = Math.Max(1, current.Length / 2); chunk >= 1; chunk /= 2)
        {
            for (int start = 0; start < current.Length && clock.Elapsed < budget;)
            {
                int length = Math.Min(chunk, current.Length - start);
                byte[] candidate = [.. current.AsSpan(0, start), .. current.AsSpan(start + length)];
                if (candidate.Length > 0 && stillFails(candidate)) current = candidate;
                else start += length;
            }
            if (clock.Elapsed >= budget) break;
        }
        return current;
    }
}
