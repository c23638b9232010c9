namespace GraphDsl.Tiling;

/// <summary>One way to run one region in bands, measured on the graph with only that region tiled.</summary>
/// <param name="From">Index in the cut list of the region's input (the cut before its first operator).</param>
/// <param name="To">Index in the cut list of the region's output (the cut after its last operator).</param>
/// <param name="Region">The operators and their band rules.</param>
/// <param name="Bands">Band count.</param>
/// <param name="PeakBytes">TFLM head (bytes) of the region's operators alone in bands, region input
/// and output included: what the region needs of the arena while it runs.</param>
/// <param name="ExtraMacs">Multiply-accumulates added by the halo rows.</param>
/// <param name="ExtraTailBytes">Bytes the band operators and tensors add to TFLM's persistent section.</param>
public sealed record RegionCandidate(int From, int To, TilingRegion Region, int Bands, long PeakBytes, long ExtraMacs, long ExtraTailBytes);

/// <summary>A set of regions to tile together, left to right, with the figures the choice predicted.</summary>
/// <param name="PeakBytes">Predicted peak: the largest region peak or untiled step.</param>
public sealed record RegionPlan(IReadOnlyList<RegionCandidate> Regions, long PeakBytes, long ExtraMacs, long ExtraTailBytes);

/// <summary>Chooses several regions jointly from measured candidates.</summary>
/// <remarks>
/// Regions start and end at cut points, where a single tensor is alive, so the memory of one region
/// does not depend on how the others are tiled: the peak of a plan is predicted as the largest of
/// its regions' peaks and of the untiled stretches', its extra MACs and tail bytes are sums.
/// For each threshold P (every distinct candidate peak or step figure, smallest first) a dynamic
/// program walks the cuts left to right and keeps, per cut, the plans that are not worse in extra
/// MACs, extra tail and region count (a Pareto set: the MAC cap and the region limit are
/// constraints, the tail a cost, so no single figure can be minimized alone); a step between two
/// cuts may stay untiled only when its bytes are at most P, a region only when its peak is.
/// Each threshold yields its best plan; the caller measures them in that order, because the
/// predicted peak ignores placement (alignment, fragmentation) that the real arena plan adds.
/// </remarks>
public static class RegionChoice
{
    /// <summary>The best plan for each threshold, best predicted first, without repeats.</summary>
    /// <param name="gapBytes">Bytes the untiled operators between cut i and cut i+1 need (element i).</param>
    /// <param name="fixedBytes">Bytes the untiled operators before the first cut and after the last need.</param>
    /// <param name="candidates">Measured candidates (From and To index the cuts).</param>
    /// <param name="maxExtraMacs">Most extra MACs of a plan.</param>
    /// <param name="maxRegions">Most regions in a plan.</param>
    /// <param name="countTail">True when the objective is TFLM's whole arena (the tail counts),
    /// false when it is the head.</param>
    /// <param name="outOfTime">Polled between thresholds; the plans found so far are returned.</param>
    public static IReadOnlyList<RegionPlan> Plans(IReadOnlyList<long> gapBytes, long fixedBytes, IReadOnlyList<RegionCandidate> candidates,
        long maxExtraMacs, int maxRegions, bool countTail, Func<bool>? outOfTime = null)
    {
        int m = gapBytes.Count + 1;
        if (candidates.Count == 0) return [];
        var gap = gapBytes.ToArray();
        long untiledPeak = gap.Append(fixedBytes).Max();
        var thresholds = gap.Concat(candidates.Select(c => c.PeakBytes)).Append(fixedBytes)
            .Where(p => p >= fixedBytes && p < untiledPeak).Distinct().Order().ToArray();
        var byStart = candidates.GroupBy(c => c.From).ToDictionary(g => g.Key, g => g.ToArray());
        var plans = new List<RegionPlan>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in thresholds)
        {
            if (outOfTime?.Invoke() == true) break;
            var best = BestUnder(p, m, gap, byStart, maxExtraMacs, maxRegions, countTail);
            if (best is null) continue;
            var regions = best.Regions();
            // A plan found again at a higher threshold predicts no better.
            if (!seen.Add(string.Join(";", regions.Select(r => $"{r.From}-{r.To}x{r.Bands}")))) continue;
            plans.Add(new RegionPlan(regions, p, best.Macs, best.Tail));
        }
        return plans.OrderBy(pl => pl.PeakBytes + (countTail ? pl.ExtraTailBytes : 0)).ThenBy(pl => pl.ExtraMacs).ToArray();
    }

    /// <summary>A partial plan up to some cut: its figures and its last region (a linked list back).</summary>
    private sealed record State(long Macs, long Tail, int Count, RegionCandidate? Last, State? Previous)
    {
        public bool Dominates(State other) => Macs <= other.Macs && Tail <= other.Tail && Count <= other.Count;

        public IReadOnlyList<RegionCandidate> Regions()
        {
            var list = new List<RegionCandidate>();
            for (var s = this; s is not null; s = s.Previous)
                if (s.Last is not null) list.Add(s.Last);
            list.Reverse();
            return list;
        }
    }

    /// <summary>The cheapest plan (least tail when it counts, then least MACs) whose every step
    /// holds at most <paramref name="p"/> bytes, with at least one region; null when none.</summary>
    private static State? BestUnder(long p, int m, long[] gap, Dictionary<int, RegionCandidate[]> byStart, long maxExtraMacs, int maxRegions, bool countTail)
    {
        var fronts = new List<State>[m];
        for (int i = 0; i < m; i++) fronts[i] = [];
        fronts[0].Add(new State(0, 0, 0, null, null));
        for (int i = 0; i < m; i++)
        {
            foreach (var s in fronts[i])
            {
                if (i + 1 < m && gap[i] <= p) Add(fronts[i + 1], s with { Last = null, Previous = s });
                if (s.Count >= maxRegions || !byStart.TryGetValue(i, out var starting)) continue;
                foreach (var c in starting)
                {
                    if (c.PeakBytes > p || s.Macs + c.ExtraMacs > maxExtraMacs) continue;
                    Add(fronts[c.To], new State(s.Macs + c.ExtraMacs, s.Tail + c.ExtraTailBytes, s.Count + 1, c, s));
                }
            }
        }
        return fronts[m - 1].Where(s => s.Count > 0)
            .OrderBy(s => countTail ? s.Tail : 0).ThenBy(s => s.Macs).ThenBy(s => s.Count).FirstOrDefault();
    }

    /// <summary>Adds <paramref name="state"/> to a Pareto set unless a member is at least as good in every figure.</summary>
    private static void Add(List<State> front, State state)
    {
        if (front.Any(s => s.Dominates(state))) return;
        front.RemoveAll(state.Dominates);
        front.Add(state);
    }
}
