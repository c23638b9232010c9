using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;

namespace GraphDsl.Lowering;

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

    /// <summary>Reads the figures from two planned copies of the main graph: <paramref name="stored"/>
    /// with an arena plan for the stored order, <paramref name="optimized"/> with <c>@order</c>,
    /// <c>@order_search</c> and an arena plan for that order. Peaks come from the shared
    /// <see cref="MemoryProfile"/>, so every command agrees on them.</summary>
    public static OptimizationSummary Compute(string model, Graph stored, LoweringPlan optimized)
    {
        var problem = MemoryProblem.Create(stored);
        var storedProfile = MemoryProfile.Compute(problem, ExecutionOrder.Stored(stored));
        var optimizedProfile = MemoryProfile.Compute(optimized.Problem, optimized.Order);
        long storedPeak = storedProfile.PeakBytes, optimizedPeak = optimizedProfile.PeakBytes;
        var search = OrderSearchAnnotation.Read(optimized.Graph);
        var tflm = ArenaAnnotation.Tflm(optimized.Graph);
        // TFLM's own plan of the input comes from the stored run: the optimized graph's planner saw
        // the input of its arena pass, which a transform (tile) may have rewritten.
        var input = ArenaAnnotation.Tflm(stored) ?? tflm;
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
            new MemoryFigures(optimizedPeak, optimized.ArenaBytes, ArenaAnnotation.TflmGreedyArenaBytes(optimized.Graph))
            {
                TflmHeadBytes = tflm?.Written.HeadBytes, TflmArenaBytes = tflm?.Written.ArenaBytes,
                TflmBreakdown = tflm?.Written is { } w ? (w.ActivationBytes, w.ScratchBytes, w.PersistentBytes) : null,
            },
            search?.ProvenOptimal,
            search?.SearchMs,
            AssumedDimsOf(stored))
        {
            Tflm = tflm,
            ProvenLowerBoundBytes = search?.ProvenLowerBoundBytes,
            SetDims = SetDimsOf(stored),
            StoredPeakTensors = LiveTensor.AtPeak(problem, storedProfile),
            OptimizedPeakTensors = LiveTensor.AtPeak(optimized.Problem, optimizedProfile),
            Moves = OperatorMove.Of(optimized.Graph, optimized.Order),
            // This run's tiling only: an @tiling the input already carried (a model tiled by an
            // earlier run) describes that run, not this one.
            OptimizedLargestOperatorBytes = optimizedProfile.LargestOperatorBytes,
            Tiling = Equals(optimized.Graph.Annotations[WellKnownAnnotations.Tiling], stored.Annotations[WellKnownAnnotations.Tiling])
                ? null : TilingAnnotation.Read(optimized.Graph),
        };
    }

    /// <summary>The order search's proven minimum peak over all orders (equal to the optimized peak
    /// when the order is proven optimal), when the search ran.</summary>
    public long? ProvenLowerBoundBytes { get; init; }

    /// <summary>The line under the table: whether the order is proven optimal, with the proven minimum.</summary>
    public string? OrderLine() => (OrderProvenOptimal, ProvenLowerBoundBytes) switch
    {
        (true, { } bound) => string.Create(CultureInfo.InvariantCulture, $"order: proven optimal, minimum peak over all orders {bound:N0} B (proven lower bound)"),
        (false, { } bound) => string.Create(CultureInfo.InvariantCulture,
            $"order: best found, not proven optimal: peak {Optimized.PeakBytes:N0} B, proven lower bound {bound:N0} B (gap {Optimized.PeakBytes - bound:N0} B)"),
        _ => null,
    };

    /// <summary>Activations alive at the stored order's peak, largest first.</summary>
    public IReadOnlyList<LiveTensor> StoredPeakTensors { get; init; } = [];

    /// <summary>Activations alive at the optimized order's peak, largest first.</summary>
    public IReadOnlyList<LiveTensor> OptimizedPeakTensors { get; init; } = [];

    /// <summary>Operators the optimized order runs out of their stored sequence (see <see cref="MovedOperator"/>).</summary>
    public IReadOnlyList<OperatorMove> Moves { get; init; } = [];

    /// <summary>Largest single-operator footprint of the optimized graph in bytes (differs from
    /// <see cref="LargestOperatorBytes"/> when a transform such as tile changed the operators).</summary>
    public long? OptimizedLargestOperatorBytes { get; init; }

    /// <summary>before - after, or null when either figure is unknown.</summary>
    private static long? Saved(long? before, long? after) => before - after;

    private static string Plural(long n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}s");

    /// <summary>What the tile pass did (regions, bands, MACs before and after), when it tiled.</summary>
    public TilingSummary? Tiling { get; init; }

    /// <summary>TFLM's figures for the written model (what it carries, notes, estimates, commit), when planned.</summary>
    public TflmArenaSummary? Tflm { get; init; }

    /// <summary>The arena the stored order needs: its <c>@arena_plan</c>, else the highest
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

    /// <summary>The summary as JSON (snake_case keys, see the README).</summary>
    public string ToJson()
    {
        static JsonObject Figures(MemoryFigures f) => new()
        {
            ["peak_bytes"] = f.PeakBytes,
            ["arena_bytes"] = f.ArenaBytes,
            ["tflm_greedy_arena_bytes"] = f.TflmGreedyArenaBytes,
            ["tflm_head_bytes"] = f.TflmHeadBytes,
            ["tflm_arena_bytes"] = f.TflmArenaBytes,
            ["tflm_breakdown"] = f.TflmBreakdown is var (activations, scratch, persistent)
                ? new JsonObject { ["activation_bytes"] = activations, ["scratch_bytes"] = scratch, ["persistent_bytes"] = persistent }
                : null,
        };
        static JsonArray Tensors(IReadOnlyList<LiveTensor> tensors) =>
            new(tensors.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["bytes"] = t.Bytes }).ToArray());
        var stored = Figures(Stored);
        stored["peak_tensors"] = Tensors(StoredPeakTensors);
        var optimized = Figures(Optimized);
        optimized["peak_tensors"] = Tensors(OptimizedPeakTensors);
        optimized["order_proven_optimal"] = OrderProvenOptimal;
        optimized["proven_lower_bound_bytes"] = ProvenLowerBoundBytes;
        optimized["search_ms"] = SearchMs;
        if (Tflm is { } t)
        {
            optimized["tflm_offline_plan"] = t.OfflinePlan;
            optimized["tflm_note"] = t.Note;
            optimized["tflm_estimate"] = t.Written.Estimate;
        }
        if (Tiling is { } tiling)
        {
            optimized["tiling"] = new JsonObject
            {
                ["macs_before"] = tiling.MacsBefore,
                ["macs_after"] = tiling.MacsAfter,
                ["mac_overhead_percent"] = Math.Round(100 * tiling.MacOverhead, 2),
                ["predicted_tflm_arena_before_bytes"] = tiling.ArenaBeforeBytes,
                ["predicted_tflm_arena_after_bytes"] = tiling.ArenaAfterBytes,
                ["regions"] = new JsonArray(tiling.Regions.Select(r => (JsonNode)new JsonObject
                {
                    ["input"] = r.Input, ["output"] = r.Output, ["bands"] = r.Bands, ["operators"] = r.Operators,
                    ["macs_before"] = r.MacsBefore, ["macs_after"] = r.MacsAfter,
                }).ToArray()),
            };
        }
        var json = new JsonObject
        {
            ["model"] = Model,
            ["tflm_commit"] = Tflm?.Written.Commit,
            ["operators"] = Operators,
            ["activation_tensors"] = ActivationTensors,
            ["largest_operator_bytes"] = LargestOperatorBytes,
            ["assumed_dims"] = new JsonArray((AssumedDims ?? []).Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["set_dims"] = new JsonArray(SetDims.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["stored"] = stored,
            ["optimized"] = optimized,
            ["moved_operators"] = new JsonArray(Moves.Select(m => (JsonNode)new JsonObject
            {
                ["operator"] = m.Operator, ["type"] = m.Type, ["name"] = m.Name, ["from"] = m.Operator, ["to"] = m.Step,
            }).ToArray()),
            ["saved"] = new JsonObject
            {
                // Each saving is the difference of the two figures of the same name above.
                ["peak_bytes"] = Stored.PeakBytes - Optimized.PeakBytes,
                ["arena_bytes"] = Stored.ArenaBytes - Optimized.ArenaBytes,
                ["tflm_greedy_arena_bytes"] = Saved(Stored.TflmGreedyArenaBytes, Optimized.TflmGreedyArenaBytes),
                ["tflm_head_bytes"] = Saved(Stored.TflmHeadBytes, Optimized.TflmHeadBytes),
                ["tflm_arena_bytes"] = Saved(Stored.TflmArenaBytes, Optimized.TflmArenaBytes),
                // Of what the device needs when TFLM's figures are known (kTensorArenaSize), else of
                // the arena against TFLM's greedy planner.
                ["percent"] = Stored.TflmArenaBytes is { } pb && Optimized.TflmArenaBytes is { } pa
                    ? Math.Round(Percent(pb, pa), 2) : Math.Round(Percent(BaselineArenaBytes, Optimized.ArenaBytes), 2),
            },
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The short before/after/saved table printed by <c>graphdsl optimize</c>.</summary>
    public string ToTable()
    {
        var rows = new List<(string Label, long Before, long After)>
        {
            ("peak live activations", Stored.PeakBytes, Optimized.PeakBytes),
            ("arena (GraphDsl plan)", Stored.ArenaBytes, Optimized.ArenaBytes),
        };
        // TFLM's head before/after is the real comparison (it counts scratch buffers and every
        // subgraph); the activation-only greedy row is shown only where that head is unknown.
        if (Stored.TflmGreedyArenaBytes is { } greedy && Stored.TflmHeadBytes is null)
            rows.Add(("arena vs TFLM greedy", greedy, Optimized.ArenaBytes));
        if (Stored.TflmHeadBytes is { } headBefore && Optimized.TflmHeadBytes is { } headAfter)
            rows.Add(("TFLM head (planned)", headBefore, headAfter));
        if (Stored.TflmArenaBytes is { } totalBefore && Optimized.TflmArenaBytes is { } totalAfter)
            rows.Add(("TFLM arena (head+tail)", totalBefore, totalAfter));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"",-24}{"before",14}{"after",14}{"saved",14}{"saved %",9}\n");
        foreach (var (label, before, after) in rows)
            sb.Append(CultureInfo.InvariantCulture,
                $"{label,-24}{before,14:N0}{after,14:N0}{before - after,14:N0}{Percent(before, after),8:F1}%\n");
        // Not the order search's proven optimum: the largest inputs+outputs of one operator, which
        // no order avoids (in-place reuse can still place the arena below it).
        // After tiling the graph has other operators, so its largest one is shown beside the input's.
        if (OptimizedLargestOperatorBytes is { } largestAfter && largestAfter != LargestOperatorBytes)
            sb.Append(CultureInfo.InvariantCulture, $"{"largest single operator",-24}{LargestOperatorBytes,14:N0}{largestAfter,14:N0}\n");
        else
            sb.Append(CultureInfo.InvariantCulture, $"{"largest single operator",-24}{"",14}{LargestOperatorBytes,14:N0}\n");
        if (Tiling is { } tiling)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"tiling: {Plural(tiling.Regions.Count, "region")} in row bands ({string.Join(", ", tiling.Regions.Select(r => $"{Plural(r.Operators, "operator")} -> '{LiveTensor.ShortName(r.Output)}' in {r.Bands} bands"))}); MACs {tiling.MacsBefore:N0} -> {tiling.MacsAfter:N0} (+{100 * tiling.MacOverhead:F1}%, cap {100 * tiling.MaxMacOverhead:F0}%)\n");
        }
        if (Optimized.TflmArenaBytes is { } arena && Optimized.TflmBreakdown is var (act, scr, persistent))
            sb.Append(CultureInfo.InvariantCulture,
                $"kTensorArenaSize {arena:N0} B for the written model (TFLM {Tflm?.Written.Commit}): head {Optimized.TflmHeadBytes:N0} = activations {act:N0} + scratch {scr:N0}, persistent {persistent:N0} (64-bit host layout)\n");
        if (Tflm?.Note is { } note) sb.Append("TFLM: ").Append(note).Append('\n');
        if (Tflm?.Written.Estimate is { } estimate) sb.Append("TFLM figures are estimates: ").Append(estimate).Append('\n');
        return sb.ToString();
    }

    /// <summary>The lines <c>graphdsl optimize</c> prints under the table: the tensors alive at each
    /// peak and the operators that moved (at most <paramref name="maxMoves"/>, the report lists all).</summary>
    public string ToDetails(int maxMoves = 10)
    {
        var sb = new StringBuilder();
        if (StoredPeakTensors.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"live at the peak, before: {LiveTensor.Describe(StoredPeakTensors)}\n");
        if (OptimizedPeakTensors.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"live at the peak, after:  {LiveTensor.Describe(OptimizedPeakTensors)}\n");
        if (Moves.Count == 0 && Tiling is not null)
        {
            // Band operators replaced the tiled stage, so positions of the input do not map to steps.
            sb.Append("moved operators: not compared (tiling replaced operators by row bands; --report shows the schedule)\n");
            return sb.ToString();
        }
        if (Moves.Count == 0)
        {
            sb.Append("moved operators: none (stored order kept)\n");
            return sb.ToString();
        }
        sb.Append(CultureInfo.InvariantCulture, $"moved operators ({Moves.Count} of {Operators}; stored position -> step):\n");
        foreach (var m in Moves.Take(maxMoves))
            sb.Append(CultureInfo.InvariantCulture, $"  {m.Label} {m.Operator} -> {m.Step}\n");
        if (Moves.Count > maxMoves) sb.Append(CultureInfo.InvariantCulture, $"  ... and {Moves.Count - maxMoves} more (--json or --report list every one)\n");
        return sb.ToString();
    }

    private static double Percent(long before, long after) => before == 0 ? 0 : 100.0 * (before - after) / before;
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
