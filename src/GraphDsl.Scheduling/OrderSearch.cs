using System.Diagnostics;
using GraphDsl.Analysis;
using GraphDsl.Scheduling.Search;

namespace GraphDsl.Scheduling;

/// <summary>Finds the execution order with the smallest activation peak (TFLite Micro's view,
/// as <see cref="MemoryProfile"/> measures it) and proves how close it is to the optimum.</summary>
/// <remarks>
/// Stages: 1. precedence and lazy sources (<see cref="ScheduleStructure"/>); 2. upper bound from
/// the stored order and greedy orders (<see cref="GreedyScheduler"/>); 3. a cheap lower bound (the
/// largest single step); if the bounds meet, done; 4. otherwise the exact threshold search
/// (<see cref="ThresholdSearch"/>) within the time and state budget; 5. the chosen order is
/// measured with <see cref="MemoryProfile"/>, and is never worse than the stored order.
/// </remarks>
public static class OrderSearch
{
    public static OrderSearchResult Run(MemoryProblem problem, OrderSearchOptions? options = null)
    {
        options ??= OrderSearchOptions.Default;
        var clock = Stopwatch.StartNew();
        int n = problem.OperatorCount;
        var stored = Enumerable.Range(0, n).ToArray();
        long storedPeak = MemoryProfile.Compute(problem, stored).PeakBytes;
        var structure = ScheduleStructure.TryBuild(problem);
        if (structure is null)
            return new OrderSearchResult(stored, storedPeak, storedPeak, 0, false, 0, clock.Elapsed, OrderSearchOutcome.Cyclic);
        if (n == 0)
            return new OrderSearchResult(stored, storedPeak, storedPeak, storedPeak, true, 0, clock.Elapsed, OrderSearchOutcome.Optimal);

        // Upper bound: the stored order when it is valid, then each greedy rule.
        int[] best = stored;
        long bestPeak = ExecutionOrder.IsTopological(problem, stored) ? storedPeak : long.MaxValue;
        foreach (var rule in GreedyScheduler.Rules)
        {
            var (order, peak) = GreedyScheduler.Run(structure, rule);
            if (peak < bestPeak) (best, bestPeak) = (order, peak);
        }

        var limits = new SearchLimits(clock, options.TimeBudget, options.MaxStates, options.Cancellation, options.Progress, options.MemoryBudgetBytes);
        var search = new ThresholdSearch(structure, limits);
        var (goal, lowerBound, outcome) = search.Run(structure.StepLowerBound, bestPeak);
        if (goal >= 0) best = search.OrderOf(goal);

        long finalPeak = MemoryProfile.Compute(problem, best).PeakBytes;
        // The search's own cost model and MemoryProfile agree by construction; the check keeps a
        // disagreement from ever being reported as a proof.
        bool proven = outcome == OrderSearchOutcome.Optimal && finalPeak == lowerBound;
        var result = new OrderSearchResult(best, finalPeak, storedPeak, Math.Min(lowerBound, finalPeak), proven,
            search.States, clock.Elapsed, outcome);
        options.Progress?.Report(new OrderSearchProgress(result.ProvenLowerBoundBytes, finalPeak, search.States, clock.Elapsed));
        return result;
    }
}
