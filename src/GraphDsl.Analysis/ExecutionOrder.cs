using GraphDsl.Ir;

namespace GraphDsl.Analysis;

/// <summary>Reads and checks execution orders: <c>order[step]</c> is the operator run at that step.</summary>
public static class ExecutionOrder
{
    /// <summary>The stored order 0..n-1.</summary>
    public static int[] Stored(Graph graph) => Enumerable.Range(0, graph.Operators.Count).ToArray();

    /// <summary>The order given by <c>@order(k)</c> annotations when every operator has one and they
    /// form a permutation; otherwise the stored order.</summary>
    public static int[] Current(Graph graph) => Annotations.ExecutionOrderAnnotation.TryRead(graph, out _) ?? Stored(graph);

    /// <summary>True when <paramref name="order"/> is a permutation of the operators in which every
    /// activation is written before it is read.</summary>
    public static bool IsTopological(MemoryProblem problem, IReadOnlyList<int> order)
    {
        int n = problem.OperatorCount;
        if (order.Count != n) return false;
        var position = Enumerable.Repeat(-1, n).ToArray();
        for (int step = 0; step < n; step++)
        {
            if (order[step] < 0 || order[step] >= n || position[order[step]] >= 0) return false;
            position[order[step]] = step;
        }
        for (int t = 0; t < problem.TensorCount; t++)
        {
            var p = problem.Producer[t];
            if (p < 0) continue;
            foreach (var c in problem.Consumers[t])
                if (c != p && position[c] < position[p]) return false;
        }
        return true;
    }
}
