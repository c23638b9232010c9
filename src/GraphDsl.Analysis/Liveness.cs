namespace GraphDsl.Analysis;

/// <summary>When each activation occupies memory under a given execution order, as closed step
/// intervals [First, Last].</summary>
/// <remarks>A graph input (or a tensor nobody writes) lives from step 0; any other tensor from the
/// step of its producer. A graph output lives to the last step; any other tensor to the step of
/// its last consumer, or only during its producer's step when nobody reads it.</remarks>
public sealed class Liveness
{
    private Liveness(int[] first, int[] last) { First = first; Last = last; }

    public int[] First { get; }
    public int[] Last { get; }

    public static Liveness Compute(MemoryProblem problem, IReadOnlyList<int> order)
    {
        int n = problem.OperatorCount;
        var position = new int[n];
        for (int step = 0; step < order.Count; step++) position[order[step]] = step;
        int lastStep = Math.Max(0, n - 1);
        var first = new int[problem.TensorCount];
        var last = new int[problem.TensorCount];
        for (int t = 0; t < problem.TensorCount; t++)
        {
            first[t] = problem.LivesFromStart(t) ? 0 : position[problem.Producer[t]];
            int end = first[t];
            foreach (var c in problem.Consumers[t]) end = Math.Max(end, position[c]);
            last[t] = problem.IsGraphOutput[t] ? lastStep : end;
        }
        return new Liveness(first, last);
    }

    public bool IsLiveAt(int tensor, int step) => First[tensor] <= step && step <= Last[tensor];

    /// <summary>True when the two tensors are alive at some common step (so they may not share bytes).</summary>
    public bool Overlap(int a, int b) => First[a] <= Last[b] && First[b] <= Last[a];
}
