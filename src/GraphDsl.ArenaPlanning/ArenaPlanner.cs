using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning.Strategies;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.ArenaPlanning;

/// <summary>Plans the activation arena of one graph for one execution order.</summary>
/// <remarks>
/// Stages: 1. liveness of every activation under the order; 2. reuse analysis groups activations
/// into buffers (<see cref="ReuseAnalysis"/>); 3. the chosen strategy places the buffers;
/// 4. offsets of the activations follow from their buffer's offset. The TensorFlow Lite Micro
/// baseline (greedy by size, no reuse) is planned alongside. Buffer lifetimes merged by reuse can
/// outweigh what reuse saves, so <c>auto</c> also plans separate buffers when its reuse plan ends
/// above the liveness peak and keeps the smaller arena, and it falls back to the baseline layout
/// when it would end above it: <c>auto</c> is never worse than TensorFlow Lite Micro.
/// </remarks>
public static class ArenaPlanner
{
    /// <summary>Plans <paramref name="graph"/> under <paramref name="order"/> (null: its current
    /// order), reporting problems to <paramref name="diagnostics"/>; null when it cannot plan.</summary>
    public static ArenaPlan? Plan(Graph graph, IReadOnlyList<int>? order, ArenaPlanOptions options,
        DiagnosticBag diagnostics, Location? location, CancellationToken cancellation = default)
    {
        var problem = MemoryProblem.TryCreate(graph, out var unsized);
        if (problem is null)
        {
            AnalysisDiagnostics.ReportUnsized(graph, unsized, diagnostics);
            return null;
        }
        return Plan(problem, order, options, diagnostics, location, cancellation);
    }

    /// <summary>Plans the activation view <paramref name="problem"/> (from the analysis cache) under
    /// <paramref name="order"/> (null: the graph's current order) after checking the options and
    /// the order; null, with diagnostics, when it cannot plan.</summary>
    public static ArenaPlan? Plan(MemoryProblem problem, IReadOnlyList<int>? order, ArenaPlanOptions options,
        DiagnosticBag diagnostics, Location? location, CancellationToken cancellation = default)
    {
        if (options.Alignment <= 0 || (options.Alignment & (options.Alignment - 1)) != 0)
        {
            diagnostics.Report(ArenaDiagnostics.BadAlignment, location, options.Alignment);
            return null;
        }
        var strategy = ArenaStrategies.Create(options.Strategy, new ArenaStrategyOptions(options.BudgetMilliseconds));
        if (strategy is null)
        {
            diagnostics.Report(ArenaDiagnostics.UnknownStrategy, location, options.Strategy, string.Join(", ", ArenaStrategies.Names));
            return null;
        }
        order ??= ExecutionOrder.Current(problem.Graph);
        if (!ExecutionOrder.IsTopological(problem, order))
        {
            diagnostics.Report(ArenaDiagnostics.OrderNotTopological, location);
            return null;
        }
        return Plan(problem, order, options, strategy, cancellation);
    }

    /// <summary>Plans a checked problem and order with a given strategy (no user input left to check).</summary>
    public static ArenaPlan Plan(MemoryProblem problem, IReadOnlyList<int> order, ArenaPlanOptions options,
        IArenaStrategy strategy, CancellationToken cancellation = default)
    {
        var liveness = Liveness.Compute(problem, order);
        long peak = MemoryProfile.Compute(problem, order).PeakBytes;
        var separate = BufferAssignment.Separate(problem, liveness);
        var baseline = new GreedyBySizeStrategy().Place(separate.Buffers, options.Alignment, cancellation);

        var assignment = ReuseAnalysis.Compute(problem, order, liveness, options.Reuse, options.Alignment);
        var placement = strategy.Place(assignment.Buffers, options.Alignment, cancellation);
        var reuse = options.Reuse;
        if (strategy is AutoStrategy && reuse != ReuseKinds.None && placement.ArenaBytes > peak)
        {
            // Separate buffers can reach the liveness peak, which the reuse plan missed: try them
            // with the same strategy and keep whichever arena is smaller.
            var plain = strategy.Place(separate.Buffers, options.Alignment, cancellation);
            if (plain.ArenaBytes < placement.ArenaBytes) (assignment, placement, reuse) = (separate, plain, ReuseKinds.None);
        }
        if (strategy is AutoStrategy && placement.ArenaBytes > baseline.ArenaBytes)
        {
            (assignment, placement, reuse) = (separate, baseline with { Strategy = "auto:tflm-baseline" }, ReuseKinds.None);
        }
        var offsets = new long[problem.TensorCount];
        for (int t = 0; t < offsets.Length; t++)
            offsets[t] = placement.Offsets[assignment.BufferOf[t]] + assignment.OffsetInBuffer[t];
        return new ArenaPlan(order.ToArray(), assignment, placement, offsets, placement.ArenaBytes, peak,
            assignment.AdjustedPeak(problem, liveness), baseline.ArenaBytes, placement.Strategy,
            placement.ProvenMinimal, options.Alignment, reuse);
    }
}
