using GraphDsl.Ir;

namespace GraphDsl.TestKit.Generators;

/// <summary>Synthetic branched networks of about a given operator count, for scale tests and
/// benchmarks of the order search: Inception-like (parallel branches joined by CONCATENATION),
/// DenseNet-like (every layer reads the concatenation of all earlier features in its block) and
/// random-wired (RandWire-style random DAG stages). Deterministic for a given seed.</summary>
/// <remarks>Channel counts are drawn at random so that branches differ in size and the execution
/// order really changes the peak. Operators are stored in generation order, which is
/// topological.</remarks>
public static class BranchedGraphGenerator
{
    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["inception", "densenet", "randwire"];

    public static Graph Create(string kind, int operators, int seed) => kind switch
    {
        "inception" => InceptionLike(operators, seed),
        "densenet" => DenseNetLike(operators, seed),
        "randwire" => RandomWired(operators, seed),
        _ => throw new ArgumentException($"Unknown graph kind '{kind}'; known: {string.Join(", ", Kinds)}.", nameof(kind)),
    };

    /// <summary>Stem, then modules of four branches (1x1; 1x1-3x3; 1x1-3x3-3x3; pool-1x1) joined by
    /// a concatenation, with a reduction every third module.</summary>
    public static Graph InceptionLike(int operators, int seed)
    {
        var rng = new Random(seed);
        var g = new GraphAssembler();
        const long h = 16;
        var input = g.Tensor(h, h, 3);
        var x = g.Op("CONV_2D", [input], h, h, 32);
        int module = 0;
        while (g.OperatorCount + 10 <= operators)
        {
            var branches = new List<string>();
            long total = 0;
            int[] lengths = [1, 2, 3, 2];
            for (int b = 0; b < lengths.Length; b++)
            {
                var y = x;
                for (int k = 0; k < lengths[b]; k++)
                {
                    long c = 8 * rng.Next(1, 9);
                    y = g.Op(b == 3 && k == 0 ? "MAX_POOL_2D" : "CONV_2D", [y], h, h, b == 3 && k == 0 ? g.Channels(y) : c);
                }
                branches.Add(y);
                total += g.Channels(y);
            }
            x = g.Op("CONCATENATION", branches, h, h, total);
            // A reduction every third module trades resolution for channels at equal bytes, so
            // every module, not just the first, can hold the peak.
            if (++module % 3 == 0) x = g.Op("MAX_POOL_2D", [x], h, h, total / 2);
        }
        while (g.OperatorCount < operators) x = g.Op("CONV_2D", [x], h, h, 16);
        return g.Build($"inception_{operators}_{seed}", input, x);
    }

    /// <summary>Dense blocks: each layer is CONCATENATION of all features so far, a 1x1 bottleneck
    /// and a 3x3 growth convolution; transitions halve the channels between blocks.</summary>
    public static Graph DenseNetLike(int operators, int seed)
    {
        var rng = new Random(seed);
        var g = new GraphAssembler();
        const long h = 16;
        var input = g.Tensor(h, h, 3);
        var x = g.Op("CONV_2D", [input], h, h, 16);
        while (g.OperatorCount + 5 <= operators)
        {
            var features = new List<string> { x };
            int layers = rng.Next(4, 9);
            for (int l = 0; l < layers && g.OperatorCount + 5 <= operators; l++)
            {
                long c = features.Sum(g.Channels);
                var cat = features.Count == 1 ? features[0] : g.Op("CONCATENATION", features, h, h, c);
                var b = g.Op("CONV_2D", [cat], h, h, 8 * rng.Next(2, 6));
                features.Add(g.Op("CONV_2D", [b], h, h, 4 * rng.Next(2, 5)));
            }
            long all = features.Sum(g.Channels);
            x = g.Op("CONCATENATION", features, h, h, all);
            x = g.Op("AVERAGE_POOL_2D", [x], h, h, all / 2);
        }
        while (g.OperatorCount < operators) x = g.Op("CONV_2D", [x], h, h, 16);
        return g.Build($"densenet_{operators}_{seed}", input, x);
    }

    /// <summary>Stages of a random DAG (each node reads one to three earlier nodes of its stage,
    /// nodes without predecessors read the stage input), joined by a CONCATENATION of the stage's sinks;
    /// a convolution between stages.</summary>
    public static Graph RandomWired(int operators, int seed, int nodesPerStage = 32)
    {
        var rng = new Random(seed);
        var g = new GraphAssembler();
        const long h = 16;
        var input = g.Tensor(h, h, 3);
        var x = g.Op("CONV_2D", [input], h, h, 16);
        while (g.OperatorCount + 4 <= operators)
        {
            int nodes = Math.Min(nodesPerStage, operators - g.OperatorCount - 2);
            var outputs = new List<string>();
            var read = new HashSet<int>();
            long c = 8 * rng.Next(2, 5);
            for (int i = 0; i < nodes; i++)
            {
                var preds = new List<int>();
                // Each node reads a recent node and, with some chance, one or two older ones:
                // small-world wiring like RandWire's Watts-Strogatz graphs.
                if (i > 0 && rng.NextDouble() < 0.85) preds.Add(i - 1 - rng.Next(Math.Min(i, 3)));
                while (i > 0 && preds.Count < 3 && rng.NextDouble() < 0.35) preds.Add(rng.Next(i));
                var ins = preds.Distinct().Select(p => outputs[p]).ToList();
                foreach (var p in preds) read.Add(p);
                if (ins.Count == 0) ins.Add(x);
                // A RandWire node: weighted sum of its inputs, ReLU, separable convolution.
                outputs.Add(g.Op("RANDWIRE_NODE", ins, h, h, c * rng.Next(1, 4)));
            }
            var sinks = Enumerable.Range(0, outputs.Count).Where(i => !read.Contains(i)).Select(i => outputs[i]).ToList();
            x = sinks.Count == 1 ? sinks[0] : g.Op("CONCATENATION", sinks, h, h, sinks.Sum(g.Channels));
            x = g.Op("CONV_2D", [x], h, h, 32);
        }
        while (g.OperatorCount < operators) x = g.Op("CONV_2D", [x], h, h, 16);
        return g.Build($"randwire_{operators}_{seed}", input, x);
    }
}
