using Google.Protobuf;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Importers.Onnx.Tests;
using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.TestKit.Tflite;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;

namespace GraphDsl.Fuzz;

/// <summary>A starting input: a name (for reports) and its bytes.</summary>
public sealed record Seed(string Name, byte[] Bytes);

/// <summary>Where mutation starts, per format: the corpus models in ../shared/models (read in place,
/// up to <see cref="MaxCorpusBytes"/>), the small models in ../shared/cases, the repository's
/// examples and .gdsl test files, models built by the importer tests' builders, and the
/// graph-language text of the small binary seeds (so .gdsl gets real-model shapes too).</summary>
public static class Seeds
{
    /// <summary>Larger corpus models are left out: each input would take seconds, and the size
    /// adds weights, not structure.</summary>
    public const long MaxCorpusBytes = 1 << 20;

    /// <summary>The seeds of <paramref name="format"/>; corpus and case files up to
    /// <paramref name="maxFileBytes"/> (default <see cref="MaxCorpusBytes"/>).</summary>
    public static IReadOnlyList<Seed> For(FuzzFormat format, long maxFileBytes = MaxCorpusBytes)
    {
        var seeds = new List<Seed>();
        seeds.AddRange(Files(CorpusModels.Directory, format, maxFileBytes));
        seeds.AddRange(Files(CaseModels.Directory, format, maxFileBytes));
        switch (format)
        {
            case FuzzFormat.Tflite:
                seeds.Add(new Seed("builder:SampleModels.Rich", SampleModels.Rich().Build()));
                seeds.Add(new Seed("builder:branched", BranchedTflite()));
                break;
            case FuzzFormat.Onnx:
                seeds.Add(new Seed("builder:ConvRelu", TestModelBuilder.ConvRelu().ToByteArray()));
                seeds.Add(new Seed("builder:branched", BranchedOnnx().ToByteArray()));
                break;
            case FuzzFormat.Gdsl:
                seeds.AddRange(Files(RepositoryPaths.Combine("examples"), format, MaxCorpusBytes));
                foreach (var path in Directory.EnumerateFiles(RepositoryPaths.Combine("tests"), "*.gdsl", SearchOption.AllDirectories)
                             .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/") && !p.EndsWith(".received.gdsl", StringComparison.Ordinal))
                             .Order(StringComparer.Ordinal))
                    seeds.Add(new Seed(Path.GetRelativePath(RepositoryPaths.Root, path), File.ReadAllBytes(path)));
                // The text of small binary seeds: real shapes and operators in the language.
                foreach (var binary in For(FuzzFormat.Tflite).Concat(For(FuzzFormat.Onnx)).Where(s => s.Bytes.Length < 64 << 10))
                    if (AsText(binary) is { } text) seeds.Add(text);
                break;
        }
        return seeds;
    }

    private static IEnumerable<Seed> Files(string directory, FuzzFormat format, long maxBytes) =>
        !Directory.Exists(directory) ? [] :
        Directory.EnumerateFiles(directory, "*" + format.Extension())
            .Where(p => new FileInfo(p).Length <= maxBytes)
            .Order(StringComparer.Ordinal)
            .Select(p => new Seed(Path.GetFileName(p), File.ReadAllBytes(p)));

    private static Seed? AsText(Seed binary)
    {
        var ext = binary.Bytes.Length >= 8 && binary.Bytes.AsSpan(4, 4).SequenceEqual("TFL3"u8) ? ".tflite" : ".onnx";
        var path = Path.Combine(Path.GetTempPath(), $"graphdsl-fuzz-seed-{Environment.ProcessId}{ext}");
        try
        {
            File.WriteAllBytes(path, binary.Bytes);
            var read = ModelLoader.Load(path);
            return read.Succeeded ? new Seed("text:" + binary.Name, System.Text.Encoding.UTF8.GetBytes(IrPrinter.Print(read.Model!))) : null;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>int8 x[1,8,8,4] -> ADD(x,x) -> two branches (ADD, MUL) -> CONCATENATION on the
    /// channel axis: fan-out and join, so order and arena have choices.</summary>
    private static byte[] BranchedTflite()
    {
        const int Add = 0, Mul = 18, Concat = 2;
        var m = new TestTfliteModel { Description = "fuzz seed" };
        m.OpCodes.Add(new TestOpCode(Add));
        m.OpCodes.Add(new TestOpCode(Mul));
        m.OpCodes.Add(new TestOpCode(Concat));
        var g = new TestSubgraph { Name = "main" };
        TestTensor Act(string name, params int[] shape) => new(name, SampleModels.I8, shape) { Scales = [0.05f], ZeroPoints = [-128] };
        int x = g.Add(Act("x", 1, 8, 8, 4));
        int a = g.Add(Act("a", 1, 8, 8, 4));
        int b = g.Add(Act("b", 1, 8, 8, 4));
        int c = g.Add(Act("c", 1, 8, 8, 4));
        int y = g.Add(Act("y", 1, 8, 8, 8));
        g.Inputs = [x];
        g.Outputs = [y];
        g.Operators.Add(new TestOperator(0, [x, x], [a]));
        g.Operators.Add(new TestOperator(0, [a, x], [b]));
        g.Operators.Add(new TestOperator(1, [a, a], [c]));
        g.Operators.Add(new TestOperator(2, [b, c], [y])
        {
            OptionsType = 10, // ConcatenationOptions
            Options = fb => { fb.StartTable(2); fb.AddInt(0, 3, 0); return fb.EndTable(); },
        });
        m.Subgraphs.Add(g);
        return m.Build();
    }

    /// <summary>x[1,3,8,8] -> Conv -> {Relu, Sigmoid} -> Concat(axis 1) -> Add with a reshaped
    /// constant path: branches, a join, and a shape computed from an initializer.</summary>
    private static ModelProto BranchedOnnx()
    {
        const int F = TestModelBuilder.Float;
        return TestModelBuilder.Model(new GraphProto
        {
            Name = "branched",
            Input = { TestModelBuilder.Value("x", F, 1, 3, 8, 8) },
            Output = { TestModelBuilder.Value("y", F, 1, 8, 8, 8) },
            Initializer = { TestModelBuilder.FloatTensor("W", 4, 3, 3, 3), TestModelBuilder.Int64Tensor("shape", 1, 8, 8, 8) },
            Node =
            {
                TestModelBuilder.Node("Conv", ["x", "W"], ["c"], "conv", TestModelBuilder.Ints("pads", 1, 1, 1, 1)),
                TestModelBuilder.Node("Relu", ["c"], ["r"], "relu"),
                TestModelBuilder.Node("Sigmoid", ["c"], ["s"], "sigmoid"),
                TestModelBuilder.Node("Concat", ["r", "s"], ["cat"], "concat", new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }),
                TestModelBuilder.Node("Reshape", ["cat", "shape"], ["flat"], "reshape"),
                TestModelBuilder.Node("Add", ["flat", "cat"], ["y"], "add"),
            },
        });
    }
}
