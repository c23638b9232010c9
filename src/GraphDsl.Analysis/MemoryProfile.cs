namespace GraphDsl.Analysis;

/// <summary>Activation bytes while one operator runs: what it reads, what it writes, and what
/// else must stay alive meanwhile.</summary>
public sealed record OperatorMemory(int Step, int Operator, long InputBytes, long OutputBytes, long OtherBytes)
{
    public long TotalBytes => InputBytes + OutputBytes + OtherBytes;
}

/// <summary>Tensor Memory Mapping: the per-operator activation memory of one execution order,
/// its peak, and the order-independent lower bound.</summary>
/// <param name="Rows">One row per operator, in execution order (none for a graph with no operators).</param>
/// <param name="PeakBytes">Most bytes alive at one step, the step before the first operator included.</param>
/// <param name="PeakStep">Step of the peak (the first one reaching it), or
/// <see cref="Liveness.BeforeFirstOperator"/> when only the inputs' step reaches it.</param>
/// <param name="LowerBoundBytes">See <see cref="LowerBound"/>.</param>
/// <param name="BeforeFirstOperatorBytes">Bytes alive before the first operator runs: the graph
/// inputs and tensors nobody writes (the same in every order).</param>
public sealed record MemoryProfile(IReadOnlyList<OperatorMemory> Rows, long PeakBytes, int PeakStep, long LowerBoundBytes,
    long BeforeFirstOperatorBytes = 0)
{
    /// <summary>Computes the profile; rows are in execution order.</summary>
    public static MemoryProfile Compute(MemoryProblem problem, IReadOnlyList<int> order)
    {
        var live = Liveness.Compute(problem, order);
        var alive = live.BytesPerStep(order.Count, t => problem.Size[t]);
        long before = alive[0], peak = before;
        int peakStep = Liveness.BeforeFirstOperator;
        var rows = new List<OperatorMemory>(order.Count);
        for (int step = 0; step < order.Count; step++)
        {
            int op = order[step];
            long inputs = problem.OperatorInputs[op].Sum(t => problem.Size[t]);
            long outputs = problem.OperatorOutputs[op].Where(t => !problem.OperatorInputs[op].Contains(t)).Sum(t => problem.Size[t]);
            long bytes = alive[step + 1];
            rows.Add(new OperatorMemory(step, op, inputs, outputs, bytes - inputs - outputs));
            // At equal bytes name an operator rather than the inputs' step.
            if (bytes > peak || (bytes == peak && peakStep < 0)) { peak = bytes; peakStep = step; }
        }
        return new MemoryProfile(rows, peak, peakStep, LowerBound(problem), before);
    }

    /// <summary>No order can go below this: the largest inputs-plus-outputs of a single operator,
    /// or the bytes alive before the first operator (every graph input and never-written tensor,
    /// alive at that step in every order) when those are more.</summary>
    public static long LowerBound(MemoryProblem problem)
    {
        long bound = BeforeFirstOperator(problem);
        for (int op = 0; op < problem.OperatorCount; op++)
        {
            long sum = problem.OperatorInputs[op].Concat(problem.OperatorOutputs[op]).Distinct().Sum(t => problem.Size[t]);
            bound = Math.Max(bound, sum);
        }
        return bound;
    }

    /// <summary>Bytes alive before the first operator in any order (see <see cref="Liveness"/>).</summary>
    public static long BeforeFirstOperator(MemoryProblem problem) =>
        Enumerable.Range(0, problem.TensorCount).Where(problem.LivesFromStart).Sum(t => problem.Size[t]);
}
