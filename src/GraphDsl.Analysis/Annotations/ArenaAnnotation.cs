using GraphDsl.Ir;
using static GraphDsl.Analysis.Annotations.AnnotationRecord;

namespace GraphDsl.Analysis.Annotations;

/// <summary>The figures of an arena plan (<c>@arena_plan(...)</c> on the main graph).</summary>
/// <param name="ArenaBytes">Bytes the arena needs (the end of the highest placed tensor, aligned).</param>
/// <param name="PeakBytes">Liveness peak of the planned order.</param>
/// <param name="AdjustedPeakBytes">Peak counting in-place outputs once.</param>
/// <param name="TflmGreedyArenaBytes">TensorFlow Lite Micro's greedy-by-size arena for the same order.</param>
/// <param name="Alignment">Byte alignment of every buffer.</param>
/// <param name="Reuse">Reuse kinds allowed, as text (<c>all</c>, <c>views+inplace</c>, ...).</param>
public sealed record ArenaPlanSummary(long ArenaBytes, long PeakBytes, long AdjustedPeakBytes, long TflmGreedyArenaBytes,
    string Strategy, bool ProvenMinimal, long Alignment, double Fragmentation, string Reuse)
{
    /// <summary>TFLM's figures for the model as it will be written, when the planner computed them.</summary>
    public TflmArenaSummary? Tflm { get; init; }

    /// <summary>What each reuse setting gives on the same order with the same strategy, when the
    /// arena pass measured it (<c>arena{reuse-savings=true}</c>, which <c>graphdsl plan</c> sets).</summary>
    public IReadOnlyList<ReuseSaving>? ReuseSavings { get; init; }

    /// <summary>Share of the arena not explained by the adjusted peak: 0 means no byte is lost to
    /// gaps between buffers at the fullest step. Exact (the annotation keeps 4 digits).</summary>
    public static double FragmentationOf(long arenaBytes, long adjustedPeakBytes) =>
        arenaBytes == 0 ? 0 : (double)(arenaBytes - adjustedPeakBytes) / arenaBytes;
}

/// <summary>One reuse setting planned alone: its arena, its adjusted peak, and the bytes it saves
/// against no reuse, all in bytes (fields <c>reuse_savings*</c> of <c>@arena_plan</c>).</summary>
/// <param name="Reuse">The setting as the <c>reuse=</c> option spells it (<c>none</c>, <c>views</c>, ..., <c>all</c>).</param>
public sealed record ReuseSaving(string Reuse, long ArenaBytes, long AdjustedPeakBytes, long SavedBytes);

/// <summary>What TensorFlow Lite Micro will need for the written model (GraphDsl.Tflm's model of
/// its arena, fields <c>tflm_*</c> of <c>@arena_plan</c>), all in bytes.</summary>
/// <param name="HeadBytes">Planned section (<c>GetNonPersistentUsedBytes()</c>).</param>
/// <param name="ActivationBytes">End of the highest tensor in that plan.</param>
/// <param name="ScratchBytes">What kernel scratch buffers add above the tensors.</param>
/// <param name="PersistentBytes">Persistent section (<c>GetPersistentUsedBytes()</c>), null when not modelled.</param>
/// <param name="ArenaBytes">Head plus tail: <c>arena_used_bytes()</c>, the least <c>kTensorArenaSize</c>; null when the tail is not modelled.</param>
/// <param name="StoredHeadBytes">TFLM's own plan of the input model (stored order, its own offline plan if any).</param>
/// <param name="StoredArenaBytes">The input's head plus tail, when the tail is modelled.</param>
/// <param name="OfflinePlan"><c>graphdsl</c>, <c>graphdsl+scratch</c>, <c>tflm-placement</c> or <c>none</c>.</param>
/// <param name="Note">Why GraphDsl's placement is not what gets written, when it is not.</param>
/// <param name="Estimate">Operators whose kernels are not modelled (the figures are estimates), or null.</param>
/// <param name="Commit">The TFLM commit the model reproduces (short).</param>
public sealed record TflmArenaSummary(long HeadBytes, long ActivationBytes, long ScratchBytes, long? PersistentBytes,
    long? ArenaBytes, long StoredHeadBytes, long? StoredArenaBytes, string OfflinePlan, string? Note, string? Estimate, string Commit)
{
    /// <summary>Activations and scratch of TFLM's own plan of the input (the stored head's parts).</summary>
    public (long Activations, long Scratch)? StoredParts { get; init; }

    /// <summary><see cref="OfflinePlan"/> when the written model carries no offline plan.</summary>
    public const string NoOfflinePlan = "none";
}

/// <summary>Where one activation lives: <c>@arena(offset=, size=)</c>, bytes from the arena start.</summary>
public sealed record TensorPlace(long Offset, long Size);

/// <summary>An activation sharing the bytes of another: <c>@alias(of="x", offset=, reason=)</c>,
/// offset relative to <paramref name="Of"/>; reason <c>view</c>, <c>inplace</c> or <c>concat</c>.</summary>
public sealed record TensorAliasRecord(string Of, long Offset, string Reason);

/// <summary>The codec of the arena pass's results: <c>@arena</c> and <c>@alias</c> on tensors and
/// <c>@arena_plan</c> on the graph. All of it holds for one execution order
/// (<see cref="ExecutionOrderAnnotation"/> drops it when the order changes).</summary>
public static class ArenaAnnotation
{
    /// <summary>The graph with the plan written: <paramref name="places"/> and
    /// <paramref name="aliases"/> by index in <see cref="Graph.Tensors"/>; tensors with a place and no
    /// alias lose any earlier <c>@alias</c>. The input instance when nothing changes.</summary>
    public static Graph Write(Graph graph, ArenaPlanSummary summary, IReadOnlyDictionary<int, TensorPlace> places,
        IReadOnlyDictionary<int, TensorAliasRecord> aliases)
    {
        var tensors = graph.Tensors.Select((tensor, index) =>
        {
            if (!places.TryGetValue(index, out var place)) return tensor;
            var annotations = tensor.Annotations.With(WellKnownAnnotations.Arena, Of(("offset", place.Offset), ("size", place.Size)));
            annotations = aliases.TryGetValue(index, out var a)
                ? annotations.With(WellKnownAnnotations.Alias, Of(("of", a.Of), ("offset", a.Offset), ("reason", a.Reason)))
                : annotations.Without(WellKnownAnnotations.Alias);
            return annotations.Equals(tensor.Annotations) ? tensor : tensor with { Annotations = annotations };
        }).ToEquatableArray();
        var fields = new List<(string, AttributeValue)>
        {
            ("arena_bytes", summary.ArenaBytes), ("peak_bytes", summary.PeakBytes), ("adjusted_peak_bytes", summary.AdjustedPeakBytes),
            ("tflm_greedy_arena_bytes", summary.TflmGreedyArenaBytes), ("strategy", summary.Strategy),
            ("proven_minimal", summary.ProvenMinimal), ("align", summary.Alignment),
            ("fragmentation", Math.Round(summary.Fragmentation, 4)), ("reuse", summary.Reuse),
        };
        if (summary.Tflm is { } t)
        {
            AddTflmArena(fields, t.HeadBytes, t.ActivationBytes, t.ScratchBytes, t.PersistentBytes, t.ArenaBytes);
            fields.Add(("tflm_stored_head_bytes", t.StoredHeadBytes));
            if (t.StoredArenaBytes is { } storedTotal) fields.Add(("tflm_stored_arena_bytes", storedTotal));
            if (t.StoredParts is var (storedActivations, storedScratch))
            {
                fields.Add(("tflm_stored_activation_bytes", storedActivations));
                fields.Add(("tflm_stored_scratch_bytes", storedScratch));
            }
            fields.Add(("tflm_offline_plan", t.OfflinePlan));
            if (t.Note is { } note) fields.Add(("tflm_note", note));
            if (t.Estimate is { } estimate) fields.Add(("tflm_estimate", estimate));
            fields.Add(("tflm_commit", t.Commit));
        }
        if (summary.ReuseSavings is { } savings)
        {
            fields.Add(("reuse_savings", List(savings.Select(r => (AttributeValue)r.Reuse))));
            fields.Add(("reuse_savings_arena_bytes", List(savings.Select(r => (AttributeValue)r.ArenaBytes))));
            fields.Add(("reuse_savings_adjusted_peak_bytes", List(savings.Select(r => (AttributeValue)r.AdjustedPeakBytes))));
            fields.Add(("reuse_savings_saved_bytes", List(savings.Select(r => (AttributeValue)r.SavedBytes))));
        }
        var figures = Of([.. fields]);
        var result = graph with { Tensors = tensors, Annotations = graph.Annotations.With(WellKnownAnnotations.ArenaPlan, figures) };
        return result.Equals(graph) ? graph : result;
    }

    /// <summary>Every figure of the graph's <c>@arena_plan</c>, or null when it is absent or lacks
    /// one of the figures every plan has (arena, peaks, greedy arena, strategy, alignment, reuse).</summary>
    public static ArenaPlanSummary? Read(Graph graph)
    {
        if (Fields(graph.Annotations, WellKnownAnnotations.ArenaPlan) is not { } f
            || Int(f, "arena_bytes") is not { } arena || Int(f, "peak_bytes") is not { } peak
            || Int(f, "adjusted_peak_bytes") is not { } adjusted || Int(f, "tflm_greedy_arena_bytes") is not { } greedy
            || Text(f, "strategy") is not { } strategy || Int(f, "align") is not { } align || Text(f, "reuse") is not { } reuse)
            return null;
        return new ArenaPlanSummary(arena, peak, adjusted, greedy, strategy, Flag(f, "proven_minimal") ?? false, align,
            Real(f, "fragmentation") ?? ArenaPlanSummary.FragmentationOf(arena, adjusted), reuse)
        {
            Tflm = Tflm(graph),
            ReuseSavings = ReadReuseSavings(f),
        };
    }

    private static IReadOnlyList<ReuseSaving>? ReadReuseSavings(AttributeMap f)
    {
        if (f["reuse_savings"] is not AttributeValue.List names) return null;
        var arena = f["reuse_savings_arena_bytes"]?.AsInts();
        var adjusted = f["reuse_savings_adjusted_peak_bytes"]?.AsInts();
        var saved = f["reuse_savings_saved_bytes"]?.AsInts();
        int n = names.Items.Count;
        if (arena?.Count != n || adjusted?.Count != n || saved?.Count != n || names.Items.Any(i => i is not AttributeValue.Str)) return null;
        return names.Items.Select((name, i) => new ReuseSaving(((AttributeValue.Str)name).Value, arena[i], adjusted[i], saved[i])).ToArray();
    }

    private static AttributeValue List(IEnumerable<AttributeValue> items) => new AttributeValue.List(items.ToEquatableArray());

    /// <summary>True when the graph carries an <c>@arena_plan</c> (complete or not).</summary>
    public static bool HasPlan(Graph graph) => graph.Annotations.ContainsKey(WellKnownAnnotations.ArenaPlan);

    /// <summary>The arena size the plan declares, when present.</summary>
    public static long? ArenaBytes(Graph graph) =>
        Fields(graph.Annotations, WellKnownAnnotations.ArenaPlan) is { } f ? Int(f, "arena_bytes") : null;

    /// <summary>The alignment the plan declares, when present and positive.</summary>
    public static long? Alignment(Graph graph) =>
        Fields(graph.Annotations, WellKnownAnnotations.ArenaPlan) is { } f && Int(f, "align") is { } a && a > 0 ? a : null;

    /// <summary>TensorFlow Lite Micro's greedy arena recorded with the plan, when present.</summary>
    public static long? TflmGreedyArenaBytes(Graph graph) =>
        Fields(graph.Annotations, WellKnownAnnotations.ArenaPlan) is { } f ? Int(f, "tflm_greedy_arena_bytes") : null;

    /// <summary>TFLM's figures recorded with the plan (<c>tflm_*</c> fields), when present.</summary>
    public static TflmArenaSummary? Tflm(Graph graph)
    {
        if (Fields(graph.Annotations, WellKnownAnnotations.ArenaPlan) is not { } f || Int(f, "tflm_head_bytes") is not { } head) return null;
        return new TflmArenaSummary(head, Int(f, "tflm_activation_bytes") ?? head, Int(f, "tflm_scratch_bytes") ?? 0,
            Int(f, "tflm_persistent_bytes"), Int(f, "tflm_arena_bytes"), Int(f, "tflm_stored_head_bytes") ?? head,
            Int(f, "tflm_stored_arena_bytes"), Text(f, "tflm_offline_plan") ?? "graphdsl", Text(f, "tflm_note"),
            Text(f, "tflm_estimate"), Text(f, "tflm_commit") ?? "")
        {
            StoredParts = Int(f, "tflm_stored_activation_bytes") is { } a && Int(f, "tflm_stored_scratch_bytes") is { } s ? (a, s) : null,
        };
    }

    /// <summary>The tensor's <c>@arena</c>; either field null when missing or malformed.</summary>
    public static (long? Offset, long? Size)? ReadPlace(Tensor tensor) =>
        Fields(tensor.Annotations, WellKnownAnnotations.Arena) is { } f ? (Int(f, "offset"), Int(f, "size")) : null;

    /// <summary>The tensor's <c>@alias</c>; null when absent, with a one-line
    /// <paramref name="problem"/> when present but malformed.</summary>
    public static TensorAliasRecord? ReadAlias(Tensor tensor, out string? problem)
    {
        problem = null;
        if (Fields(tensor.Annotations, WellKnownAnnotations.Alias) is not { } f) return null;
        if (Text(f, "of") is not { } of) { problem = "the annotation has no of=\"tensor\""; return null; }
        if (Int(f, "offset") is not { } offset) { problem = "the annotation has no offset="; return null; }
        return new TensorAliasRecord(of, offset, Text(f, "reason") ?? "");
    }
}
