using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning;
using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>What the search may do.</summary>
/// <param name="MaxMacOverhead">Most extra multiply-accumulates, as a share of the untiled graph's
/// (<see cref="MacCounter"/>); 0.2 = 20 %.</param>
/// <param name="MaxRegions">Most regions tiled one after another.</param>
/// <param name="BandCounts">Band counts tried for each region (those above its output rows are skipped).</param>
/// <param name="MaxRegionOperators">Most operators in one region.</param>
/// <param name="BudgetMilliseconds">Time after which no new candidate is tried; the best tiling found
/// so far is kept (0: no limit). Each candidate costs an arena plan of the whole graph.</param>
public sealed record TilingOptions(
    double MaxMacOverhead = 0.20,
    int MaxRegions = 3,
    IReadOnlyList<int>? BandCounts = null,
    int MaxRegionOperators = 48,
    long BudgetMilliseconds = 30_000)
{
    /// <summary>The layout of the graph's tensors and operators: TFLite's NHWC unless set
    /// (<see cref="BandLayout.For"/> gives a model's).</summary>
    public BandLayout Layout { get; init; } = BandLayout.Nhwc;

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

/// <summary>Chooses regions and band counts by the predicted TFLM arena (head plus persistent
/// section: <c>kTensorArenaSize</c>) against extra MACs.</summary>
/// <remarks>
/// Greedy, one region per round: 1. the cut points of the current graph are the steps of its
/// stored order after which exactly one activation is alive (an NHWC batch-1 tensor): a region
/// runs from one cut tensor to a later one, so exactly one tensor enters and one leaves it;
/// 2. the step where the arena is fullest (buffers of the reuse-aware plan) must lie inside the
/// region, as tiling lowers memory only inside it; 3. each candidate region is tiled with each
/// band count, smallest first, while the graph's MACs stay within the cap, and its head is
/// predicted (<see cref="PredictArena"/>); 4. the smallest arena wins (fewer MACs on ties) if it
/// is below the current one; the next round starts from the tiled graph.
/// The objective is the whole arena, not the head: every band operator adds its op data (per-channel
/// quantization arrays included) to TFLM's persistent section, so many bands can lower the head and
/// still make kTensorArenaSize larger (vww_96_int8 in 24 bands: head 73,728 -> 41,936 B, arena
/// 103,392 -> 114,976 B).
/// </remarks>
public static class TilingSearch
{
    /// <param name="progress">Told after each candidate tiling is predicted (long on large CNNs:
    /// MobileNetV2 224 tries about 100 candidates), e.g. for the CLI's progress line.</param>
    public static TilingResult Run(Graph graph, TilingOptions options, CancellationToken cancellation = default, Action<string>? progress = null) =>
        Run(graph, options, PredictArena, cancellation, progress);

    /// <param name="graph">The main graph in execution order (stored order, no <c>@order</c>).</param>
    /// <param name="arena">Predicted TFLM arena in bytes of a graph run in stored order.</param>
    public static TilingResult Run(Graph graph, TilingOptions options, Func<Graph, long> arena, CancellationToken cancellation = default,
        Action<string>? progress = null)
    {
        long macsBefore = MacCounter.Of(graph);
        long macCap = macsBefore + (long)Math.Floor(macsBefore * options.MaxMacOverhead);
        long arenaBefore = arena(graph);
        var current = graph;
        long currentArena = arenaBefore;
        var regions = new List<TiledRegion>();
        int evaluated = 0;
        var counts = options.BandCounts ?? TilingOptions.DefaultBandCounts;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool OutOfTime() => options.BudgetMilliseconds > 0 && clock.ElapsedMilliseconds > options.BudgetMilliseconds;
        for (int round = 0; round < options.MaxRegions && !OutOfTime(); round++)
        {
            (Graph Graph, long Arena, long Macs, TiledRegion Region)? best = null;
            int peak = PeakStep(current);
            var cuts = CutPoints(current);
            foreach (var (a, x) in cuts)
            {
                if (a >= peak) break;
                foreach (var (b, y) in cuts)
                {
                    if (b <= a || b < peak) continue;
                    if (b - a > options.MaxRegionOperators) break;
                    var region = TilingRegion.Between(current, x, y, options.Layout, out _);
                    if (region is null) continue;
                    long rows = options.Layout.Rows(current.Tensor(y).Type.Shape);
                    long regionMacs = region.Operators.Sum(i => MacCounter.Of(current, current.Operators[i]));
                    foreach (var k in counts)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        if (k > rows || OutOfTime()) break;
                        Graph tiled;
                        try { tiled = RowBandTiler.Tile(current, region, k, regions.Count); }
                        catch (ArgumentException) { continue; }
                        long macs = MacCounter.Of(tiled);
                        if (macs > macCap) break;
                        long h = arena(tiled);
                        evaluated++;
                        progress?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"region {regions.Count + 1}: {evaluated} candidates tried, best arena {Math.Min(h, best?.Arena ?? h):N0} B (untiled {arenaBefore:N0} B)"));
                        if (best is null || h < best.Value.Arena || (h == best.Value.Arena && macs < best.Value.Macs))
                            best = (tiled, h, macs, new TiledRegion(x, y, k, region.Operators.Count, regionMacs, regionMacs + macs - MacCounter.Of(current)));
                    }
                }
            }
            if (best is null || best.Value.Arena >= currentArena) break;
            (current, currentArena) = (best.Value.Graph, best.Value.Arena);
            regions.Add(best.Value.Region);
        }
        return new TilingResult(current, regions, arenaBefore, currentArena, macsBefore, MacCounter.Of(current), evaluated);
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

    internal static ArenaPlan GreedyPlan(Graph graph) =>
        ArenaPlanner.Plan(MemoryProblem.Create(graph), ExecutionOrder.Stored(graph), new ArenaPlanOptions(Strategy: "greedy-by-size"),
            ArenaStrategies.Create("greedy-by-size", new ArenaStrategyOptions(0))!);

    /// <summary>Steps of the stored order after which exactly one activation is alive, with that
    /// tensor (a batch-1 rank-4 one); step -1 is before the first operator (a single graph input).</summary>
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

    /// <summary>The step at which the reuse-aware plan's buffers hold the most bytes.</summary>
    private static int PeakStep(Graph graph)
    {
        var problem = MemoryProblem.Create(graph);
        var order = ExecutionOrder.Stored(graph);
        var liveness = Liveness.Compute(problem, order);
        var buffers = ReuseAnalysis.Compute(problem, order, liveness, ReuseKinds.All).Buffers;
        int best = 0;
        long bestBytes = -1;
        for (int s = 0; s < order.Length; s++)
        {
            long bytes = buffers.Where(b => b.First <= s && s <= b.Last).Sum(b => b.Size);
            if (bytes > bestBytes) (best, bestBytes) = (s, bytes);
        }
        return best;
    }
}
