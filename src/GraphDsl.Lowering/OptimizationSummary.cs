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
/// <param name="LowerBoundBytes">No order needs less: the largest inputs-plus-outputs of one operator.</param>
/// <param name="OrderProvenOptimal">True when the order search proved no order has a lower peak.</param>
/// <param name="SearchMs">Time the order search took, when it reported it.</param>
/// <param name="AssumedDims">Sizes the importer took for dynamic dimensions (<c>x dim 2 ('h') = 1</c>):
/// the figures hold for those sizes only.</param>
public sealed record OptimizationSummary(
    string Model,
    int Operators,
    int ActivationTensors,
    long LowerBoundBytes,
    MemoryFigures Stored,
    MemoryFigures Optimized,
    bool? OrderProvenOptimal,
    double? SearchMs,
    IReadOnlyList<string>? AssumedDims = null)
{
    /// <summary>The <c>assumed_dims</c> attribute an importer put on the graph (dynamic dims it sized).</summary>
    public static IReadOnlyList<string> AssumedDimsOf(Graph graph) =>
        graph.Attributes["assumed_dims"] is AttributeValue.List list
            ? list.Items.OfType<AttributeValue.Str>().Select(s => s.Value).ToArray()
            : [];

    /// <summary>Reads the figures from two planned copies of the main graph: <paramref name="stored"/>
    /// with an arena plan for the stored order, <paramref name="optimized"/> with <c>@order</c>,
    /// <c>@order_search</c> and an arena plan for that order. Peaks come from the shared
    /// <see cref="MemoryProfile"/>, so every command agrees on them.</summary>
    public static OptimizationSummary Compute(string model, Graph stored, LoweringPlan optimized)
    {
        var problem = MemoryProblem.Create(stored);
        var storedPeak = MemoryProfile.Compute(problem, ExecutionOrder.Stored(stored)).PeakBytes;
        var optimizedPeak = MemoryProfile.Compute(optimized.Problem, optimized.Order).PeakBytes;
        var search = OrderSearchAnnotation.Read(optimized.Graph);
        var tflm = ArenaAnnotation.Tflm(optimized.Graph);
        return new OptimizationSummary(
            model,
            stored.Operators.Count,
            problem.TensorCount,
            MemoryProfile.LowerBound(problem),
            // Stored: TFLM's own plan of the input, as the planner recorded it beside the written one.
            new MemoryFigures(storedPeak, ArenaBytes(stored), ArenaAnnotation.TflmGreedyArenaBytes(stored))
            {
                TflmHeadBytes = tflm?.StoredHeadBytes, TflmArenaBytes = tflm?.StoredArenaBytes,
                TflmBreakdown = tflm?.StoredParts is var (a, s) ? (a, s, tflm.StoredArenaBytes - tflm.StoredHeadBytes) : null,
            },
            new MemoryFigures(optimizedPeak, optimized.ArenaBytes, ArenaAnnotation.TflmGreedyArenaBytes(optimized.Graph))
            {
                TflmHeadBytes = tflm?.HeadBytes, TflmArenaBytes = tflm?.ArenaBytes,
                TflmBreakdown = tflm is null ? null : (tflm.ActivationBytes, tflm.ScratchBytes, tflm.PersistentBytes),
            },
            search?.ProvenOptimal,
            search?.SearchMs,
            AssumedDimsOf(stored))
        {
            Tflm = tflm,
        };
    }

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
        var optimized = Figures(Optimized);
        optimized["order_proven_optimal"] = OrderProvenOptimal;
        optimized["search_ms"] = SearchMs;
        if (Tflm is { } t)
        {
            optimized["tflm_offline_plan"] = t.OfflinePlan;
            optimized["tflm_note"] = t.Note;
            optimized["tflm_estimate"] = t.Estimate;
        }
        var json = new JsonObject
        {
            ["model"] = Model,
            ["tflm_commit"] = Tflm?.Commit,
            ["operators"] = Operators,
            ["activation_tensors"] = ActivationTensors,
            ["lower_bound_bytes"] = LowerBoundBytes,
            ["assumed_dims"] = new JsonArray((AssumedDims ?? []).Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["stored"] = Figures(Stored),
            ["optimized"] = optimized,
            ["saved"] = new JsonObject
            {
                ["peak_bytes"] = Stored.PeakBytes - Optimized.PeakBytes,
                ["arena_bytes"] = BaselineArenaBytes - Optimized.ArenaBytes,
                ["arena_percent"] = Math.Round(Percent(BaselineArenaBytes, Optimized.ArenaBytes), 2),
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
        sb.Append(CultureInfo.InvariantCulture, $"{"largest operator in+out",-24}{"",14}{LowerBoundBytes,14:N0}\n");
        if (Optimized.TflmArenaBytes is { } arena && Optimized.TflmBreakdown is var (act, scr, persistent))
            sb.Append(CultureInfo.InvariantCulture,
                $"kTensorArenaSize {arena:N0} B for the written model (TFLM {Tflm?.Commit}): head {Optimized.TflmHeadBytes:N0} = activations {act:N0} + scratch {scr:N0}, persistent {persistent:N0} (64-bit host layout)\n");
        if (Tflm?.Note is { } note) sb.Append("TFLM: ").Append(note).Append('\n');
        if (Tflm?.Estimate is { } estimate) sb.Append("TFLM figures are estimates: ").Append(estimate).Append('\n');
        return sb.ToString();
    }

    private static double Percent(long before, long after) => before == 0 ? 0 : 100.0 * (before - after) / before;
}
