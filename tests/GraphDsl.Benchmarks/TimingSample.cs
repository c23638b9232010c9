using System.Diagnostics;
using System.Globalization;

namespace GraphDsl.Benchmarks;

/// <summary>Wall-clock milliseconds of repeated runs of one measurement: median, min, max.</summary>
internal sealed record TimingSample(IReadOnlyList<double> Milliseconds)
{
    public int Runs => Milliseconds.Count;

    public double Median
    {
        get
        {
            var sorted = Milliseconds.Order().ToArray();
            int m = sorted.Length / 2;
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        }
    }

    public double Min => Milliseconds.Count == 0 ? double.NaN : Milliseconds.Min();

    public double Max => Milliseconds.Count == 0 ? double.NaN : Milliseconds.Max();

    /// <summary>Runs <paramref name="action"/> once as warm-up (JIT, caches), then
    /// <paramref name="runs"/> timed times; when the warm-up itself took longer than
    /// <paramref name="slowMilliseconds"/>, a single timed run is enough to stay in the time
    /// budget of the whole benchmark. Returns the last result and the timings.</summary>
    public static (T Result, TimingSample Timing) Measure<T>(Func<T> action, int runs, double slowMilliseconds = double.PositiveInfinity)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        if (clock.Elapsed.TotalMilliseconds > slowMilliseconds) runs = 1;
        var times = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            clock.Restart();
            result = action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (result, new TimingSample(times));
    }

    /// <summary>"median (min-max)", or just the value for one run.</summary>
    public string Format()
    {
        if (Runs == 0) return "";
        return Runs == 1 ? Ms(Median) : $"{Ms(Median)} ({Ms(Min)}-{Ms(Max)})";
    }

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : ms < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
