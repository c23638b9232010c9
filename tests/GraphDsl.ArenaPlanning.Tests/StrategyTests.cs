using GraphDsl.ArenaPlanning.Strategies;
using Xunit;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Strategies on raw buffer intervals, checked against hand computation and brute force.</summary>
public sealed class StrategyTests
{
    [Fact]
    public void GreedyBySizeMatchesTheTfliteMicroAlgorithmWorkedByHand()
    {
        // A: 100 B alive steps 0-1, B: 50 B steps 1-2, C: 80 B steps 2-3; alignment 16 rounds the
        // sizes to 112, 64, 80. Largest first: A at 0. C (80) overlaps nothing placed -> 0.
        // B overlaps A [0,112) and C [0,80): the lowest gap that holds 64 starts at 112.
        // Arena = 112 + 64 = 176.
        BufferInterval[] buffers = [new(0, 100, 0, 1), new(1, 50, 1, 2), new(2, 80, 2, 3)];
        var p = new GreedyBySizeStrategy().Place(buffers, 16, default);
        Assert.Equal([0L, 112L, 0L], p.Offsets);
        Assert.Equal(176, p.ArenaBytes);
    }

    public static TheoryData<int> Seeds() => new(Enumerable.Range(0, 30));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CpSatMatchesBruteForceOnTinyInstancesAndProvesIt(int seed)
    {
        var random = new Random(seed);
        int count = random.Next(2, 6);
        var buffers = Enumerable.Range(0, count).Select(id =>
        {
            int first = random.Next(0, 4);
            return new BufferInterval(id, 16L * random.Next(1, 4) - random.Next(0, 8), first, first + random.Next(0, 3));
        }).ToArray();
        long best = BruteForceMinimum(buffers, 16);
        var exact = new CpSatStrategy(new ArenaStrategyOptions(5000)).Place(buffers, 16, default);
        Assert.Equal(best, exact.ArenaBytes);
        Assert.True(exact.ProvenMinimal);
        foreach (var heuristic in new IArenaStrategy[] { new GreedyBySizeStrategy(), new GreedyByConflictsStrategy(), new BestFitStrategy() })
            Assert.True(heuristic.Place(buffers, 16, default).ArenaBytes >= best);
    }

    /// <summary>The smallest arena over every assignment of aligned offsets below the sum of
    /// all sizes (any optimal placement can be shifted down to such offsets).</summary>
    private static long BruteForceMinimum(BufferInterval[] buffers, long alignment)
    {
        var units = buffers.Select(b => b.AlignedSize(alignment) / alignment).ToArray();
        long limit = units.Sum();
        var offsets = new long[buffers.Length];
        long best = long.MaxValue;
        void Search(int i, long top)
        {
            if (top >= best) return;
            if (i == buffers.Length) { best = top; return; }
            for (long o = 0; o + units[i] <= limit; o++)
            {
                bool clash = false;
                for (int j = 0; j < i && !clash; j++)
                    clash = buffers[i].Overlaps(buffers[j]) && o < offsets[j] + units[j] && offsets[j] < o + units[i];
                if (clash) continue;
                offsets[i] = o;
                Search(i + 1, Math.Max(top, o + units[i]));
            }
        }
        Search(0, 0);
        return best * alignment;
    }

    [Fact]
    public void UnknownStrategyNameIsReportedWithTheKnownNames()
    {
        var bag = new GraphDsl.Ir.Diagnostics.DiagnosticBag();
        var graph = RandomGraphs.Create(1, 3);
        Assert.Null(ArenaPlanner.Plan(graph, null, new ArenaPlanOptions(Strategy: "nope"), bag, null));
        var d = Assert.Single(bag);
        Assert.Equal("GD3301", d.Id);
        foreach (var name in ArenaStrategies.Names) Assert.Contains(name, d.Message);
    }
}
