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
/// so far is kept (0: no limit). Each candidate region costs an arena plan of its own operators in
/// bands, each plan an arena plan of the whole graph.</param>
/// <param name="MinimizeHead">Minimize TFLM's head (planned section) instead of its whole arena.</param>
public sealed record TilingOptions(
    double MaxMacOverhead = 0.20,
    int MaxRegions = 3,
    IReadOnlyList<int>? BandCounts = null,
    int MaxRegionOperators = 48,
    long BudgetMilliseconds = 30_000,
    bool MinimizeHead = false)
{
    /// <summary>The layout of the graph's tensors and operators: TFLite's NHWC unless set
    /// (<see cref="BandLayout.For"/> gives a model's).</summary>
    public BandLayout Layout { get; init; } = BandLayout.Nhwc;

    /// <summary>The band counts tried when <see cref="BandCounts"/> is not given.</summary>
    public static IReadOnlyList<int> DefaultBandCounts { get; } = [2, 3, 4, 6, 8, 12, 16, 24, 28, 32, 56];
}

/// <summary>One tiled region: its boundary tensors, band count, operators and MACs.</summary>
public sealed record TiledRegion(string Input, string Output, int Bands, int Operators, long MacsBefore, long MacsAfter);

/// <summary>What the search did: the regions in stored order of the tiled graph's plan (joint
/// regions left to right, then those added one by one), the objective before and after (TFLM's
/// predicted arena or head, bytes) and the graph's MACs before and after.</summary>
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
///    window operator, whose untiled stretches need more than its input and output together, which
///    stay whole while it runs) is tiled with each band count, smallest first, while its extra MACs
///    stay within the cap (and until two more bands in a row did not lower its head), and measured
///    as a graph of its own operators (<see cref="RegionCandidate"/>): TFLM's head while it runs,
///    its extra MACs and what its band operators add to TFLM's persistent section. Short regions are
///    measured first: cheap, and what plans combine.
/// 3. <see cref="RegionChoice"/> combines the candidates into plans of several regions within
///    the MAC cap and <see cref="TilingOptions.MaxRegions"/>.
/// 4. The plans are tiled and their real objective predicted (the whole arena plan and the TFLM
///    arena model), best predicted first; the lowest wins if it is below the untiled graph's.
/// 5. From the untiled graph and from the best plan, regions are added one at a time while one
///    lowers the real objective (<see cref="Greedy"/>), and the better of the two is kept: the
///    joint choice cannot see what the placement of the whole graph gains.
/// Budget: stage 2 stops at half of <see cref="TilingOptions.BudgetMilliseconds"/>, stage 4 at 80 %,
/// stage 5 at the end; each stops between candidates, so one candidate may run past it.
/// The objective is the whole arena, not the head: every band operator adds its op data (per-channel
/// quantization arrays included) to TFLM's persistent section, so many bands can lower the head and
/// still make kTensorArenaSize larger (vww_96_int8 in 24 bands: head 73,728 -> 41,936 B, arena
/// 103,392 -> 114,976 B).
/// </remarks>
public static class TilingSearch
{
    /// <summary>Share of the budget spent measuring candidates; the rest measures plans.</summary>
    private const double MeasureShare = 0.5;

    /// <summary>Share of the budget after which no more plans are combined.</summary>
    private const double PlanShare = 0.65;

    /// <summary>Share of the budget after which no more plans are tried; the rest adds regions one by one.</summary>
    private const double JointShare = 0.8;

    /// <summary>Most plans whose real objective is predicted (each a whole arena plan).</summary>
    private const int MaxPlansTried = 24;

    /// <param name="progress">Told after each candidate region and each plan is measured (long on
    /// large CNNs: MobileNetV2 224 measures about 2,000 candidate regions, about 15 s), e.g. for the CLI's
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
        long macCap = macsBefore + (long)Math.Floor(macsBefore * options.MaxMacOverhead);
        long arenaBefore = arena(graph);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool After(double share) => options.BudgetMilliseconds > 0 && clock.ElapsedMilliseconds > options.BudgetMilliseconds * share;
        var joint = Joint(graph, options, arena, macCap - macsBefore, After, cancellation, progress);
        var untiled = new TilingResult(graph, [], arenaBefore, arenaBefore, macsBefore, macsBefore, joint?.Evaluated ?? 0);
        var alone = Greedy(untiled, options, arena, macCap, () => After(1), cancellation, progress);
        if (joint is not { } j || j.Arena >= arenaBefore) return alone;
        // Regions added one by one from the untiled graph can beat the joint plan where the
        // placement of the whole graph gains what regions measured alone do not show (vww_96_int8).
        var fromJoint = Greedy(new TilingResult(j.Graph, Summaries(graph, j.Regions), arenaBefore, j.Arena, macsBefore, MacCounter.Of(j.Graph), alone.Evaluated),
            options, arena, macCap, () => After(1), cancellation, progress);
        return alone.ArenaAfter < fromJoint.ArenaAfter || (alone.ArenaAfter == fromJoint.ArenaAfter && alone.MacsAfter < fromJoint.MacsAfter)
            ? alone with { Evaluated = fromJoint.Evaluated }
            : fromJoint;
    }

    /// <summary>Stages 1-4: the best plan of several regions chosen together, by its real predicted
    /// objective, or null when no plan was tried.</summary>
    private static (Graph Graph, long Arena, IReadOnlyList<RegionCandidate> Regions, int Evaluated)? Joint(Graph graph, TilingOptions options,
        Func<Graph, long> arena, long extraMacCap, Func<double, bool> after, CancellationToken cancellation, Action<string>? progress)
    {
        var cuts = CutPoints(graph);
        if (cuts.Count < 2) return null;
        if (UntiledBytes(graph, cuts, () => after(MeasureShare)) is not var (gaps, fixedBytes)) return null;
        var candidates = Candidates(graph, cuts, gaps, options, extraMacCap, () => after(MeasureShare), cancellation,
            n => progress?.Invoke($"{n} candidate regions measured"));
        // TFLM's persistent section counts only where the model runs on TFLM (not for ONNX's NCHW).
        bool countTail = !options.MinimizeHead && options.Layout == BandLayout.Nhwc;
        var plans = RegionChoice.Plans(gaps, fixedBytes, candidates, extraMacCap, options.MaxRegions, countTail, () => after(PlanShare));
        (Graph Graph, long Arena, IReadOnlyList<RegionCandidate> Regions, int Evaluated)? best = null;
        int tried = 0;
        foreach (var plan in plans)
        {
            cancellation.ThrowIfCancellationRequested();
            if (tried >= MaxPlansTried || after(JointShare)) break;
            var tiled = Apply(graph, plan.Regions);
            long a = arena(tiled);
            tried++;
            if (best is null || a < best.Value.Arena) best = (tiled, a, plan.Regions, 0);
            progress?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{candidates.Count} candidate regions, {tried} plans tried, best arena {best.Value.Arena:N0} B"));
        }
        return best is { } b ? b with { Evaluated = candidates.Count + tried } : null;
    }

    /// <summary>What the summary says of each region of a plan (MACs of the region before and after).</summary>
    private static TiledRegion[] Summaries(Graph graph, IReadOnlyList<RegionCandidate> regions) => regions.Select(c =>
    {
        long macs = c.Region.Operators.Sum(i => MacCounter.Of(graph, graph.Operators[i]));
        return new TiledRegion(c.Region.Input, c.Region.Output, c.Bands, c.Region.Operators.Count, macs, macs + c.ExtraMacs);
    }).ToArray();

    /// <summary>Stage 5: one more region per round, each candidate judged by the real predicted
    /// objective of the whole graph, while that lowers it. The joint choice predicts a plan from its
    /// regions measured alone, which misses what the placement of the whole graph gains (TFLM can
    /// reuse the rows of a band input once the last band has sliced it; vww_96_int8's first
    /// depthwise + 1x1 pair in 2 bands: head 55,296 -> 46,080 B, alone it measures 56,480 B).</summary>
    /// <remarks>Regions are cut points of the current graph around the step where the reuse-aware
    /// buffers hold the most bytes (tiling lowers memory only inside a region); band counts smallest
    /// first while the graph's MACs stay within the cap; the smallest objective wins if it is below
    /// the current one (fewer MACs on ties).</remarks>
    private static TilingResult Greedy(TilingResult start, TilingOptions options, Func<Graph, long> arena, long macCap, Func<bool> outOfTime,
        CancellationToken cancellation, Action<string>? progress)
    {
        var current = start.Graph;
        long currentArena = start.ArenaAfter;
        var regions = start.Regions.ToList();
        int evaluated = start.Evaluated;
        var counts = options.BandCounts ?? TilingOptions.DefaultBandCounts;
        while (regions.Count < options.MaxRegions && !outOfTime())
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
                        if (k > rows || outOfTime()) break;
                        Graph tiled;
                        try { tiled = RowBandTiler.Tile(current, region, k, regions.Count); }
                        catch (ArgumentException) { continue; }
                        long macs = MacCounter.Of(tiled);
                        if (macs > macCap) break;
                        long h = arena(tiled);
                        evaluated++;
                        progress?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"region {regions.Count + 1}: {evaluated} candidates tried, best arena {Math.Min(h, best?.Arena ?? h):N0} B (untiled {start.ArenaBefore:N0} B)"));
                        if (best is null || h < best.Value.Arena || (h == best.Value.Arena && macs < best.Value.Macs))
                            best = (tiled, h, macs, new TiledRegion(x, y, k, region.Operators.Count, regionMacs, regionMacs + macs - MacCounter.Of(current)));
                    }
                }
            }
            if (best is null || best.Value.Arena >= currentArena) break;
            (current, currentArena) = (best.Value.Graph, best.Value.Arena);
            regions.Add(best.Value.Region);
        }
        return start with { Graph = current, Regions = regions, ArenaAfter = currentArena, MacsAfter = MacCounter.Of(current), Evaluated = evaluated };
    }

    /// <summary>Every region between two cuts tiled alone with each band count and measured on its
    /// own operators (stage 2).</summary>
    private static List<RegionCandidate> Candidates(Graph graph, IReadOnlyList<(int Step, string Tensor)> cuts, long[] gaps, TilingOptions options,
        long extraMacCap, Func<bool> outOfTime, CancellationToken cancellation, Action<int> measured)
    {
        var counts = options.BandCounts ?? TilingOptions.DefaultBandCounts;
        var regions = new List<(int From, int To, TilingRegion Region, long Gain)>();
        for (int i = 0; i < cuts.Count && !outOfTime(); i++)
        {
            for (int j = i + 1; j < cuts.Count && cuts[j].Step - cuts[i].Step <= options.MaxRegionOperators; j++)
            {
                var (a, x) = cuts[i];
                var (b, y) = cuts[j];
                if (TilingRegion.Between(graph, x, y, options.Layout, out _) is not { } region) continue;
                // The region must be exactly the steps between its cuts (nothing else runs there).
                if (region.Operators.Count != b - a || !region.Rules.Any(r => r.Kind == BandKind.Window)) continue;
                // Input and output stay whole while the region runs: its bands cannot go below
                // them, so a region is worth measuring only where its untiled stretches need more.
                long floor = (graph.Tensor(x).Type.ByteSize ?? 0) + (graph.Tensor(y).Type.ByteSize ?? 0);
                long gain = gaps.Skip(i).Take(j - i).Max() - floor;
                if (gain > 0) regions.Add((i, j, region, gain));
            }
        }
        var result = new List<RegionCandidate>();
        // Short regions first (cheap to measure, and what a plan combines), the most they can save
        // first among equally long ones.
        foreach (var (from, to, whole, _) in regions.OrderBy(r => r.To - r.From).ThenByDescending(r => r.Gain))
        {
            if (outOfTime()) break;
            var alone = Segment(graph, cuts[from].Step + 1, cuts[to].Step, [whole.Input], [whole.Output]);
            var region = TilingRegion.Between(alone, whole.Input, whole.Output, options.Layout, out _)!;
            var (_, tailBefore) = Measure(alone);
            long macsBefore = MacCounter.Of(alone);
            long rows = options.Layout.Rows(alone.Tensor(region.Output).Type.Shape);
            long lowest = long.MaxValue;
            int notLower = 0;
            foreach (var k in counts)
            {
                cancellation.ThrowIfCancellationRequested();
                // More bands cost MACs and tail bytes: stop once two more band counts did not lower the peak.
                if (k > rows || notLower >= 2 || outOfTime()) break;
                Graph tiled;
                try { tiled = RowBandTiler.Tile(alone, region, k); }
                catch (ArgumentException) { continue; }
                long extraMacs = MacCounter.Of(tiled) - macsBefore;
                if (extraMacs > extraMacCap) break;
                var (peak, tail) = Measure(tiled);
                notLower = peak < lowest ? 0 : notLower + 1;
                lowest = Math.Min(lowest, peak);
                result.Add(new RegionCandidate(from, to, whole, k, peak, extraMacs, tail - tailBefore));
                measured(result.Count);
            }
        }
        return result;
    }

    /// <summary>TFLM's head (bytes) of each untiled stretch between two neighbouring cuts, and the
    /// largest of the stretches before the first cut and after the last, each measured alone; null
    /// when the time ran out first.</summary>
    private static (long[] Gaps, long Fixed)? UntiledBytes(Graph graph, IReadOnlyList<(int Step, string Tensor)> cuts, Func<bool> outOfTime)
    {
        var gaps = new long[cuts.Count - 1];
        for (int i = 0; i + 1 < cuts.Count; i++)
        {
            if (outOfTime()) return null;
            gaps[i] = Measure(Segment(graph, cuts[i].Step + 1, cuts[i + 1].Step, [cuts[i].Tensor], [cuts[i + 1].Tensor])).Head;
        }
        long before = cuts[0].Step < 0 ? 0 : Measure(Segment(graph, 0, cuts[0].Step, graph.Inputs, [cuts[0].Tensor])).Head;
        int last = cuts[^1].Step;
        long after = last >= graph.Operators.Count - 1 ? 0 : Measure(Segment(graph, last + 1, graph.Operators.Count - 1, [cuts[^1].Tensor], graph.Outputs)).Head;
        return (gaps, Math.Max(before, after));
    }

    /// <summary>Operators <paramref name="first"/>..<paramref name="last"/> of the stored order as a
    /// graph of their own that reads <paramref name="inputs"/> and writes <paramref name="outputs"/>:
    /// what a stretch between cuts needs does not depend on the rest of the graph.</summary>
    private static Graph Segment(Graph graph, int first, int last, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var operators = graph.Operators.Skip(first).Take(last - first + 1).ToArray();
        var ins = inputs.ToArray();
        var outs = outputs.ToArray();
        var used = new HashSet<string>(operators.SelectMany(o => o.PresentInputs.Concat(o.PresentOutputs)).Concat(ins).Concat(outs), StringComparer.Ordinal);
        return graph with
        {
            Operators = operators.ToEquatableArray(),
            Tensors = graph.Tensors.Where(t => used.Contains(t.Name)).ToEquatableArray(),
            Inputs = ins.ToEquatableArray(),
            Outputs = outs.ToEquatableArray(),
        };
    }

    /// <summary>TFLM's head and persistent section (bytes) of <paramref name="graph"/> with the plan
    /// <see cref="PredictArena"/> uses.</summary>
    private static (long Head, long Tail) Measure(Graph graph)
    {
        var plan = GreedyPlan(graph);
        return plan.Tflm is { } tflm ? (tflm.Predicted.HeadBytes, tflm.Predicted.TailBytes ?? 0) : (plan.ArenaBytes, 0);
    }

    /// <summary>The graph with every region of <paramref name="regions"/> (left to right, disjoint)
    /// tiled; the rightmost first, so the operator indices of the others stay valid.</summary>
    private static Graph Apply(Graph graph, IReadOnlyList<RegionCandidate> regions)
    {
        var tiled = graph;
        for (int r = regions.Count - 1; r >= 0; r--) tiled = RowBandTiler.Tile(tiled, regions[r].Region, regions[r].Bands, r);
        return tiled;
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
            if (tensor is not null && BandLayout.IsBatch1(graph.Tensor(tensor).Type.Shape)) alive.Add((s, tensor));
        }
        return alive;
    }

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

    /// <summary>The step at which the reuse-aware plan's buffers hold the most bytes.</summary>
    private static int PeakStep(Graph graph)
    {
        var bytes = StepBytes(graph);
        int best = 0;
        for (int s = 1; s < bytes.Length; s++)
            if (bytes[s] > bytes[best]) best = s;
        return best;
    }
}
