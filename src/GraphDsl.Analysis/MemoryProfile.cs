namespace GraphDsl.Analysis;

/// <summary>Activation bytes while one operator runs: what it reads, what it writes, and what
/// else must stay alive meanwhile.</summary>
public sealed record OperatorMemory(int Step, int Operator, long InputBytes, long OutputBytes, long OtherBytes)
{
    public long TotalBytes => InputBytes + OutputBytes + OtherBytes;
}

/// <summary>Tensor Memory Mapping: the per-operator activation memory of one execution order,
/// its peak, and the largest single-operator footprint (no order goes below it; the order
/// search's proven lower bound is a different, usually higher, figure).</summary>
/// <param name="Rows">One row per operator, in execution order (none for a graph with no operators).</param>
/// <param name="PeakBytes">Most bytes alive at one step, the step before the first operator included.</param>
/// <param name="PeakStep">Step of the peak (the first operator step reaching it), or
/// <see cref="Liveness.BeforeFirstOperator"/> / <see cref="Liveness.Untouched"/> when only the
/// inputs' step or the untouched tensors reach it.</param>
/// <param name="LargestOperatorBytes">See <see cref="LargestOperator"/>.</param>
/// <param name="BeforeFirstOperatorBytes">Bytes alive before the first operator runs: the graph
/// inputs and tensors nobody writes (the same in every order).</param>
/// <param name="PeakTensors">Activation ids alive at the peak step, largest first.</param>
public sealed record MemoryProfile(IReadOnlyList<OperatorMemory> Rows, long PeakBytes, int PeakStep, long LargestOperatorBytes,
    long BeforeFirstOperatorBytes = 0, IReadOnlyList<int>? PeakTensors = null)
{
    /// <summary>Computes the profile; rows are in execution order.</summary>
    public static MemoryProfile Compute(MemoryProblem problem, IReadOnlyList<int> order)
    {
        var live = Liveness.Compute(problem, order);
        var alive = live.BytesPerStep(order.Count, t => problem.Size[t]);
        long At(int step) => alive[step - Liveness.EarliestStep];
        long before = At(Liveness.BeforeFirstOperator), peak = -1;
        int peakStep = Liveness.EarliestStep;
        for (int step = Liveness.EarliestStep; step < 0; step++)
            if (At(step) > peak) (peak, peakStep) = (At(step), step);
        var rows = new List<OperatorMemory>(order.Count);
        for (int step = 0; step < order.Count; step++)
        {
            int op = order[step];
            long inputs = problem.OperatorInputs[op].Sum(t => problem.Size[t]);
            long outputs = problem.OperatorOutputs[op].Where(t => !problem.OperatorInputs[op].Contains(t)).Sum(t => problem.Size[t]);
            long bytes = At(step);
            rows.Add(new OperatorMemory(step, op, inputs, outputs, bytes - inputs - outputs));
            // At equal bytes name an operator rather than the inputs' step.
            if (bytes > peak || (bytes == peak && peakStep < 0)) { peak = bytes; peakStep = step; }
        }
        var peakTensors = Enumerable.Range(0, problem.TensorCount).Where(t => live.IsLiveAt(t, peakStep))
            .OrderByDescending(t => problem.Size[t]).ThenBy(t => t).ToArray();
        return new MemoryProfile(rows, peak, peakStep, LargestOperator(problem), before, peakTensors);
    }

    /// <summary>No order can go below this: the largest inputs-plus-outputs of a single operator,
    /// or <see cref="OrderIndependentBytes"/> when that is more.</summary>
    public static long LargestOperator(MemoryProblem problem)
    {
        long bound = OrderIndependentBytes(problem);
        for (int op = 0; op < problem.OperatorCount; op++)
        {
            long sum = problem.OperatorInputs[op].Concat(problem.OperatorOutputs[op]).Distinct().Sum(t => problem.Size[t]);
            bound = Math.Max(bound, sum);
        }
        return bound;
    }

    /// <summary>The most bytes alive at a step no order changes (see <see cref="Liveness"/>): before
    /// the first operator (graph inputs, never-written tensors) or the untouched tensors' step.</summary>
    public static long OrderIndependentBytes(MemoryProblem problem)
    {
        long before = 0, untouched = 0;
        for (int t = 0; t < problem.TensorCount; t++)
        {
            if (problem.IsUntouched(t)) untouched += problem.Size[t];
            else if (problem.LivesFromStart(t)) before += problem.Size[t];
        }
        return Math.Max(before, untouched);
    }
}
