namespace GraphDsl.Scheduling.Search;

/// <summary>Quick complete schedules that give the exact search its first upper bound: at each
/// step take the best move by one fixed rule.</summary>
internal static class GreedyScheduler
{
    /// <summary>Rules for picking the next move; every rule breaks ties by operator index, so
    /// results are deterministic.</summary>
    public static readonly IReadOnlyList<Comparison<MoveOption>> Rules =
    [
        // Memory released first: keeps the resident set small, the classic peak heuristic.
        (a, b) => (a.Delta, a.Cost, a.Head).CompareTo((b.Delta, b.Cost, b.Head)),
        // Cheapest step first: avoids a large step while much else is alive.
        (a, b) => (a.Cost, a.Delta, a.Head).CompareTo((b.Cost, b.Delta, b.Head)),
        // Stored order with lazy sources: never worse than the stored order itself.
        (a, b) => a.Head.CompareTo(b.Head),
    ];

    /// <summary>Runs one rule from the empty schedule; returns the order and its peak.</summary>
    public static (int[] Order, long Peak) Run(ScheduleStructure structure, Comparison<MoveOption> rule)
    {
        var state = new ScheduleState(structure);
        var evaluator = new MoveEvaluator();
        var options = new List<MoveOption>();
        var order = new List<int>(structure.OperatorCount);
        long peak = structure.OrderIndependentBytes;
        while (!state.IsComplete)
        {
            evaluator.Evaluate(state, options);
            var best = options[0];
            foreach (var o in options) if (rule(o, best) < 0) best = o;
            peak = Math.Max(peak, state.ApplyMove(best.Head, order));
        }
        return (order.ToArray(), peak);
    }
}
