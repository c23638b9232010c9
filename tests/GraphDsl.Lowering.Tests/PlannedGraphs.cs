using GraphDsl.Ir;

namespace GraphDsl.Lowering.Tests;

/// <summary>Small graphs built in code, and plans for them made by the tests themselves (a
/// first-fit placement over hand-computed lifetimes), so lowering is checked against numbers it
/// did not compute.</summary>
internal static class PlannedGraphs
{
    /// <summary>An Inception-style cell: a stem feeds three branches (one of two operators) that a
    /// concat joins, then a head. Tensor sizes differ so that order matters.</summary>
    public static Graph InceptionCell()
    {
        Tensor T(string name, params long[] shape) => new(name, new TensorType(DataType.Int8, Shape.Of(shape)));
        var tensors = new[]
        {
            T("input", 1, 16, 16, 8),          // 2048
            new Tensor("w", new TensorType(DataType.Int8, Shape.Of(8, 1, 1, 8))) { Kind = TensorKind.Constant },
            T("stem", 1, 16, 16, 16),          // 4096
            T("b1", 1, 16, 16, 4),             // 1024
            T("b2a", 1, 16, 16, 32),           // 8192
            T("b2", 1, 16, 16, 4),             // 1024
            T("b3", 1, 16, 16, 8),             // 2048
            T("cat", 1, 16, 16, 16),           // 4096
            T("out", 1, 10),                   // 10
        };
        Operator Op(string type, string name, string[] inputs, string output) =>
            new(type, inputs.Select(i => (string?)i).ToEquatableArray(), EquatableArray.Create<string?>(output)) { Name = name };
        var ops = new[]
        {
            Op("CONV_2D", "stem", ["input", "w"], "stem"),                 // 0
            Op("CONV_2D", "branch1", ["stem"], "b1"),                      // 1
            Op("CONV_2D", "branch2/expand", ["stem"], "b2a"),              // 2
            Op("CONV_2D", "branch2/project", ["b2a"], "b2"),               // 3
            Op("MAX_POOL_2D", "branch3", ["stem"], "b3"),                  // 4
            Op("CONCATENATION", "concat", ["b1", "b2", "b3"], "cat"),      // 5
            Op("FULLY_CONNECTED", "head", ["cat"], "out"),                 // 6
        };
        return new Graph("inception_cell", tensors.ToEquatableArray(), ops.ToEquatableArray(),
            EquatableArray.Create("input"), EquatableArray.Create("out"));
    }

    /// <summary>Writes @order for <paramref name="order"/> and @arena offsets found by first-fit
    /// over lifetimes computed here from the graph's edges (not with GraphDsl.Analysis).</summary>
    public static Graph Plan(Graph graph, int[] order, long align = 16)
    {
        var acts = graph.Tensors.Where(t => t.IsActivation).ToList();
        var lifetimes = Lifetimes(graph, order);
        var first = lifetimes.ToDictionary(kv => kv.Key, kv => kv.Value.First);
        var last = lifetimes.ToDictionary(kv => kv.Key, kv => kv.Value.Last);
        var step = new int[order.Length];
        for (int s = 0; s < order.Length; s++) step[order[s]] = s;
        var offsets = new Dictionary<string, long>();
        foreach (var t in acts.OrderByDescending(t => t.ByteSize).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            long offset = 0;
            bool moved = true;
            while (moved)
            {
                moved = false;
                foreach (var (other, o) in offsets)
                {
                    var size = graph.Tensor(other).ByteSize!.Value;
                    bool together = first[t.Name] <= last[other] && first[other] <= last[t.Name];
                    if (together && offset < o + size && o < offset + t.ByteSize!.Value)
                    {
                        offset = (o + size + align - 1) / align * align;
                        moved = true;
                    }
                }
            }
            offsets[t.Name] = offset;
        }
        long arena = acts.Max(t => offsets[t.Name] + t.ByteSize!.Value);
        return graph with
        {
            Tensors = graph.Tensors.Select(t => offsets.TryGetValue(t.Name, out var o)
                ? t with { Annotations = t.Annotations.With(WellKnownAnnotations.Arena, Record(("offset", o), ("size", t.ByteSize!.Value))) }
                : t).ToEquatableArray(),
            Operators = graph.Operators.Select((op, i) => op with { Annotations = op.Annotations.With(WellKnownAnnotations.Order, step[i]) }).ToEquatableArray(),
            Annotations = graph.Annotations.With("arena_plan", Record(("arena_bytes", arena), ("align", align))),
        };
    }

    /// <summary>First and last step at which each activation is alive under <paramref name="order"/>,
    /// from the edges: from its producer's step (0 for inputs and unwritten tensors) to its last
    /// reader's step (the last step for graph outputs).</summary>
    public static Dictionary<string, (int First, int Last)> Lifetimes(Graph graph, int[] order)
    {
        var step = new int[order.Length];
        for (int s = 0; s < order.Length; s++) step[order[s]] = s;
        var producerStep = new Dictionary<string, int>();
        var lastRead = new Dictionary<string, int>();
        for (int op = 0; op < graph.Operators.Count; op++)
        {
            foreach (var o in graph.Operators[op].Outputs) if (o is not null) producerStep.TryAdd(o, step[op]);
            foreach (var i in graph.Operators[op].Inputs)
                if (i is not null) lastRead[i] = Math.Max(lastRead.GetValueOrDefault(i, -1), step[op]);
        }
        var result = new Dictionary<string, (int, int)>();
        foreach (var t in graph.Tensors.Where(t => t.IsActivation))
        {
            int first = graph.Inputs.Contains(t.Name) ? 0 : producerStep.GetValueOrDefault(t.Name, 0);
            int last = graph.Outputs.Contains(t.Name) ? order.Length - 1 : Math.Max(first, lastRead.GetValueOrDefault(t.Name, first));
            result[t.Name] = (first, last);
        }
        return result;
    }

    /// <summary>The same graph with only an arena plan for its stored order (the "before" run).</summary>
    public static Graph PlanStored(Graph graph)
    {
        var planned = Plan(graph, Enumerable.Range(0, graph.Operators.Count).ToArray());
        return planned with
        {
            Operators = planned.Operators.Select(op => op with { Annotations = op.Annotations.Without(WellKnownAnnotations.Order) }).ToEquatableArray(),
        };
    }

    public static AttributeValue Record(params (string Key, AttributeValue Value)[] fields) =>
        new AttributeValue.Record(AttributeMap.From(fields));
}
