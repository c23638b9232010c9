using GraphDsl.Analysis;

namespace GraphDsl.Scheduling.Tests;

/// <summary>The oracle: enumerates every topological order (operator b waits for a when b reads
/// a tensor that a writes) and measures each with <see cref="MemoryProfile"/>.</summary>
public static class BruteForceOrders
{
    public static long MinimumPeak(MemoryProblem problem, out long orders)
    {
        int n = problem.OperatorCount;
        var mustFollow = new List<int>[n];
        for (int op = 0; op < n; op++) mustFollow[op] = new List<int>();
        for (int t = 0; t < problem.TensorCount; t++)
            if (problem.Producer[t] >= 0)
                foreach (var c in problem.Consumers[t])
                    if (c != problem.Producer[t]) mustFollow[c].Add(problem.Producer[t]);
        var order = new List<int>();
        var used = new bool[n];
        long best = long.MaxValue, count = 0;
        void Extend()
        {
            if (order.Count == n)
            {
                count++;
                best = Math.Min(best, MemoryProfile.Compute(problem, order).PeakBytes);
                return;
            }
            for (int op = 0; op < n; op++)
            {
                if (used[op] || mustFollow[op].Any(p => !used[p])) continue;
                used[op] = true; order.Add(op);
                Extend();
                used[op] = false; order.RemoveAt(order.Count - 1);
            }
        }
        Extend();
        orders = count;
        return best;
    }
}
