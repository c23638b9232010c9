namespace GraphDsl.Analysis;

/// <summary>When each activation occupies memory under a given execution order, as closed step
/// intervals [First, Last]. Step k runs <c>order[k]</c>; step <see cref="BeforeFirstOperator"/>
/// (-1) is the moment before any operator runs, when the application has written the inputs;
/// step <see cref="Untouched"/> (-2) holds only tensors that nothing ever reads or writes.</summary>
/// <remarks>
/// The rules are TensorFlow Lite Micro's (<c>micro_allocation_info.cc</c>,
/// <c>MarkAllocationLifetimes</c>), with its allocation scope s = step + 1:
/// a graph input (or a tensor nobody writes) lives from the step before the first operator;
/// any other tensor from the step of its producer. A graph output lives to the last step; any
/// other tensor to the step of its last consumer, or only during its producer's step when nobody
/// reads it. So an input no operator reads lives before the first operator only, and in a graph
/// with no operators every tensor lives at step -1 alone. A tensor that is neither a graph
/// input nor output and that no operator touches keeps TFLM's uninitialized lifetime
/// (<c>kUninitializedLifetime</c>): TFLM still gives it bytes, but at a time of its own, so it
/// shares bytes with everything else and only with such tensors.
/// </remarks>
public sealed class Liveness
{
    /// <summary>The step before the first operator: graph inputs are alive, nothing has run.</summary>
    public const int BeforeFirstOperator = -1;

    /// <summary>The step of tensors nothing reads or writes (neither graph inputs nor outputs).</summary>
    public const int Untouched = -2;

    /// <summary>The earliest step any activation can be alive at.</summary>
    public const int EarliestStep = Untouched;

    private Liveness(int[] first, int[] last) { First = first; Last = last; }

    /// <summary>First step (>= -2) at which each activation is alive.</summary>
    public int[] First { get; }

    /// <summary>Last step (>= First) at which each activation is alive.</summary>
    public int[] Last { get; }

    public static Liveness Compute(MemoryProblem problem, IReadOnlyList<int> order)
    {
        int n = problem.OperatorCount;
        var position = new int[n];
        for (int step = 0; step < order.Count; step++) position[order[step]] = step;
        int lastStep = n - 1;
        var first = new int[problem.TensorCount];
        var last = new int[problem.TensorCount];
        for (int t = 0; t < problem.TensorCount; t++)
        {
            if (problem.IsUntouched(t)) { first[t] = last[t] = Untouched; continue; }
            first[t] = problem.LivesFromStart(t) ? BeforeFirstOperator : position[problem.Producer[t]];
            int end = first[t];
            foreach (var c in problem.Consumers[t]) end = Math.Max(end, position[c]);
            last[t] = problem.IsGraphOutput[t] ? Math.Max(lastStep, first[t]) : end;
        }
        return new Liveness(first, last);
    }

    public bool IsLiveAt(int tensor, int step) => First[tensor] <= step && step <= Last[tensor];

    /// <summary>True when the two tensors are alive at some common step (so they may not share bytes).</summary>
    public bool Overlap(int a, int b) => First[a] <= Last[b] && First[b] <= Last[a];

    /// <summary>Bytes alive at each step from <see cref="EarliestStep"/>, indexed by
    /// step - <see cref="EarliestStep"/>; <paramref name="bytes"/> gives what each activation counts.</summary>
    public long[] BytesPerStep(int operatorCount, Func<int, long> bytes)
    {
        var alive = new long[operatorCount - EarliestStep + 1];
        for (int t = 0; t < First.Length; t++)
        {
            alive[First[t] - EarliestStep] += bytes(t);
            alive[Last[t] + 1 - EarliestStep] -= bytes(t);
        }
        for (int i = 1; i < alive.Length; i++) alive[i] += alive[i - 1];
        return alive[..^1];
    }
}
