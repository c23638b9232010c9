using GraphDsl.Ir;

namespace GraphDsl.Scheduling.Tests;

/// <summary>Small random graphs for property tests: multi-output operators, shared consumers,
/// several graph inputs and outputs, weight-only sources (like DEQUANTIZE), constants, and
/// occasionally tensors alive only at step 0 (unread graph inputs).</summary>
public static class RandomDagGenerator
{
    public static Graph Create(int seed, int maxOperators)
    {
        var rng = new Random(seed);
        int ops = rng.Next(1, maxOperators + 1);
        var tensors = new List<Tensor>();
        var available = new List<string>();
        var inputs = new List<string>();
        string NewTensor(string prefix)
        {
            var name = $"{prefix}{tensors.Count}";
            // Sizes from a small range so that ties between orders are common (tie handling is
            // where exact searches go wrong).
            tensors.Add(new Tensor(name, new TensorType(DataType.Int8, Shape.Of(rng.Next(1, 9) * 4))));
            return name;
        }
        int graphInputs = rng.Next(1, 3);
        for (int i = 0; i < graphInputs; i++) { var t = NewTensor("in"); inputs.Add(t); available.Add(t); }
        var weight = "w";
        tensors.Add(new Tensor(weight, new TensorType(DataType.Int8, Shape.Of(16))) { Kind = TensorKind.Constant });
        var operators = new List<Operator>();
        var read = new HashSet<string>();
        for (int k = 0; k < ops; k++)
        {
            var opInputs = new List<string?>();
            if (rng.NextDouble() < 0.15)
            {
                opInputs.Add(weight); // a weight-only source
            }
            else
            {
                int count = rng.Next(1, Math.Min(3, available.Count) + 1);
                foreach (var t in available.OrderBy(_ => rng.Next()).Take(count)) { opInputs.Add(t); read.Add(t); }
                if (rng.NextDouble() < 0.3) opInputs.Add(weight);
            }
            int outputs = rng.NextDouble() < 0.25 ? 2 : 1;
            var opOutputs = new List<string?>();
            for (int o = 0; o < outputs; o++) { var t = NewTensor("t"); opOutputs.Add(t); available.Add(t); }
            operators.Add(new Operator("OP", opInputs.ToEquatableArray(), opOutputs.ToEquatableArray()));
        }
        // Graph outputs: every unread produced tensor usually, sometimes one that is also read.
        var outputsList = available.Where(t => !read.Contains(t) && !inputs.Contains(t) && rng.NextDouble() < 0.8).ToList();
        if (rng.NextDouble() < 0.2) outputsList.Add(available[rng.Next(available.Count)]);
        if (outputsList.Count == 0) outputsList.Add(available[^1]);
        // Shuffle the stored order within what remains topological or not: the stored order is
        // the generation order, which is topological; shuffling operators tests that the search
        // does not rely on it.
        var shuffled = operators.OrderBy(_ => rng.Next()).ToList();
        return new Graph($"g{seed}", tensors.ToEquatableArray(), (rng.NextDouble() < 0.5 ? operators : shuffled).ToEquatableArray(),
            inputs.ToEquatableArray(), outputsList.Distinct().ToEquatableArray());
    }
}
