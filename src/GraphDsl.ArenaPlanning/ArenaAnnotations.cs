using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Tflm;

namespace GraphDsl.ArenaPlanning;

/// <summary>The rewrite part of arena planning and its inverse: writes a plan into the IR as
/// annotations and reads a placement back for the verifier.</summary>
/// <remarks>
/// Every activation gets <c>@arena(offset=, size=)</c>; an activation sharing bytes gets
/// <c>@alias(of="x", offset=, reason="view"|"inplace"|"concat"|"slice")</c> (offset relative to x); the
/// graph gets <c>@arena_plan(...)</c> with the figures. Stale <c>@alias</c> annotations from an
/// earlier plan are removed, so the printed IR shows exactly this plan's decisions.
/// </remarks>
public static class ArenaAnnotations
{
    public const string Plan = WellKnownAnnotations.ArenaPlan;

    /// <summary>The graph with <paramref name="plan"/> written through <see cref="ArenaAnnotation"/>,
    /// with what each reuse kind saves when <paramref name="savings"/> was measured.</summary>
    public static Graph Write(Graph graph, MemoryProblem problem, ArenaPlan plan, ReuseSavings? savings = null)
    {
        if (plan.Tflm is { KeptStoredOrder: true })
            graph = ExecutionOrderAnnotation.Write(graph, plan.Order); // the order search's order lost under TFLM
        var places = new Dictionary<int, TensorPlace>();
        for (int t = 0; t < problem.TensorCount; t++) places[problem.Tensors[t]] = new TensorPlace(plan.Offsets[t], problem.Size[t]);
        var aliases = plan.Assignment.Aliases.ToDictionary(a => problem.Tensors[a.Tensor],
            a => new TensorAliasRecord(problem.TensorName(a.Of), a.Offset, ReasonText(a.Reason)));
        var summary = new ArenaPlanSummary(plan.ArenaBytes, plan.PeakBytes, plan.AdjustedPeakBytes, plan.TflmGreedyArenaBytes,
            plan.Strategy, plan.ProvenMinimal, plan.Alignment, plan.Fragmentation, ReuseKindsText.Format(plan.Reuse))
        {
            Tflm = plan.Tflm is { } tflm ? TflmSummary(tflm) : null,
            ReuseSavings = savings?.Entries.Select(e => new ReuseSaving(ReuseKindsText.Format(e.Reuse), e.ArenaBytes, e.AdjustedPeakBytes, e.SavedBytes)).ToArray(),
        };
        return ArenaAnnotation.Write(graph, summary, places, aliases);
    }

    /// <summary>TFLM's figures (<see cref="TflmPlanCheck"/>) for <c>@arena_plan</c>: the written
    /// model's head and its parts, TFLM's own plan of the input, and what is written.</summary>
    public static TflmArenaSummary TflmSummary(TflmPlanCheck tflm)
    {
        var p = tflm.Predicted;
        return new TflmArenaSummary(p.HeadBytes, p.ActivationBytes, p.ScratchBytes, p.TailBytes, p.TotalBytes,
            tflm.Stored.HeadBytes, tflm.Stored.TotalBytes,
            tflm.OfflinePlan switch
            {
                TflmOfflinePlan.GraphDsl => "graphdsl",
                TflmOfflinePlan.GraphDslWithScratch => "graphdsl+scratch",
                TflmOfflinePlan.TflmPlacement => "tflm-placement",
                _ => TflmArenaSummary.NoOfflinePlan,
            },
            tflm.Note,
            p.EstimateSummary,
            TflmCalibration.ShortCommit)
        {
            StoredParts = (tflm.Stored.ActivationBytes, tflm.Stored.ScratchBytes),
        };
    }

    /// <summary>The placement written in <paramref name="graph"/>'s annotations, or null when the
    /// graph has no readable <c>@arena_plan</c>. Malformed per-tensor annotations read as missing,
    /// which the verifier reports.</summary>
    public static ArenaLayout? Read(Graph graph, MemoryProblem problem)
    {
        if (ArenaAnnotation.ArenaBytes(graph) is not { } arena || ArenaAnnotation.Alignment(graph) is not { } align) return null;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int t = 0; t < problem.TensorCount; t++) ids.TryAdd(problem.TensorName(t), t);
        var offsets = new long?[problem.TensorCount];
        var sizes = new long?[problem.TensorCount];
        var aliases = new List<TensorAlias>();
        for (int t = 0; t < problem.TensorCount; t++)
        {
            var tensor = problem.Graph.Tensors[problem.Tensors[t]];
            if (ArenaAnnotation.ReadPlace(tensor) is { } place) (offsets[t], sizes[t]) = place;
            if (ArenaAnnotation.ReadAlias(tensor, out _) is { } alias && ids.TryGetValue(alias.Of, out var target)
                && TryParseReason(alias.Reason, out var why))
                aliases.Add(new TensorAlias(t, target, alias.Offset, why));
        }
        return new ArenaLayout(offsets, sizes, aliases, arena, align);
    }

    public static string ReasonText(AliasReason reason) => reason switch
    {
        AliasReason.View => "view",
        AliasReason.InPlace => "inplace",
        AliasReason.Slice => "slice",
        _ => "concat",
    };

    private static bool TryParseReason(string text, out AliasReason reason)
    {
        foreach (var r in Enum.GetValues<AliasReason>())
            if (ReasonText(r) == text) { reason = r; return true; }
        reason = default;
        return false;
    }

}
