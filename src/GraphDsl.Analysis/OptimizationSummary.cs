using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;

namespace GraphDsl.Analysis;

/// <summary>Before and after of one optimization run: the model as stored, and as planned by the
/// pipeline. This is what <c>graphdsl optimize</c> prints and what <c>--json</c> writes.</summary>
/// <param name="Model">How the model is named to the user (a file name, or the embedded default).</param>
/// <param name="LargestOperatorBytes">Largest single-operator footprint: the largest inputs-plus-outputs
/// of one operator, which no order avoids (not the order search's proven bound, see
/// <see cref="ProvenLowerBoundBytes"/>; in-place reuse can place the arena below it).</param>
/// <param name="OrderProvenOptimal">True when the order search proved no order has a lower peak.</param>
/// <param name="SearchMs">Time the order search took, when it reported it.</param>
/// <param name="AssumedDims">Sizes the importer took for dynamic dimensions (<c>x dim 2 ('h') = 1</c>):
/// the figures hold for those sizes only.</param>
public sealed record OptimizationSummary(
    string Model,
    int Operators,
    int ActivationTensors,
    long LargestOperatorBytes,
    MemoryFigures Stored,
    MemoryFigures Optimized,
    bool? OrderProvenOptimal,
    double? SearchMs,
    IReadOnlyList<string>? AssumedDims = null)
{
    /// <summary>The <c>assumed_dims</c> attribute an importer put on the graph (dynamic dims it sized).</summary>
    public static IReadOnlyList<string> AssumedDimsOf(Graph graph) => Strings(graph, WellKnownAttributes.AssumedDims);

    /// <summary>The <c>set_dims</c> attribute an importer put on the graph (dynamic dims the user sized with --dim).</summary>
    public static IReadOnlyList<string> SetDimsOf(Graph graph) => Strings(graph, WellKnownAttributes.SetDims);

    private static IReadOnlyList<string> Strings(Graph graph, string attribute) =>
        graph.Attributes[attribute] is AttributeValue.List list
            ? list.Items.OfType<AttributeValue.Str>().Select(s => s.Value).ToArray()
            : [];

    /// <summary>Dynamic dimensions the user sized with <c>--dim</c>: the figures hold for these sizes.</summary>
    public IReadOnlyList<string> SetDims { get; init; } = [];

    /// <summary>Reads the figures from two planned copies of the main graph (the arena and order
    /// passes' results, through their codecs): <paramref name="stored"/> with an arena plan for the
    /// stored order, <paramref name="optimized"/> with <c>@order</c>, <c>@order_search</c> and a
    /// verified arena plan for that order. Peaks come from the shared <see cref="MemoryProfile"/>,
    /// so every command agrees on them.</summary>
    /// <param name="tflmRunsModel">False when TensorFlow Lite Micro cannot load the model (an ONNX
    /// file): its head and arena figures are then left out (null) rather than shown for a runtime
    /// that will never run it. The greedy-by-size figure stays: it is a planner baseline.</param>
    public static OptimizationSummary Compute(string model, Graph stored, Graph optimized, bool tflmRunsModel = true)
    {
        var problem = MemoryProblem.Create(stored);
        var storedProfile = MemoryProfile.Compute(problem, ExecutionOrder.Stored(stored));
        var optimizedProblem = MemoryProblem.Create(optimized);
        var optimizedOrder = ExecutionOrder.Current(optimized);
        var optimizedProfile = MemoryProfile.Compute(optimizedProblem, optimizedOrder);
        long storedPeak = storedProfile.PeakBytes, optimizedPeak = optimizedProfile.PeakBytes;
        var search = OrderSearchAnnotation.Read(optimized);
        var tflm = tflmRunsModel ? ArenaAnnotation.Tflm(optimized) : null;
        // TFLM's own plan of the input comes from the stored run: the optimized graph's planner saw
        // the input of its arena pass, which a transform (tile) may have rewritten.
        var input = tflmRunsModel ? ArenaAnnotation.Tflm(stored) ?? tflm : null;
        return new OptimizationSummary(
            model,
            stored.Operators.Count,
            problem.TensorCount,
            MemoryProfile.LargestOperator(problem),
            // Stored: TFLM's own plan of the input, as the planner recorded it beside the written one.
            new MemoryFigures(storedPeak, ArenaBytes(stored), ArenaAnnotation.TflmGreedyArenaBytes(stored))
            {
                TflmHeadBytes = input?.StoredHeadBytes, TflmArenaBytes = input?.StoredArenaBytes,
                TflmBreakdown = input?.StoredParts is var (a, s) ? (a, s, input.StoredArenaBytes - input.StoredHeadBytes) : null,
            },
            new MemoryFigures(optimizedPeak, ArenaBytes(optimized), ArenaAnnotation.TflmGreedyArenaBytes(optimized))
            {
                TflmHeadBytes = tflm?.HeadBytes, TflmArenaBytes = tflm?.ArenaBytes,
                TflmBreakdown = tflm is null ? null : (tflm.ActivationBytes, tflm.ScratchBytes, tflm.PersistentBytes),
            },
            search?.ProvenOptimal,
            search?.SearchMs,
            AssumedDimsOf(stored))
        {
            Tflm = tflm,
            ProvenLowerBoundBytes = search?.ProvenLowerBoundBytes,
            SetDims = SetDimsOf(stored),
            StoredPeakTensors = LiveTensor.AtPeak(problem, storedProfile),
            OptimizedPeakTensors = LiveTensor.AtPeak(optimizedProblem, optimizedProfile),
            Moves = OperatorMove.Of(optimized, optimizedOrder),
            // This run's tiling only: an @tiling the input already carried (a model tiled by an
            // earlier run) describes that run, not this one.
            OptimizedLargestOperatorBytes = optimizedProfile.LargestOperatorBytes,
            Tiling = Equals(optimized.Annotations[WellKnownAnnotations.Tiling], stored.Annotations[WellKnownAnnotations.Tiling])
                ? null : TilingAnnotation.Read(optimized),
            TflmRunsModel = tflmRunsModel,
        };
    }

    /// <summary>False when TensorFlow Lite Micro cannot load the model (ONNX): no TFLM head or arena
    /// figures, and renderers say why instead of showing them.</summary>
    public bool TflmRunsModel { get; init; } = true;

    /// <summary>The order search's proven minimum peak over all orders (equal to the optimized peak
    /// when the order is proven optimal), when the search ran.</summary>
    public long? ProvenLowerBoundBytes { get; init; }

    /// <summary>Activations alive at the stored order's peak, largest first.</summary>
    public IReadOnlyList<LiveTensor> StoredPeakTensors { get; init; } = [];

    /// <summary>Activations alive at the optimized order's peak, largest first.</summary>
    public IReadOnlyList<LiveTensor> OptimizedPeakTensors { get; init; } = [];

    /// <summary>Operators the optimized order runs out of their stored sequence (see <see cref="MovedOperator"/>).</summary>
    public IReadOnlyList<OperatorMove> Moves { get; init; } = [];

    /// <summary>Largest single-operator footprint of the optimized graph in bytes (differs from
    /// <see cref="LargestOperatorBytes"/> when a transform such as tile changed the operators).</summary>
    public long? OptimizedLargestOperatorBytes { get; init; }

    /// <summary>What the tile pass did (regions, bands, MACs before and after), when it tiled.</summary>
    public TilingSummary? Tiling { get; init; }

    /// <summary>TFLM's figures for the written model (what it carries, notes, estimates, commit), when planned.</summary>
    public TflmArenaSummary? Tflm { get; init; }

    /// <summary>The arena an order needs: its <c>@arena_plan</c>, else the highest
    /// placed byte, else the peak (a plan can never do better than the peak).</summary>
    private static long ArenaBytes(Graph graph)
    {
        if (ArenaAnnotation.ArenaBytes(graph) is { } declared) return declared;
        long end = 0;
        bool placed = false;
        foreach (var t in graph.Tensors)
        {
            if (ArenaAnnotation.ReadPlace(t) is ({ } offset, { } size))
            {
                placed = true;
                end = Math.Max(end, offset + size);
            }
        }
        return placed ? end : MemoryProfile.Compute(MemoryProblem.Create(graph), ExecutionOrder.Stored(graph)).PeakBytes;
    }

    /// <summary>The arena a user had before: what TFLite Micro plans for the stored model, or
    /// GraphDsl's plan of the stored order when the greedy figure is unknown.</summary>
    public long BaselineArenaBytes => Stored.TflmGreedyArenaBytes ?? Stored.ArenaBytes;

    /// <summary>Percent saved of what the device needs: of <c>kTensorArenaSize</c> when TFLM's
    /// figures are known, else of the arena against <see cref="BaselineArenaBytes"/>.</summary>
    public double SavedPercent => Stored.TflmArenaBytes is { } before && Optimized.TflmArenaBytes is { } after
        ? Percent(before, after) : Percent(BaselineArenaBytes, Optimized.ArenaBytes);

    /// <summary>100 * (before - after) / before; 0 when before is 0.</summary>
    public static double Percent(long before, long after) => before == 0 ? 0 : 100.0 * (before - after) / before;
}

/// <summary>An operator the optimized order moved (see <see cref="MovedOperator"/>), named for the
/// user: stored position <paramref name="Operator"/>, new step <paramref name="Step"/>, and its
/// <see cref="Ir.Operator.Label"/> (<c>#12 CONV_2D 'name'</c>).</summary>
public sealed record OperatorMove(int Operator, int Step, string Type, string Name, string Label)
{
    public static IReadOnlyList<OperatorMove> Of(Graph graph, IReadOnlyList<int> order) =>
        MovedOperator.Of(order).Select(m =>
        {
            var op = graph.Operators[m.Operator];
            return new OperatorMove(m.Operator, m.Step, op.DisplayType, op.DisplayName, op.Label(m.Operator));
        }).ToArray();
}
