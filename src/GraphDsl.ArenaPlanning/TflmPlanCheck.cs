using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Tflm;

namespace GraphDsl.ArenaPlanning;

/// <summary>Which offsets the written model carries for TFLM (metadata <c>OfflineMemoryAllocation</c>).</summary>
public enum TflmOfflinePlan
{
    /// <summary>GraphDsl's placement of the main graph's activations.</summary>
    GraphDsl,
    /// <summary>GraphDsl's placement made with TFLM's online buffers (scratch, other subgraphs) in view.</summary>
    GraphDslWithScratch,
    /// <summary>The placement TFLM's own planner gives the main graph's tensors, written as fixed offsets.</summary>
    TflmPlacement,
    /// <summary>No offline plan: TFLM plans everything itself.</summary>
    None,
}

/// <summary>What TFLM will do with a plan, by <see cref="TflmArenaModel"/>: its own plan of the
/// input (stored order, no offline plan) and its plan of the model as it will be written.</summary>
/// <param name="Stored">TFLM's own plan of the input model, the figure never to exceed.</param>
/// <param name="Predicted">TFLM's plan of the written model (chosen order and offline plan).</param>
/// <param name="OfflinePlan">What the written model carries.</param>
/// <param name="KeptStoredOrder">True when the new order lost against the stored one under TFLM and was dropped.</param>
/// <param name="Note">Why the GraphDsl placement was not written, when it was not.</param>
public sealed record TflmPlanCheck(TflmArena Stored, TflmArena Predicted, TflmOfflinePlan OfflinePlan, bool KeptStoredOrder, string? Note);

/// <summary>Chooses what to write so that TFLM's head is never above its own plan of the input
/// (issue #13.3): candidates are GraphDsl's placement, the same placement re-planned with TFLM's
/// online buffers in view, TFLM's own placement written as an offline plan, no offline plan, and
/// the stored order with no plan; the smallest predicted head wins, earlier candidates on ties.</summary>
public static class TflmPlanSelection
{
    /// <summary>A candidate offline plan for the main graph's tensors by tensor index (-1: online),
    /// or null for none.</summary>
    public static long[] OfflineOffsets(MemoryProblem problem, IReadOnlyList<long> offsets)
    {
        var result = Enumerable.Repeat(-1L, problem.Graph.Tensors.Count).ToArray();
        for (int t = 0; t < problem.TensorCount; t++) result[problem.Tensors[t]] = offsets[t];
        return result;
    }

    /// <summary>Online TFLM buffers (scratch, tensors of other subgraphs) as extra intervals on the
    /// main graph's steps, ids from <paramref name="firstId"/>: a buffer alive in the scopes of a
    /// step (its operator and the subgraphs it calls) is alive at that step.</summary>
    public static List<BufferInterval> OnlineIntervals(TflmArena own, int steps, int firstId)
    {
        var result = new List<BufferInterval>();
        if (steps == 0) return result;
        foreach (var b in own.Buffers)
        {
            if (b.Kind == TflmBufferKind.Tensor && b.Subgraph == 0) continue;
            if (b.FirstCreated < 0) continue; // untouched: alive at no step of the main graph
            result.Add(new BufferInterval(firstId + result.Count, b.PlannedBytes, StepOf(own, b.FirstCreated, steps), StepOf(own, b.LastUsed, steps)));
        }
        return result;
    }

    // Scope 0 is the main graph's entry, GraphDsl's step before the first operator (-1).
    private static int StepOf(TflmArena own, int scope, int steps)
    {
        int step = Liveness.BeforeFirstOperator;
        for (int s = 0; s < steps; s++) if (own.MainStepScopes[s] <= scope) step = s;
        return step;
    }

    /// <summary>True when no two activations alive at the same step (GraphDsl's liveness) share bytes.</summary>
    public static bool DisjointUnder(MemoryProblem problem, Liveness liveness, IReadOnlyList<long> offsets)
    {
        var ids = Enumerable.Range(0, problem.TensorCount).OrderBy(t => offsets[t]).ToArray();
        for (int i = 0; i < ids.Length; i++)
        {
            int a = ids[i];
            for (int j = i + 1; j < ids.Length && offsets[ids[j]] < offsets[a] + problem.Size[a]; j++)
            {
                int b = ids[j];
                if (problem.Size[a] > 0 && problem.Size[b] > 0 && liveness.Overlap(a, b)) return false;
            }
        }
        return true;
    }
}
