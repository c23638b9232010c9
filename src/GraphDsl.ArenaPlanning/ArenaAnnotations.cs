using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Tflm;

namespace GraphDsl.ArenaPlanning;

/// <summary>The rewrite part of arena planning and its inverse: writes a plan into the IR as
/// annotations and reads a placement back for the verifier.</summary>
/// <remarks>
/// Every activation gets <c>@arena(offset=, size=)</c>; an activation sharing bytes gets
/// <c>@alias(of="x", offset=, reason="view"|"inplace"|"concat")</c> (offset relative to x); the
/// graph gets <c>@arena_plan(...)</c> with the figures. Stale <c>@alias</c> annotations from an
/// earlier plan are removed, so the printed IR shows exactly this plan's decisions.
/// </remarks>
public static class ArenaAnnotations
{
    public const string Plan = "arena_plan";

    public static Graph Write(Graph graph, MemoryProblem problem, ArenaPlan plan)
    {
        var aliasOf = plan.Assignment.Aliases.ToDictionary(a => a.Tensor);
        var byIndex = new Dictionary<int, int>();
        for (int t = 0; t < problem.TensorCount; t++) byIndex[problem.Tensors[t]] = t;
        var tensors = graph.Tensors.Select((tensor, index) =>
        {
            if (!byIndex.TryGetValue(index, out var t)) return tensor;
            var annotations = tensor.Annotations.With(WellKnownAnnotations.Arena,
                Record(("offset", plan.Offsets[t]), ("size", problem.Size[t])));
            annotations = aliasOf.TryGetValue(t, out var a)
                ? annotations.With(WellKnownAnnotations.Alias, Record(("of", problem.TensorName(a.Of)), ("offset", a.Offset), ("reason", ReasonText(a.Reason))))
                : annotations.Without(WellKnownAnnotations.Alias);
            return annotations.Equals(tensor.Annotations) ? tensor : tensor with { Annotations = annotations };
        }).ToEquatableArray();
        var fields = new List<(string, AttributeValue)>
        {
            ("arena_bytes", plan.ArenaBytes), ("peak_bytes", plan.PeakBytes), ("adjusted_peak_bytes", plan.AdjustedPeakBytes),
            ("tflm_greedy_arena_bytes", plan.TflmGreedyArenaBytes), ("strategy", plan.Strategy),
            ("proven_minimal", plan.ProvenMinimal), ("align", plan.Alignment),
            ("fragmentation", Math.Round(plan.Fragmentation, 4)), ("reuse", ReuseKindsText.Format(plan.Reuse)),
        };
        if (plan.Tflm is { } tflm) fields.AddRange(TflmFields(tflm));
        var summary = Record([.. fields]);
        var operators = graph.Operators;
        if (plan.Tflm is { KeptStoredOrder: true })
        {
            // The order search's order lost under TFLM: the stored order is what gets written.
            var step = new int[plan.Order.Count];
            for (int k = 0; k < plan.Order.Count; k++) step[plan.Order[k]] = k;
            operators = operators.Select((op, i) => op with { Annotations = op.Annotations.With(WellKnownAnnotations.Order, step[i]) }).ToEquatableArray();
        }
        var result = graph with { Tensors = tensors, Operators = operators, Annotations = graph.Annotations.With(Plan, summary) };
        return result.Equals(graph) ? graph : result;
    }

    /// <summary>Value of <c>tflm_offline_plan</c> when the written model carries no offline plan.</summary>
    public const string NoOfflinePlan = "none";

    /// <summary>TFLM's figures (<see cref="TflmPlanCheck"/>) as <c>@arena_plan</c> fields: the
    /// written model's head and its parts, TFLM's own plan of the input, and what is written.</summary>
    private static IEnumerable<(string, AttributeValue)> TflmFields(TflmPlanCheck tflm)
    {
        var p = tflm.Predicted;
        yield return ("tflm_head_bytes", p.HeadBytes);
        yield return ("tflm_activation_bytes", p.ActivationBytes);
        yield return ("tflm_scratch_bytes", p.ScratchBytes);
        if (p.TailBytes is { } tail) yield return ("tflm_persistent_bytes", tail);
        if (p.TotalBytes is { } total) yield return ("tflm_arena_bytes", total);
        yield return ("tflm_stored_head_bytes", tflm.Stored.HeadBytes);
        if (tflm.Stored.TotalBytes is { } storedTotal) yield return ("tflm_stored_arena_bytes", storedTotal);
        yield return ("tflm_offline_plan", tflm.OfflinePlan switch
        {
            TflmOfflinePlan.GraphDsl => "graphdsl",
            TflmOfflinePlan.GraphDslWithScratch => "graphdsl+scratch",
            TflmOfflinePlan.TflmPlacement => "tflm-placement",
            _ => NoOfflinePlan,
        });
        if (tflm.Note is { } note) yield return ("tflm_note", note);
        if (!p.IsExact) yield return ("tflm_estimate", string.Join("; ", p.Estimates.Select(e => e.ToString()).Distinct().Take(5)));
        yield return ("tflm_commit", TflmCalibration.ShortCommit);
    }

    /// <summary>The placement written in <paramref name="graph"/>'s annotations, or null when the
    /// graph has no readable <c>@arena_plan</c>. Malformed per-tensor annotations read as missing,
    /// which the verifier reports.</summary>
    public static ArenaLayout? Read(Graph graph, MemoryProblem problem)
    {
        if (graph.Annotations[Plan] is not AttributeValue.Record plan
            || plan.Fields["arena_bytes"]?.AsInt() is not { } arena || plan.Fields["align"]?.AsInt() is not { } align || align <= 0)
            return null;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int t = 0; t < problem.TensorCount; t++) ids.TryAdd(problem.TensorName(t), t);
        var offsets = new long?[problem.TensorCount];
        var sizes = new long?[problem.TensorCount];
        var aliases = new List<TensorAlias>();
        for (int t = 0; t < problem.TensorCount; t++)
        {
            var tensor = problem.Graph.Tensors[problem.Tensors[t]];
            if (tensor.Annotations[WellKnownAnnotations.Arena] is AttributeValue.Record placed)
            {
                offsets[t] = placed.Fields["offset"]?.AsInt();
                sizes[t] = placed.Fields["size"]?.AsInt();
            }
            if (tensor.Annotations[WellKnownAnnotations.Alias] is AttributeValue.Record alias
                && alias.Fields["of"] is AttributeValue.Str of && ids.TryGetValue(of.Value, out var target)
                && alias.Fields["offset"]?.AsInt() is { } offset
                && alias.Fields["reason"] is AttributeValue.Str reason && TryParseReason(reason.Value, out var why))
                aliases.Add(new TensorAlias(t, target, offset, why));
        }
        return new ArenaLayout(offsets, sizes, aliases, arena, align);
    }

    public static string ReasonText(AliasReason reason) => reason switch
    {
        AliasReason.View => "view",
        AliasReason.InPlace => "inplace",
        _ => "concat",
    };

    private static bool TryParseReason(string text, out AliasReason reason)
    {
        foreach (var r in Enum.GetValues<AliasReason>())
            if (ReasonText(r) == text) { reason = r; return true; }
        reason = default;
        return false;
    }

    private static AttributeValue Record(params (string Key, AttributeValue Value)[] fields) =>
        new AttributeValue.Record(AttributeMap.From(fields));
}
