using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Tiling;

namespace GraphDsl.Passes.Tile;

/// <summary>The <c>tile</c> pass: finds the regions of the main graph whose row-band execution
/// lowers TFLM's predicted arena (TFLite, NHWC) or GraphDsl's planned arena (ONNX, NCHW; see
/// <see cref="BandLayout.For"/>) within the MAC cap (<see cref="TilingSearch"/>) and rewrites them
/// (<see cref="RowBandTiler"/>); writes <c>@tiling(...)</c> on the graph and <c>@tile(...)</c> on
/// every operator it adds. The graph comes out in execution order (the current <c>@order</c>
/// applied, the bands one after another in the region's place), with <c>@order</c> equal to that
/// stored order and no annotation computed for the old order. When no region pays, the model is returned unchanged.</summary>
public sealed class TilePass : IGraphPass
{
    private static readonly TilingOptions Defaults = new();

    public PassDescriptor Descriptor { get; } = new(
        "tile",
        "Run the memory-critical stages of a CNN in row bands (halo recomputed) when that lowers TFLM's arena (kTensorArenaSize; ONNX: GraphDsl's arena) within a MAC cap",
        PassKind.Transform,
        Requires: [],
        // The tiled graph's stored order is its execution order.
        Provides: ["tiling", "order"],
        Options:
        [
            PassOption.Flag("enabled", true, "Tile at all; false returns the model unchanged."),
            PassOption.Int("max-mac-overhead", (long)Math.Round(Defaults.MaxMacOverhead * 100), "Most extra multiply-accumulates, in whole percent of the untiled graph's (20 = 20 %).") with { Rule = OptionRules.Between(0, 1000) },
            PassOption.Flag("minimize-head", false, "Minimize TFLM's head (planned section) instead of its whole arena (head + persistent section)."),
            PassOption.Int("max-regions", Defaults.MaxRegions, "Most regions tiled.") with { Rule = OptionRules.AtLeast(1) },
            PassOption.Int("max-region-ops", Defaults.MaxRegionOperators, "Most operators in one region (ONNX: twice this, as its batch normalization, scale, shift and activation are separate operators).") with { Rule = OptionRules.AtLeast(1) },
            PassOption.Int("budget-ms", Defaults.BudgetMilliseconds, "Search time in milliseconds after which the best tiling found so far is kept (0: no limit).") with { Rule = OptionRules.AtLeast(0) },
        ],
        Reports: []);

    public PassResult Run(Model model, PassContext context)
    {
        if (!context.Options.Get<bool>("enabled")) return PassResult.Unchanged(model);
        var graph = model.Main;
        if (context.GetAnalysis<MemoryProblem>(model) is null) return PassResult.Unchanged(model);
        var inOrder = InExecutionOrder(graph);
        var layout = BandLayout.For(model);
        bool minimizeHead = context.Options.Get<bool>("minimize-head");
        var options = new TilingOptions(context.Options.Get<long>("max-mac-overhead") / 100.0, (int)context.Options.Get<long>("max-regions"),
            MaxRegionOperators: (int)Math.Min(int.MaxValue, context.Options.Get<long>("max-region-ops") * layout.RegionOperatorFactor), BudgetMilliseconds: context.Options.Get<long>("budget-ms"),
            MinimizeHead: minimizeHead)
        { Layout = layout };
        void Progress(string text) => context.Progress.Report(new PassProgress("tile: " + text));
        // ONNX models do not run on TFLM: their figure is GraphDsl's own arena plan.
        bool onnx = layout != BandLayout.Nhwc;
        Func<Graph, long> objective = onnx ? PlannedArena.Of : minimizeHead ? TilingSearch.PredictHead : TilingSearch.PredictArena;
        var result = TilingSearch.Run(inOrder, options, objective, context.Cancellation, Progress);
        if (result.Regions.Count > 0 && Reordered(result.Graph, objective, result.ArenaAfter, context.Cancellation) is var (graphReordered, after))
        {
            Progress($"re-ordered the tiled graph: {result.ArenaAfter:N0} -> {after:N0} bytes");
            result = result with { Graph = graphReordered, ArenaAfter = after };
        }
        // The summary always gives TFLM's whole arena, whichever figure the search minimized.
        if (!onnx && minimizeHead && result.Regions.Count > 0)
            result = result with { ArenaBefore = TilingSearch.PredictArena(inOrder), ArenaAfter = TilingSearch.PredictArena(result.Graph) };
        if (result.Regions.Count == 0) return PassResult.Unchanged(model);
        context.Progress.Report(new PassProgress($"tile: {result.Regions.Count} region(s), {(onnx ? "GraphDsl" : "TFLM")} arena {result.ArenaBefore:N0} -> {result.ArenaAfter:N0} bytes, {result.Evaluated} candidates"));
        var summary = new TilingSummary(result.ArenaBefore, result.ArenaAfter, result.MacsBefore, result.MacsAfter, options.MaxMacOverhead,
            result.Regions.Select(r => new TilingRegionSummary(r.Input, r.Output, r.Bands, r.Operators, r.MacsBefore, r.MacsAfter)).ToArray())
        { Objective = onnx ? TilingSummary.GraphDslArena : TilingSummary.TflmArena };
        // The stored order of the tiled graph is its execution order; @order says so to the passes
        // after it (lower writes only a graph whose order is stated).
        var ordered = ExecutionOrderAnnotation.Write(result.Graph, ExecutionOrder.Stored(result.Graph));
        return PassResult.From(model, model.WithMain(TilingAnnotation.Write(ordered, summary)));
    }

    /// <summary>Time the minimum-peak order search gets on the tiled graph (<see cref="Reordered"/>).</summary>
    public const int ReorderBudgetMilliseconds = 2000;

    /// <summary>The tiled graph in the order the minimum-peak search finds for it, with its
    /// objective, when that objective is lower than <paramref name="current"/>; else null. The order
    /// pass before tiling ordered the untiled graph, and bands run one after another in their
    /// region's place, which is not always best for the operators around them (person_detect: TFLM
    /// head 38,544 -> 36,864 B). The search counts tensors apart (no views), so its order is kept
    /// only when the objective itself, with views and in-place joins, is lower.</summary>
    public static (Graph Graph, long Objective)? Reordered(Graph tiled, Func<Graph, long> objective, long current, CancellationToken cancellation)
    {
        var search = Scheduling.OrderSearch.Run(MemoryProblem.Create(tiled), new Scheduling.OrderSearchOptions
        {
            TimeBudget = TimeSpan.FromMilliseconds(ReorderBudgetMilliseconds),
            Cancellation = cancellation,
        });
        if (search.Outcome == Scheduling.OrderSearchOutcome.Cyclic || search.Order.Select((op, step) => op == step).All(same => same)) return null;
        var candidate = InExecutionOrder(ExecutionOrderAnnotation.Write(tiled, search.Order));
        long value = objective(candidate);
        return value < current ? (candidate, value) : null;
    }

    /// <summary>The graph with its operators stored in the current execution order and without
    /// the annotations computed for an order (they do not survive the rewrite).</summary>
    public static Graph InExecutionOrder(Graph graph)
    {
        var order = ExecutionOrder.Current(graph);
        var clean = ExecutionOrderAnnotation.WithoutOrderDependent(graph);
        var operators = order.Select(i => clean.Operators[i] with { Annotations = clean.Operators[i].Annotations.Without(WellKnownAnnotations.Order) });
        return clean with { Operators = operators.ToEquatableArray() };
    }
}
