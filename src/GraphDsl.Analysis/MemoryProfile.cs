namespace GraphDsl.Analysis;

/// <summary>Activation bytes while one operator runs: what it reads, what it writes, and what
/// else must stay alive meanwhile.</summary>
public sealed record OperatorMemory(int Step, int Operator, long InputBytes, long OutputBytes, long OtherBytes)
{
    public long TotalBytes => InputBytes + OutputBytes + OtherBytes;
}

/// <summary>Tensor Memory Mapping: the per-operator activation memory of one execution order,
/// its peak, and the order-independent lower bound.</summary>
public sealed record MemoryProfile(IReadOnlyList<OperatorMemory> Rows, long PeakBytes, int PeakStep, long LowerBoundBytes)
{
    /// <summary>Computes the profile; rows are in execution order.</summary>
    public static MemoryProfile Compute(MemoryProblem problem, IReadOnlyList<int> order)
    {
        var live = Liveness.Compute(problem, order);
        // Bytes alive at each step, by a sweep over interval ends.
        var delta = new long[order.Count + 1];
        for (int t = 0; t < problem.TensorCount; t++)
        {
            delta[live.First[t]] += problem.Size[t];
            delta[live.Last[t] + 1] -= problem.Size[t];
        }
        var rows = new List<OperatorMemory>(order.Count);
        long alive = 0, peak = 0;
        int peakStep = 0;
        for (int step = 0; step < order.Count; step++)
        {
            alive += delta[step];
            int op = order[step];
            long inputs = problem.OperatorInputs[op].Sum(t => problem.Size[t]);
            long outputs = problem.OperatorOutputs[op].Where(t => !problem.OperatorInputs[op].Contains(t)).Sum(t => problem.Size[t]);
            rows.Add(new OperatorMemory(step, op, inputs, outputs, alive - inputs - outputs));
            if (alive > peak) { peak = alive; peakStep = step; }
        }
        return new MemoryProfile(rows, peak, peakStep, LowerBound(problem));
    }

    /// <summary>No order can go below the largest inputs-plus-outputs of a single operator.</summary>
    public static long LowerBound(MemoryProblem problem)
    {
        long bound = 0;
        for (int op = 0; op < problem.OperatorCount; op++)
        {
            long sum = problem.OperatorInputs[op].Concat(problem.OperatorOutputs[op]).Distinct().Sum(t => problem.Size[t]);
            bound = Math.Max(bound, sum);
        }
        return bound;
    }
}
