using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning;
using GraphDsl.Ir;
using GraphDsl.Tflm;

namespace GraphDsl.Tiling;

/// <summary>What the search may do.</summary>
/// <param name="MaxMacOverhead">Most extra multiply-accumulates, as a share of the untiled graph's
/// (<see cref="MacCounter"/>); 0.2 = 20 %.</param>
/// <param name="MaxRegions">Most regions tiled one after another.</param>
/// <param name="BandCounts">Band counts tried for each region (those above its output rows are skipped).</param>
/// <param name="MaxRegionOperators">Most operators in one region.</param>
/// <param name="BudgetMilliseconds">Time after which no new candidate is tried; the best tiling found
/// so far is kept (0: no limit). Each candidate costs a liveness analysis of the tiled graph, each
/// plan an arena plan of the whole graph.</param>
/// <param name="MinimizeHead">Minimize TFLM's head (planned section) instead of its whole arena.</param>
public sealed record TilingOptions(
    double MaxMacOverhead = 0.20,
    int MaxRegions = 3,
    IReadOnlyList<int>? BandCounts = null,
    int MaxRegionOperators = 48,
    long BudgetMilliseconds = 30_000,
    bool MinimizeHead = false)
{
    /// <summary>The band counts tried when <see cref="BandCounts"/> is not given.</summary>
    public static IReadOnlyList<int> DefaultBandCounts { get; } = [2, 3, 4, 6, 8, 12, 16, 24, 28, 32, 56];
}

/// <summary>One tiled region: its boundary tensors, band count, operators and MACs.</summary>
public sealed record TiledRegion(string Input, string Output, int Bands, int Operators, long MacsBefore, long MacsAfter);

/// <summary>What the search did: the regions in the order they were tiled, TFLM's predicted head
/// (bytes) and the graph's MACs before and after.</summary>
public sealed record TilingResult(Graph Graph, IReadOnlyList<TiledRegion> Regions, long ArenaBefore, long ArenaAfter, long MacsBefore, long MacsAfter, int Evaluated)
{
    public double MacOverhead => MacsBefore == 0 ? 0 : (double)(MacsAfter - MacsBefore) / MacsBefore;
}

/// <summary>Chooses regions and band counts jointly by the predicted TFLM arena (head plus
/// persistent section: <c>kTensorArenaSize</c>, or the head alone) against extra MACs.</summary>
/// <remarks>
/// 1. The cut points of the graph are the steps of its stored order after which exactly one
///    activation is alive (an NHWC batch-1 tensor): a region runs from one cut tensor to a later
///    one, so exactly one tensor enters it and one leaves it, whole, and the next region's bands
///    read the previous region's whole output. Because only that tensor crosses a cut, what one
///    region needs does not depend on how the others are cut.
/// 2. Each region (at most <see cref="TilingOptions.MaxRegionOperators"/> operators, holding a
///    window operator, whose untiled steps hold more than its input and output together, the least
///    any tiling of it needs) is tiled alone with each band count, smallest first, while its extra
///    MACs stay within the cap, and measured (<see cref="RegionCandidate"/>): its peak, its extra
///    MACs and what its band operators add to TFLM's persistent section. Regions around the
///    fullest steps are measured first, so a short budget still sees them.
/// 3. <see cref="RegionChoice"/> combines the candidates into plans of several regions within
///    the MAC cap and <see cref="TilingOptions.MaxRegions"/>.
/// 4. The plans are tiled and their real objective predicted (the whole arena plan and the TFLM
///    arena model), best predicted first; the lowest wins if it is below the untiled graph's.
/// The objective is the whole arena, not the head: every band operator adds its op data (per-channel
/// quantization arrays included) to TFLM's persistent section, so many bands can lower the head and
/// still make kTensorArenaSize larger (vww_96_int8 in 24 bands: head 73,728 -> 41,936 B, arena
/// 103,392 -> 114,976 B).
/// </remarks>
public static class TilingSearch
{
    /// <summary>Share of the budget spent measuring candidates; the rest measures plans.</summary>
    private const double MeasureShare = 0.6;

    /// <summary>Share of the budget after which no more plans are combined.</summary>
    private const double PlanShare = 0.7;

    /// <summary>Most plans whose real objective is predicted (each a whole arena plan).</summary>
    private const int MaxPlansTried = 24;

    /// <param name="progress">Told after each candidate region and each plan is measured (long on
    /// large CNNs: MobileNetV2 224 measures about 2,400 candidate regions), e.g. for the CLI's
    /// progress line.</param>
    public static TilingResult Run(Graph graph, TilingOptions options, CancellationToken cancellation = default, Action<string>? progress = null) =>
        Run(graph, options, options.MinimizeHead ? PredictHead : PredictArena, cancellation, progress);

    /// <param name="graph">The main graph in execution order (stored order, no <c>@order</c>).</param>
    /// <param name="arena">Predicted TFLM arena (or head, with <see cref="TilingOptions.MinimizeHead"/>)
    /// in bytes of a graph run in stored order.</param>
    public static TilingResult Run(Graph graph, TilingOptions options, Func<Graph, long> arena, CancellationToken cancellation = default,
        Action<string>? progress = null)
    {
        long macsBefore = MacCounter.Of(graph);
        long extraMacCap = (long)Math.Floor(macsBefore * options.MaxMacOverhead);
        long arenaBefore = arena(graph);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool After(double share) => options.BudgetMilliseconds > 0 && clock.ElapsedMilliseconds > options.BudgetMilliseconds * share;
        var none = new TilingResult(graph, [], arenaBefore, arenaBefore, macsBefore, macsBefore, 0);

        var steps = StepBytes(graph);
        var cuts = CutPoints(graph);
        var candidates = Candidates(graph, cuts, steps, options, extraMacCap, () => After(MeasureShare), cancellation,
            n => progress?.Invoke($"{n} candidate regions measured"));
        var plans = RegionChoice.Plans(steps, cuts.Select(c => c.Step).ToArray(), candidates, extraMacCap, options.MaxRegions, !options.MinimizeHead,
            () => After(PlanShare));

        (Graph Graph, long Arena, IReadOnlyList<RegionCandidate> Regions)? best = null;
        int tried = 0;
        foreach (var plan in plans)
        {
            cancellation.ThrowIfCancellationRequested();
            if (tried >= MaxPlansTried || After(1)) break;
            var tiled = Apply(graph, plan.Regions);
            long a = arena(tiled);
            tried++;
            if (best is null || a < best.Value.Arena) best = (tiled, a, plan.Regions);
            progress?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{candidates.Count} candidate regions, {tried} plans tried, best arena {best.Value.Arena:N0} B (untiled {arenaBefore:N0} B)"));
        }
        if (best is null || best.Value.Arena >= arenaBefore) return none with { Evaluated = candidates.Count + tried };
        var regions = best.Value.Regions.Select(c =>
        {
            long macs = c.Region.Operators.Sum(i => MacCounter.Of(graph, graph.Operators[i]));
            return new TiledRegion(c.Region.Input, c.Region.Output, c.Bands, c.Region.Operators.Count, macs, macs + c.ExtraMacs);
        }).ToArray();
        return new TilingResult(best.Value.Graph, regions, arenaBefore, best.Value.Arena, macsBefore, MacCounter.Of(best.Value.Graph), candidates.Count + tried);
    }

    /// <summary>Every region between two cuts tiled alone with each band count and measured (stage 2).</summary>
    private static List<RegionCandidate> Candidates(Graph graph, IReadOnlyList<(int Step, string Tensor)> cuts, long[] steps, TilingOptions options,
        long extraMacCap, Func<bool> outOfTime, CancellationToken cancellation, Action<int> measured)
    {
        long macsBefore = MacCounter.Of(graph);
        long tailBefore = TailBytes(graph);
        var counts = options.BandCounts ?? TilingOptions.DefaultBandCounts;
        var regions = new List<(int From, int To, TilingRegion Region, long Floor)>();
        for (int i = 0; i < cuts.Count; i++)
        {
            for (int j = i + 1; j < cuts.Count && cuts[j].Step - cuts[i].Step <= options.MaxRegionOperators; j++)
            {
                var (a, x) = cuts[i];
                var (b, y) = cuts[j];
                if (TilingRegion.Between(graph, x, y, out _) is not { } region) continue;
                // The region must be exactly the steps between its cuts (nothing else runs there).
                if (region.Operators.Count != b - a || !region.Rules.Any(r => r.Kind == BandKind.Window)) continue;
                long covered = steps.Skip(a + 1).Take(b - a).Max();
                // Input and output are whole while the region runs: no band count goes below them.
                long floor = (graph.Tensor(x).Type.ByteSize ?? 0) + (graph.Tensor(y).Type.ByteSize ?? 0);
                if (covered <= floor) continue;
                regions.Add((i, j, region, floor));
            }
        }
        var result = new List<RegionCandidate>();
        // Regions with the smallest boundary tensors can go lowest: measured first, so a short
        // budget still sees them.
        foreach (var (from, to, region, _) in regions.OrderBy(r => r.Floor).ThenBy(r => r.To - r.From))
        {
            long rows = graph.Tensor(region.Output).Type.Shape.Dims[1].Value!.Value;
            int first = cuts[from].Step + 1;
            long lowest = long.MaxValue;
            int notLower = 0;
            foreach (var k in counts)
            {
                cancellation.ThrowIfCancellationRequested();
                // More bands cost MACs and tail bytes: stop once two more band counts did not lower the peak.
                if (k > rows || notLower >= 2 || outOfTime()) break;
                Graph tiled;
                try { tiled = RowBandTiler.Tile(graph, region, k); }
                catch (ArgumentException) { continue; }
                long extraMacs = MacCounter.Of(tiled) - macsBefore;
                if (extraMacs > extraMacCap) break;
                var tiledSteps = StepBytes(tiled);
                int last = cuts[to].Step + tiled.Operators.Count - graph.Operators.Count;
                long peak = tiledSteps.Skip(first).Take(last - first + 1).Max();
                notLower = peak < lowest ? 0 : notLower + 1;
                lowest = Math.Min(lowest, peak);
                result.Add(new RegionCandidate(from, to, region, k, peak, extraMacs, TailBytes(tiled) - tailBefore));
                measured(result.Count);
            }
            if (outOfTime()) break;
        }
        return result;
    }

    /// <summary>The graph with every region of <paramref name="regions"/> (left to right, disjoint)
    /// tiled; the rightmost first, so the operator indices of the others stay valid.</summary>
    private static Graph Apply(Graph graph, IReadOnlyList<RegionCandidate> regions)
    {
        var tiled = graph;
        for (int r = regions.Count - 1; r >= 0; r--) tiled = RowBandTiler.Tile(tiled, regions[r].Region, regions[r].Bands, r);
        return tiled;
    }

    /// <summary>Bytes of TFLM's persistent section for <paramref name="graph"/>; it does not depend on
    /// the plan, so band operators add to it the same alone or with other regions.</summary>
    private static long TailBytes(Graph graph) =>
        TflmArenaModel.Compute(new Model(EquatableArray.Create(graph))).TailBytes ?? 0;

    /// <summary>Bytes alive at each step of the stored order: the reuse-aware buffers (views, in-place
    /// and concatenation slices share bytes) that live at that step.</summary>
    public static long[] StepBytes(Graph graph)
    {
        var problem = MemoryProblem.Create(graph);
        var order = ExecutionOrder.Stored(graph);
        var liveness = Liveness.Compute(problem, order);
        var bytes = new long[order.Length];
        foreach (var b in ReuseAnalysis.Compute(problem, order, liveness, ReuseKinds.All).Buffers)
            for (int s = Math.Max(b.First, 0); s <= b.Last && s < bytes.Length; s++) bytes[s] += b.Size;
        return bytes;
    }

    /// <summary>TFLM's arena in bytes (head plus persistent section) for <paramref name="graph"/> run in stored order with the
    /// offline plan GraphDsl would write (greedy-by-size placement, every reuse kind, the
    /// <see cref="TflmPlanSelection"/> that keeps TFLM's head at most its own plan), by
    /// <see cref="GraphDsl.Tflm.TflmArenaModel"/>.</summary>
    /// A graph whose persistent section is not modelled gets long.MaxValue, so no tiling is chosen
    /// whose effect on kTensorArenaSize cannot be predicted.
    public static long PredictArena(Graph graph)
    {
        var plan = GreedyPlan(graph);
        return plan.Tflm is { } tflm ? tflm.Predicted.TotalBytes ?? long.MaxValue : plan.ArenaBytes;
    }

    /// <summary>TFLM's head (planned section, <c>GetNonPersistentUsedBytes()</c>) in bytes for
    /// <paramref name="graph"/> with the same plan as <see cref="PredictArena"/>; the objective
    /// of <c>tile{minimize-head=true}</c>, which ignores what band operators add to the
    /// persistent section.</summary>
    public static long PredictHead(Graph graph)
    {
        var plan = GreedyPlan(graph);
        return plan.Tflm?.Predicted.HeadBytes ?? plan.ArenaBytes;
    }

    private static ArenaPlan GreedyPlan(Graph graph) =>
        ArenaPlanner.Plan(MemoryProblem.Create(graph), ExecutionOrder.Stored(graph), new ArenaPlanOptions(Strategy: "greedy-by-size"),
            ArenaStrategies.Create("greedy-by-size", new ArenaStrategyOptions(0))!);

    /// <summary>Steps of the stored order after which exactly one activation is alive, with that
    /// tensor (an NHWC batch-1 one); step -1 is before the first operator (a single graph input).</summary>
    public static IReadOnlyList<(int Step, string Tensor)> CutPoints(Graph graph)
    {
        int n = graph.Operators.Count;
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in graph.Inputs) first[input] = -1;
        for (int i = 0; i < n; i++)
        {
            foreach (var t in graph.Operators[i].PresentInputs) last[t] = i;
            foreach (var t in graph.Operators[i].PresentOutputs) first.TryAdd(t, i);
        }
        foreach (var o in graph.Outputs) last[o] = n;
        var alive = new List<(int Step, string Tensor)>();
        var activations = first.Keys.Where(t => graph.FindTensor(t) is { IsActivation: true } && last.ContainsKey(t)).ToArray();
        var events = new int[n + 2];
        foreach (var t in activations)
        {
            // Alive after step s when first <= s < last.
            events[first[t] + 1]++;
            events[last[t] + 1]--;
        }
        var candidates = activations.GroupBy(t => first[t]).ToDictionary(g => g.Key, g => g.ToArray());
        int live = 0;
        for (int s = -1; s < n; s++)
        {
            live += events[s + 1];
            if (live != 1) continue;
            // The one alive tensor was produced at or before s and is read after s.
            var tensor = activations.FirstOrDefault(t => first[t] <= s && last[t] > s);
            if (tensor is not null && BandRules.IsNhwcBatch1(graph.Tensor(tensor).Type.Shape)) alive.Add((s, tensor));
        }
        return alive;
    }
}
