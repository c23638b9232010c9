using GraphDsl.Analysis;

namespace GraphDsl.Scheduling.Search;

/// <summary>The fixed facts the order search needs about a <see cref="MemoryProblem"/>:
/// precedence between operators, what each operator brings into memory, and which operators are
/// lazy sources (scheduled right before their first consumer).</summary>
/// <remarks>
/// The memory model is exactly <see cref="Liveness"/>, restated per step. With S the operators run
/// before a step and X the operator of that step, a tensor is alive during X when
/// (a) it is available -- it lives from the start (graph input, or nobody writes it) or its
/// producer is in S -- and it is still needed -- a graph output, or read by some operator not in
/// S (X included); or (b) X produces it (and it does not live from the start).
/// So step cost = resident(S) + produced(X), where resident(S) is the (a) part. The steps before
/// the first operator (inputs; untouched tensors) hold the same bytes whatever the order
/// (<see cref="MemoryProfile.OrderIndependentBytes"/>); they enter the peak and the lower bound
/// as a floor.
/// </remarks>
internal sealed class ScheduleStructure
{
    private ScheduleStructure() { }

    public MemoryProblem Problem { get; private init; } = null!;

    public int OperatorCount { get; private init; }

    /// <summary>Distinct operators that must run before each operator (writers of what it reads),
    /// exactly the constraint <see cref="ExecutionOrder.IsTopological"/> checks.</summary>
    public int[][] Predecessors { get; private init; } = [];

    public int[][] Successors { get; private init; } = [];

    /// <summary>Tensors each operator brings into memory: those it writes first and that do not
    /// live from the start.</summary>
    public int[][] Produced { get; private init; } = [];

    public long[] ProducedBytes { get; private init; } = [];

    public bool[] LivesFromStart { get; private init; } = [];

    /// <summary>Operators with no activation inputs whose every produced tensor is read later or
    /// is a graph output (DEQUANTIZE of weights). Running one later, right before its first
    /// consumer, never raises the peak (see <see cref="ScheduleState"/>), so the search fuses each
    /// into the move of its first consumer instead of branching on it.</summary>
    public bool[] IsLazySource { get; private init; } = [];

    /// <summary>For each operator, its lazy-source predecessors, ascending.</summary>
    public int[][] LazySourcesOf { get; private init; } = [];

    /// <summary>For each operator, how many predecessors are not lazy sources.</summary>
    public int[] EagerPredecessorCount { get; private init; } = [];

    /// <summary>The peak of the steps before the first operator, the same in every order
    /// (<see cref="MemoryProfile.OrderIndependentBytes"/>).</summary>
    public long OrderIndependentBytes { get; private init; }

    /// <summary>No order has a smaller peak: the inputs and produced tensors of one operator plus
    /// the tensors alive during every step (graph inputs that are also outputs), or
    /// <see cref="OrderIndependentBytes"/> when that is more.</summary>
    public long StepLowerBound { get; private init; }

    /// <summary>Builds the structure, or returns null when the precedence has a cycle.</summary>
    public static ScheduleStructure? TryBuild(MemoryProblem problem)
    {
        int n = problem.OperatorCount, tensors = problem.TensorCount;
        var preds = new HashSet<int>[n];
        var succs = new HashSet<int>[n];
        for (int op = 0; op < n; op++) { preds[op] = new HashSet<int>(); succs[op] = new HashSet<int>(); }
        for (int op = 0; op < n; op++)
            foreach (var t in problem.OperatorInputs[op])
                if (problem.Producer[t] is var p and >= 0 && p != op) { preds[op].Add(p); succs[p].Add(op); }
        var predecessors = preds.Select(s => s.Order().ToArray()).ToArray();
        var successors = succs.Select(s => s.Order().ToArray()).ToArray();
        if (!IsAcyclic(predecessors, successors)) return null;

        var fromStart = new bool[tensors];
        long alwaysAlive = 0, floor = MemoryProfile.OrderIndependentBytes(problem);
        for (int t = 0; t < tensors; t++)
        {
            fromStart[t] = problem.LivesFromStart(t);
            if (fromStart[t] && problem.IsGraphOutput[t]) alwaysAlive += problem.Size[t];
        }
        var produced = new int[n][];
        var producedBytes = new long[n];
        for (int op = 0; op < n; op++)
        {
            produced[op] = problem.OperatorOutputs[op].Where(t => problem.Producer[t] == op && !fromStart[t]).ToArray();
            producedBytes[op] = produced[op].Sum(t => problem.Size[t]);
        }
        var lazy = new bool[n];
        for (int op = 0; op < n; op++)
            lazy[op] = problem.OperatorInputs[op].Length == 0 && successors[op].Length > 0
                && produced[op].All(t => problem.IsGraphOutput[t] || problem.Consumers[t].Any(c => c != op));
        long stepBound = floor;
        for (int op = 0; op < n; op++)
        {
            long bytes = alwaysAlive + producedBytes[op];
            foreach (var t in problem.OperatorInputs[op])
                if (!(fromStart[t] && problem.IsGraphOutput[t]) && !produced[op].Contains(t)) bytes += problem.Size[t];
            stepBound = Math.Max(stepBound, bytes);
        }
        return new ScheduleStructure
        {
            Problem = problem,
            OperatorCount = n,
            Predecessors = predecessors,
            Successors = successors,
            Produced = produced,
            ProducedBytes = producedBytes,
            LivesFromStart = fromStart,
            IsLazySource = lazy,
            LazySourcesOf = predecessors.Select(ps => ps.Where(p => lazy[p]).ToArray()).ToArray(),
            EagerPredecessorCount = predecessors.Select(ps => ps.Count(p => !lazy[p])).ToArray(),
            OrderIndependentBytes = floor,
            StepLowerBound = stepBound,
        };
    }

    private static bool IsAcyclic(int[][] predecessors, int[][] successors)
    {
        var pending = predecessors.Select(p => p.Length).ToArray();
        var ready = new Stack<int>(Enumerable.Range(0, pending.Length).Where(op => pending[op] == 0));
        int done = 0;
        while (ready.Count > 0)
        {
            int op = ready.Pop();
            done++;
            foreach (var s in successors[op]) if (--pending[s] == 0) ready.Push(s);
        }
        return done == pending.Length;
    }
}
