using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit.Tflm;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Importers.Tflite.Tests;

/// <summary>The random TFLM models (GraphDsl.TestKit) import into a verified IR that holds exactly
/// what the generator wrote, and the generator is deterministic.</summary>
public sealed class RandomModelImportTests(ITestOutputHelper output)
{
    private const int Models = 300;

    [Fact]
    public void Every_random_model_imports_verifies_and_matches_what_was_written()
    {
        var opTypes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int seed = 0; seed < Models; seed++)
        {
            var written = RandomTfliteModels.Create(seed);
            var bytes = written.Build();
            var read = ModelLoader.Verified(TfliteImporter.Import(bytes, $"random{seed}.tflite"));
            Assert.True(read.Succeeded, $"seed {seed}: {string.Join("\n", read.Diagnostics)}");
            var main = read.Model!.Main;
            var sub = Assert.Single(written.Subgraphs);

            Assert.Equal(sub.Tensors.Select(t => (t.Name, t.Shape)), main.Tensors.Select(t => (t.Name, t.Type.Shape.Dims.Select(d => (int)d.Value!.Value).ToArray())),
                new TensorComparer());
            Assert.Equal(sub.Inputs.Select(i => sub.Tensors[i].Name), main.Inputs);
            Assert.Equal(sub.Outputs.Select(i => sub.Tensors[i].Name), main.Outputs);
            Assert.Equal(sub.Operators.Count, main.Operators.Count);
            for (int i = 0; i < sub.Operators.Count; i++)
            {
                var op = sub.Operators[i];
                Assert.Equal(op.Inputs.Select(t => t < 0 ? null : sub.Tensors[t].Name), main.Operators[i].Inputs);
                Assert.Equal(op.Outputs.Select(t => sub.Tensors[t].Name), main.Operators[i].Outputs);
                var type = main.Operators[i].OpType;
                opTypes[type] = opTypes.GetValueOrDefault(type) + 1;
            }
            // Activations are int8 with one scale; weights int8 per channel; biases int32.
            foreach (var t in main.Tensors.Where(t => t.IsActivation)) Assert.Equal(DataType.Int8, t.Type.ElementType);
            Assert.Equal(bytes, RandomTfliteModels.Build(seed));
        }
        output.WriteLine(string.Join(", ", opTypes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        foreach (var expected in new[] { "CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "MUL", "CONCATENATION", "RESHAPE", "SQUEEZE", "EXPAND_DIMS",
                     "SPLIT", "AVERAGE_POOL_2D", "MAX_POOL_2D", "RELU", "RELU6", "LOGISTIC", "TANH", "SUB", "MAXIMUM", "MINIMUM",
                     "HARD_SWISH", "LEAKY_RELU", "QUANTIZE" })
            Assert.True(opTypes.GetValueOrDefault(expected) >= 5, $"{expected} appears {opTypes.GetValueOrDefault(expected)} times");
    }

    private sealed class TensorComparer : IEqualityComparer<(string Name, int[] Shape)>
    {
        public bool Equals((string Name, int[] Shape) x, (string Name, int[] Shape) y) => x.Name == y.Name && x.Shape.SequenceEqual(y.Shape);
        public int GetHashCode((string Name, int[] Shape) obj) => obj.Name.GetHashCode();
    }
}
