using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning.Strategies;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Tflm;

namespace GraphDsl.ArenaPlanning;

/// <summary>Plans the activation arena of one graph for one execution order.</summary>
/// <remarks>
/// Stages: 1. liveness of every activation under the order; 2. reuse analysis groups activations
/// into buffers (<see cref="ReuseAnalysis"/>); 3. the chosen strategy places the buffers;
/// 4. offsets of the activations follow from their buffer's offset. The TensorFlow Lite Micro
/// baseline is TFLM's own plan of the same model and order (<see cref="TflmArenaModel"/>: its
/// allocator's buffers and lifetimes, its <c>GreedyMemoryPlanner</c>). Buffer lifetimes merged by
/// reuse can outweigh what reuse saves, so <c>auto</c> also plans separate buffers when its reuse
/// plan ends above the liveness peak and keeps the smaller arena, and it falls back to the
/// baseline layout when it would end above it. Last, <see cref="TflmPlanSelection"/> checks what
/// TFLM will do with the plan (scratch buffers and other subgraphs are planned by TFLM around
/// it) and picks what to write so that TFLM's head never exceeds its own plan of the input.
/// </remarks>
public static class ArenaPlanner
{
    /// <summary>Plans <paramref name="graph"/> under <paramref name="order"/> (null: its current
    /// order), reporting problems to <paramref name="diagnostics"/>; null when it cannot plan.</summary>
    public static ArenaPlan? Plan(Graph graph, IReadOnlyList<int>? order, ArenaPlanOptions options,
        DiagnosticBag diagnostics, Location? location, CancellationToken cancellation = default) =>
        Plan(Model.Of(graph), order, options, diagnostics, location, cancellation);

    /// <summary>Plans the main graph of <paramref name="model"/>; its other subgraphs (WHILE, IF,
    /// CALL_ONCE bodies) count in TFLM's figures as TFLM plans them around the main graph.</summary>
    public static ArenaPlan? Plan(Model model, IReadOnlyList<int>? order, ArenaPlanOptions options,
        DiagnosticBag diagnostics, Location? location, CancellationToken cancellation = default)
    {
        var graph = model.Main;
        var problem = MemoryProblem.TryCreate(graph, out var unsized);
        if (problem is null)
        {
            AnalysisDiagnostics.ReportUnsized(graph, unsized, diagnostics);
            return null;
        }
        return Plan(problem, order, options, diagnostics, location, cancellation, model);
    }

    /// <summary>Plans the activation view <paramref name="problem"/> (from the analysis cache) under
    /// <paramref name="order"/> (null: the graph's current order) after checking the options and
    /// the order; null, with diagnostics, when it cannot plan.</summary>
    /// <param name="model">The whole model, for TFLM's figures (null: the problem's graph alone).</param>
    /// <param name="stored">TFLM's arena of the model as stored, from the analysis cache
    /// (<c>GetAnalysis&lt;TflmArena&gt;</c>); null: computed here.</param>
    public static ArenaPlan? Plan(MemoryProblem problem, IReadOnlyList<int>? order, ArenaPlanOptions options,
        DiagnosticBag diagnostics, Location? location, CancellationToken cancellation = default, Model? model = null,
        TflmArena? stored = null)
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
        return Plan(problem, order, options, strategy, cancellation, model, stored);
    }

    /// <summary>Plans a checked problem and order with a given strategy (no user input left to check).</summary>
    /// <param name="model">The whole model, for TFLM's figures (null: the problem's graph alone).</param>
    /// <param name="stored">TFLM's arena of the model as stored (the analysis); null: computed here.</param>
    public static ArenaPlan Plan(MemoryProblem problem, IReadOnlyList<int> order, ArenaPlanOptions options,
        IArenaStrategy strategy, CancellationToken cancellation = default, Model? model = null, TflmArena? stored = null)
    {
        model ??= Model.Of(problem.Graph);
        stored ??= TflmArenaModel.Compute(model);
        bool isStored = IsStoredOrder(order);
        var liveness = Liveness.Compute(problem, order);
        long peak = MemoryProfile.Compute(problem, order).PeakBytes;
        var separate = BufferAssignment.Separate(problem, liveness);
        var own = isStored ? stored : TflmArenaModel.Compute(model, mainOrder: order);
        var baseline = TflmBaseline(problem, liveness, separate, own, options.Alignment, cancellation);

        var assignment = ReuseAnalysis.Compute(problem, order, liveness, options.Reuse, options.Alignment);
        var placement = strategy.Place(assignment.Buffers, options.Alignment, cancellation);
        var reuse = options.Reuse;
        // "auto" also chooses the buffer assignment, not only the placement, so this part of its
        // policy lives here: an IArenaStrategy places one given set of buffers (TVM's split), while
        // comparing the reuse assignment, separate buffers and TFLM's own layout needs the planner's
        // three assignments. A strategy named explicitly is taken at its word.
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
        var offsets = OffsetsOf(problem, assignment, placement);
        var plan = new ArenaPlan(order.ToArray(), assignment, placement, offsets, placement.ArenaBytes, peak,
            assignment.AdjustedPeak(problem, liveness), own.TensorOnlyHeadBytes, placement.Strategy,
            placement.ProvenMinimal, options.Alignment, reuse);
        return ForTflm(problem, liveness, plan, own, stored, model, options, strategy, cancellation);
    }

    private static bool IsStoredOrder(IReadOnlyList<int> order) => order.Select((op, step) => op == step).All(x => x);

    private static long[] OffsetsOf(MemoryProblem problem, BufferAssignment assignment, ArenaPlacement placement)
    {
        var offsets = new long[problem.TensorCount];
        for (int t = 0; t < offsets.Length; t++)
            offsets[t] = placement.Offsets[assignment.BufferOf[t]] + assignment.OffsetInBuffer[t];
        return offsets;
    }

    /// <summary>TFLM's own placement of the activations (tensors alone), as a layout of separate
    /// buffers; GraphDsl's old greedy look-alike only where TFLM's lifetimes are shorter than
    /// GraphDsl's (an input nobody reads lives before the first operator only) and its layout would
    /// not pass GraphDsl's verifier.</summary>
    private static ArenaPlacement TflmBaseline(MemoryProblem problem, Liveness liveness, BufferAssignment separate,
        TflmArena own, long alignment, CancellationToken cancellation)
    {
        var offsets = new long[problem.TensorCount];
        long end = 0;
        for (int t = 0; t < offsets.Length; t++)
        {
            offsets[t] = own.TensorOnlyOffsets.TryGetValue((0, problem.Tensors[t]), out var o) ? o : 0;
            end = Math.Max(end, offsets[t] + BufferInterval.AlignUp(problem.Size[t], alignment));
        }
        bool aligned = offsets.All(o => o % alignment == 0);
        return aligned && TflmPlanSelection.DisjointUnder(problem, liveness, offsets)
            ? new ArenaPlacement(offsets, end, false, "tflm-greedy")
            : new GreedyBySizeStrategy().Place(separate.Buffers, alignment, cancellation);
    }

    /// <summary>Applies <see cref="TflmPlanSelection"/>: the plan as TFLM will run it.</summary>
    private static ArenaPlan ForTflm(MemoryProblem problem, Liveness liveness, ArenaPlan plan, TflmArena own, TflmArena stored,
        Model model, ArenaPlanOptions options, IArenaStrategy strategy, CancellationToken cancellation)
    {
        var order = plan.Order;
        bool isStored = IsStoredOrder(order);
        var candidates = new List<(TflmOfflinePlan Kind, TflmArena Predicted, Func<ArenaPlan> Plan)>();
        {
            var a = TflmArenaModel.Compute(model, mainOrder: order, mainOfflineOffsets: TflmPlanSelection.OfflineOffsets(problem, plan.Offsets));
            candidates.Add((TflmOfflinePlan.GraphDsl, a, () => plan));
            var extra = TflmPlanSelection.OnlineIntervals(own, order.Count, plan.Assignment.Buffers.Count);
            if (extra.Count > 0 && a.HeadBytes > own.HeadBytes)
            {
                var placement = strategy.Place([.. plan.Assignment.Buffers, .. extra], options.Alignment, cancellation);
                var offsets = OffsetsOf(problem, plan.Assignment, placement);
                var a2 = TflmArenaModel.Compute(model, mainOrder: order, mainOfflineOffsets: TflmPlanSelection.OfflineOffsets(problem, offsets));
                long arena = plan.Assignment.Buffers.Select(b => placement.Offsets[b.Id] + b.AlignedSize(options.Alignment)).DefaultIfEmpty(0).Max();
                candidates.Add((TflmOfflinePlan.GraphDslWithScratch, a2, () => plan with
                {
                    Placement = placement with { ArenaBytes = arena, ProvenMinimal = false },
                    Offsets = offsets, ArenaBytes = arena, ProvenMinimal = false, Strategy = placement.Strategy + "+tflm-scratch",
                }));
            }
        }
        var tflmOffsets = Enumerable.Range(0, problem.TensorCount).Select(t => own.MainTensorOffset(problem.Tensors[t]) ?? 0).ToArray();
        if (TflmPlanSelection.DisjointUnder(problem, liveness, tflmOffsets) && tflmOffsets.All(o => o % options.Alignment == 0))
        {
            var b = TflmArenaModel.Compute(model, mainOrder: order, mainOfflineOffsets: TflmPlanSelection.OfflineOffsets(problem, tflmOffsets));
            long arena = Enumerable.Range(0, problem.TensorCount).Select(t => tflmOffsets[t] + BufferInterval.AlignUp(problem.Size[t], options.Alignment)).DefaultIfEmpty(0).Max();
            var separate = BufferAssignment.Separate(problem, liveness);
            candidates.Add((TflmOfflinePlan.TflmPlacement, b, () => plan with
            {
                Assignment = separate, Placement = new ArenaPlacement(tflmOffsets, arena, false, "tflm-placement"),
                Offsets = tflmOffsets, ArenaBytes = arena, ProvenMinimal = false, Strategy = "tflm-placement",
                Reuse = ReuseKinds.None, AdjustedPeakBytes = plan.PeakBytes,
            }));
        }
        candidates.Add((TflmOfflinePlan.None, own, () => plan));

        var best = candidates.OrderBy(c => c.Predicted.HeadBytes).First(); // OrderBy is stable: earlier wins ties
        if (!isStored && best.Predicted.HeadBytes > stored.HeadBytes)
        {
            var storedPlan = Plan(problem, ExecutionOrder.Stored(problem.Graph), options, strategy, cancellation, model, stored);
            return storedPlan with
            {
                Tflm = storedPlan.Tflm! with
                {
                    KeptStoredOrder = true,
                    Note = $"TFLM needs {best.Predicted.HeadBytes} B for the new order but {stored.HeadBytes} B for the stored one: the stored order is kept"
                        + (storedPlan.Tflm.Note is { } n ? "; " + n : ""),
                },
            };
        }
        string? note = best.Kind switch
        {
            TflmOfflinePlan.GraphDsl => null,
            TflmOfflinePlan.GraphDslWithScratch => $"placed around TFLM's scratch buffers: TFLM head {best.Predicted.HeadBytes} B instead of {candidates[0].Predicted.HeadBytes} B",
            TflmOfflinePlan.TflmPlacement => $"TFLM's own placement is written as the offline plan: GraphDsl's would give TFLM a head of {candidates[0].Predicted.HeadBytes} B, above {best.Predicted.HeadBytes} B",
            _ => $"no offline plan is written: GraphDsl's placement would give TFLM a head of {candidates[0].Predicted.HeadBytes} B, above TFLM's own {own.HeadBytes} B",
        };
        return best.Plan() with { Tflm = new TflmPlanCheck(stored, best.Predicted, best.Kind, false, note) };
    }
}
