using GraphDsl.Ir;

namespace GraphDsl.Passes.Tests;

/// <summary>Random DAGs with the features that matter for memory: several graph inputs, constants
/// and variables as operands, multi-output operators, unread outputs, graph outputs that are also
/// read, repeated operands, optional (absent) operands, and mixed element types.</summary>
public static class RandomGraphs
{
    private static readonly DataType[] Types = [DataType.Int8, DataType.Float32, DataType.Int16, DataType.Float16, DataType.Int4];

    public static Graph Create(int seed, int maxOperators = 14)
    {
        var rng = new Random(seed);
        var tensors = new List<Tensor>();
        var activations = new List<string>();
        Tensor NewTensor(string name, TensorKind kind = TensorKind.Activation)
        {
            var dims = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => (long)rng.Next(1, 9)).ToArray();
            var t = new Tensor(name, new TensorType(Types[rng.Next(Types.Length)], Shape.Of(dims))) { Kind = kind };
            tensors.Add(t);
            return t;
        }
        var inputs = new List<string>();
        for (int i = 0; i < rng.Next(1, 3); i++) { inputs.Add(NewTensor($"in{i}").Name); activations.Add($"in{i}"); }
        var weight = NewTensor("w", TensorKind.Constant).Name;
        var state = NewTensor("state", TensorKind.Variable).Name;

        var ops = new List<Operator>();
        int count = rng.Next(1, maxOperators + 1);
        for (int op = 0; op < count; op++)
        {
            var reads = new List<string?>();
            for (int k = 0; k < rng.Next(1, 4); k++) reads.Add(activations[rng.Next(activations.Count)]);
            if (rng.Next(4) == 0) reads.Add(weight);
            if (rng.Next(6) == 0) reads.Add(state);
            if (rng.Next(6) == 0) reads.Add(null);
            var writes = new List<string?>();
            for (int k = 0; k < rng.Next(1, 3); k++) writes.Add(NewTensor($"t{op}_{k}").Name);
            activations.AddRange(writes!);
            ops.Add(new Operator(rng.Next(2) == 0 ? "ADD" : "CONV_2D", reads.ToEquatableArray(), writes.ToEquatableArray()));
        }
        var produced = activations.Except(inputs).ToList();
        var outputs = produced.Where(_ => rng.Next(4) == 0).ToList();
        if (outputs.Count == 0) outputs.Add(produced[^1]);
        return new Graph($"random{seed}", tensors.ToEquatableArray(), ops.ToEquatableArray(), inputs.ToEquatableArray(), outputs.ToEquatableArray());
    }

    /// <summary>A random topological order (Kahn's algorithm with random picks).</summary>
    public static int[] RandomOrder(Graph g, int seed)
    {
        var rng = new Random(seed);
        int n = g.Operators.Count;
        var deps = Enumerable.Range(0, n).Select(op => g.Operators[op].PresentInputs
            .Select(g.ProducerOf).Where(p => p >= 0 && p != op).ToHashSet()).ToArray();
        var done = new bool[n];
        var order = new List<int>();
        while (order.Count < n)
        {
            var ready = Enumerable.Range(0, n).Where(op => !done[op] && deps[op].All(d => done[d])).ToList();
            var pick = ready[rng.Next(ready.Count)];
            done[pick] = true;
            order.Add(pick);
        }
        return order.ToArray();
    }

    /// <summary>The graph with <c>@order(step)</c> on each operator.</summary>
    public static Graph WithOrder(Graph g, int[] order)
    {
        var ops = g.Operators.ToArray();
        for (int step = 0; step < order.Length; step++)
            ops[order[step]] = ops[order[step]] with { Annotations = ops[order[step]].Annotations.With(WellKnownAnnotations.Order, step) };
        return g with { Operators = ops.ToEquatableArray() };
    }
}
