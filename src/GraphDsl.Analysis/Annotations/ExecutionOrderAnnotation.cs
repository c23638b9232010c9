using GraphDsl.Ir;

namespace GraphDsl.Analysis.Annotations;

/// <summary>The codec of the execution order: <c>@order(k)</c> on every operator of a graph, k
/// the step at which it runs. The one place that reads, writes and strips <c>@order</c>.</summary>
/// <remarks>Writing an order that differs from the graph's current one removes every
/// annotation computed for the old order (<see cref="WellKnownAnnotations.OrderDependent"/>:
/// memory figures, arena placement, search figures), so no later pass, report or printed text can
/// use results that no longer hold.</remarks>
public static class ExecutionOrderAnnotation
{
    /// <summary>The order the annotations give: <c>order[step]</c> is the operator run at that step.
    /// Null with <paramref name="problem"/> null when no operator has <c>@order</c>; null with a
    /// one-line <paramref name="problem"/> when some have it but they are not a permutation.
    /// A graph without operators has the empty order.</summary>
    public static int[]? TryRead(Graph graph, out string? problem)
    {
        problem = null;
        int n = graph.Operators.Count;
        // A graph without operators has exactly one order, the empty one.
        if (n == 0) return [];
        if (!graph.Operators.Any(o => o.Annotations.ContainsKey(WellKnownAnnotations.Order))) return null;
        var order = new int[n];
        var seen = new bool[n];
        for (int op = 0; op < n; op++)
        {
            var o = graph.Operators[op];
            var step = o.Annotations[WellKnownAnnotations.Order]?.AsInt();
            problem = step switch
            {
                null => $"operator {op} ({o.OpType}) has no @order",
                < 0 => $"operator {op} has @order({step})",
                _ when step >= n => $"operator {op} has @order({step}) but there are {n} operators",
                _ when seen[step.Value] => $"step {step} is given to two operators",
                _ => null,
            };
            if (problem is not null) return null;
            seen[step!.Value] = true;
            order[step.Value] = op;
        }
        return order;
    }

    /// <summary>The graph with <c>@order(step)</c> on every operator for <paramref name="order"/>
    /// (<c>order[step]</c> = operator). When the execution order changes, the annotations of
    /// <see cref="WellKnownAnnotations.OrderDependent"/> are removed from the graph, its operators
    /// and its tensors. Returns the input instance when nothing changes.</summary>
    public static Graph Write(Graph graph, IReadOnlyList<int> order)
    {
        var step = new int[order.Count];
        for (int k = 0; k < order.Count; k++) step[order[k]] = k;
        var current = ExecutionOrder.Current(graph);
        var source = current.SequenceEqual(order) ? graph : WithoutOrderDependent(graph);
        var operators = source.Operators.Select((op, i) => op with { Annotations = op.Annotations.With(WellKnownAnnotations.Order, step[i]) });
        var result = source with { Operators = operators.ToEquatableArray() };
        return result.Equals(graph) ? graph : result;
    }

    /// <summary>The graph without <c>@order</c>, so it runs in stored order; annotations computed
    /// for the removed order go too when it differed from the stored one.</summary>
    public static Graph Strip(Graph graph)
    {
        if (!graph.Operators.Any(o => o.Annotations.ContainsKey(WellKnownAnnotations.Order))) return graph;
        var changesOrder = !ExecutionOrder.Current(graph).SequenceEqual(ExecutionOrder.Stored(graph));
        var source = changesOrder ? WithoutOrderDependent(graph) : graph;
        return source with
        {
            Operators = source.Operators.Select(o => o with { Annotations = o.Annotations.Without(WellKnownAnnotations.Order) }).ToEquatableArray(),
        };
    }

    /// <summary>The graph without any annotation that was computed for its execution order.</summary>
    public static Graph WithoutOrderDependent(Graph graph)
    {
        static AttributeMap Clean(AttributeMap map)
        {
            foreach (var key in WellKnownAnnotations.OrderDependent) map = map.Without(key);
            return map;
        }
        var result = graph with
        {
            Annotations = Clean(graph.Annotations),
            Operators = graph.Operators.Select(o => Clean(o.Annotations) is var a && a.Equals(o.Annotations) ? o : o with { Annotations = a }).ToEquatableArray(),
            Tensors = graph.Tensors.Select(t => Clean(t.Annotations) is var a && a.Equals(t.Annotations) ? t : t with { Annotations = a }).ToEquatableArray(),
        };
        return result.Equals(graph) ? graph : result;
    }
}
