using GraphDsl.Analysis;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.ArenaPlanning;

/// <summary>Checks a placement independently of the planners: every activation placed, aligned
/// and inside the arena; every alias re-justified from the IR; no two activations alive at the
/// same step share a byte unless sound aliases connect them; and the adjusted liveness peak fits.</summary>
/// <remarks>
/// The planners reason about buffers and their merged lifetimes; the verifier reasons only about
/// activations, their own lifetimes and absolute offsets. Overlaps are found by sorting the
/// activations by offset and sweeping with the set of byte ranges still open, instead of the
/// planners' gap search. Alias edges are checked one by one against the rules documented on
/// <see cref="ReuseAnalysis"/>; only edges that pass connect activations into families whose
/// members may share bytes. Buffer roots and graph inputs and outputs must sit at multiples of the
/// arena alignment; an aliased activation (a concat slice starts wherever the previous input ends)
/// at a multiple of its element size.
/// </remarks>
public static class ArenaPlanVerifier
{
    public static IReadOnlyList<Diagnostic> Verify(MemoryProblem problem, IReadOnlyList<int> order, ArenaLayout layout)
    {
        var found = new List<Diagnostic>();
        var liveness = Liveness.Compute(problem, order);
        var position = new int[problem.OperatorCount];
        for (int s = 0; s < order.Count; s++) position[order[s]] = s;
        var at = new Location?[problem.TensorCount];
        for (int t = 0; t < problem.TensorCount; t++) at[t] = problem.Graph.Tensors[problem.Tensors[t]].Origin.Location;
        string Name(int t) => problem.TensorName(t);

        var placed = new bool[problem.TensorCount];
        for (int t = 0; t < problem.TensorCount; t++)
        {
            if (layout.Offset[t] is not { } offset || layout.Size[t] is not { } size || offset < 0)
            {
                found.Add(Diagnostic.Create(ArenaDiagnostics.MissingPlacement, at[t], Name(t)));
                continue;
            }
            if (size != problem.Size[t]) found.Add(Diagnostic.Create(ArenaDiagnostics.WrongSize, at[t], Name(t), size, problem.Size[t]));
            else placed[t] = true;
            if (offset + size > layout.ArenaBytes)
                found.Add(Diagnostic.Create(ArenaDiagnostics.OutsideArena, at[t], Name(t), offset + size, layout.ArenaBytes));
        }
        long Start(int t) => layout.Offset[t]!.Value;
        long End(int t) => layout.Offset[t]!.Value + problem.Size[t];

        // Alias edges, each checked on its own; sound ones join families.
        var family = Enumerable.Range(0, problem.TensorCount).ToArray();
        int Find(int t) { while (family[t] != t) t = family[t] = family[family[t]]; return t; }
        var parent = new Dictionary<int, TensorAlias>();
        foreach (var a in layout.Aliases) parent.TryAdd(a.Tensor, a);
        var aliased = new bool[problem.TensorCount];
        foreach (var alias in layout.Aliases)
        {
            if (!placed[alias.Tensor] || !placed[alias.Of]) continue;
            var why = new AliasRules(problem, liveness, position, layout, parent).WhyUnsound(alias);
            if (why is null)
            {
                family[Find(alias.Tensor)] = Find(alias.Of);
                aliased[alias.Tensor] = true;
            }
            else found.Add(Diagnostic.Create(ArenaDiagnostics.UnsoundAlias, at[alias.Tensor], Name(alias.Tensor), Name(alias.Of), alias.Reason, why));
        }

        for (int t = 0; t < problem.TensorCount; t++)
        {
            long required = !aliased[t] || problem.IsGraphInput[t] || problem.IsGraphOutput[t]
                ? layout.Alignment : ReuseAnalysis.ElementBytes(problem, t);
            if (placed[t] && Start(t) % required != 0)
                found.Add(Diagnostic.Create(ArenaDiagnostics.Misaligned, at[t], Name(t), Start(t), required));
        }

        // Sweep by offset: 'open' holds the activations whose bytes reach past the current start.
        var open = new List<int>();
        foreach (var t in Enumerable.Range(0, problem.TensorCount).Where(t => placed[t] && problem.Size[t] > 0)
                     .OrderBy(Start).ThenBy(t => t))
        {
            open.RemoveAll(o => End(o) <= Start(t));
            foreach (var o in open)
            {
                if (!liveness.Overlap(o, t) || Find(o) == Find(t)) continue;
                int step = Math.Max(liveness.First[o], liveness.First[t]);
                found.Add(Diagnostic.Create(ArenaDiagnostics.Overlap, at[t], Name(o), Start(o), End(o) - 1,
                    liveness.First[o], liveness.Last[o], Name(t), Start(t), End(t) - 1, liveness.First[t], liveness.Last[t], step));
            }
            open.Add(t);
        }

        if (found.Count == 0)
        {
            var (peak, peakStep) = FamilyPeak(problem, liveness, order.Count, Find, Start, End);
            if (peak > layout.ArenaBytes)
                found.Add(Diagnostic.Create(ArenaDiagnostics.PeakAboveArena, null, peak, peakStep, layout.ArenaBytes));
        }
        return found;
    }

    /// <summary>The in-place-adjusted peak: at each step, the bytes covered by each family's live
    /// activations (shared bytes once), summed over families.</summary>
    private static (long Peak, int Step) FamilyPeak(MemoryProblem problem, Liveness liveness, int steps,
        Func<int, int> family, Func<int, long> start, Func<int, long> end)
    {
        long peak = 0;
        int peakStep = 0;
        for (int step = Liveness.EarliestStep; step < steps; step++)
        {
            long total = 0;
            var live = Enumerable.Range(0, problem.TensorCount).Where(t => liveness.IsLiveAt(t, step));
            foreach (var members in live.GroupBy(family))
                total += ByteRanges.Covered(members.Select(t => (start(t), end(t))));
            if (total > peak) (peak, peakStep) = (total, step);
        }
        return (peak, peakStep);
    }
}
