using GraphDsl.Importers.Tflite;
using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.TestKit.Tflite;
using GraphDsl.TestKit.Tflm;
using Xunit;

namespace GraphDsl.Lowering.Tflite.Tests;

/// <summary>What the writer does with a changed graph without running it: new operator codes,
/// shared weight buffers, and located errors for what TFLite cannot express.</summary>
public sealed class ChangedGraphWriterTests
{
    private static readonly ModelLocation PassPlace = new("tile.gdsl", "band 1");

    private static (byte[] Original, Graph Main, int Conv) RandomModelWithConv()
    {
        for (int seed = 0; ; seed++)
        {
            var original = RandomTfliteModels.Build(seed);
            var main = TfliteImporter.Import(original, "random.tflite").Model!.Main;
            int conv = main.Operators.Select((op, i) => (op, i)).FirstOrDefault(x => x.op.OpType == "CONV_2D" && RowBands.IsSplittable(main, x.op), (null!, -1)).Item2;
            if (conv >= 0) return (original, main, conv);
        }
    }

    [Fact]
    public void New_operator_codes_are_appended_and_weights_stay_in_one_buffer()
    {
        var (original, main, conv) = RandomModelWithConv();
        var split = RowBands.Split(main, conv, 3).Graph;
        var bytes = TfliteRewriter.Rewrite(original, split, null);

        var before = new RawTfliteReader(original);
        var after = new RawTfliteReader(bytes);
        var codes = after.OperatorCodes();
        Assert.Equal(before.OperatorCodes(), codes.Take(before.OperatorCodes().Count));
        // schema.fbs: SLICE = 65, PAD = 34, CONCATENATION = 2; each new (code, version) appended once.
        var codeOf = new Dictionary<string, int> { ["SLICE"] = 65, ["PAD"] = 34, ["CONCATENATION"] = 2 };
        var expected = split.Operators.Where(op => codeOf.ContainsKey(op.OpType))
            .Select(op => ((sbyte)codeOf[op.OpType], codeOf[op.OpType], (int)op.Attributes["version"]!.AsInt()!.Value)).Distinct()
            .Where(c => !before.OperatorCodes().Any(b => Math.Max(b.Deprecated, b.Builtin) == c.Item2 && b.Version == c.Item3)).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, codes.Skip(before.OperatorCodes().Count));

        // Every band's convolution names the original weight tensor and bias, hence one buffer each.
        var weights = main.Operators[conv].Inputs[1]!;
        var rawMain = after.Tensors(0);
        var weightBuffer = rawMain.Single(t => t.Name == weights).Buffer;
        Assert.Equal(before.Tensors(0).Single(t => t.Name == weights).Buffer, weightBuffer);
        Assert.Equal(1, rawMain.Count(t => t.Buffer == weightBuffer));
        // New buffers: only the distinct small constants (begin/size/paddings), nothing else.
        int distinctConstants = split.Tensors.Where(t => t.Data is ConstantData.Inline && main.FindTensor(t.Name) is null)
            .Select(t => Convert.ToHexString(((ConstantData.Inline)t.Data!).Bytes.ToArray())).Distinct().Count();
        Assert.Equal(before.BufferCount + distinctConstants, after.BufferCount);
    }

    [Fact]
    public void An_operator_code_above_127_is_written_with_the_deprecated_field_saturated()
    {
        var (original, main, conv) = RandomModelWithConv();
        var output = main.Operators[conv].Outputs[0]!;
        var t = main.Tensor(output);
        var gelu = new Operator("GELU", new string?[] { output }, new string?[] { "gelu_out" }) { Attributes = AttributeMap.From(("version", 1), ("approximate", false)) };
        var g = main with
        {
            Tensors = main.Tensors.Append(t with { Name = "gelu_out", Attributes = AttributeMap.Empty }).ToEquatableArray(),
            Operators = main.Operators.Append(gelu).ToEquatableArray(),
            Outputs = main.Outputs.Append("gelu_out").ToEquatableArray(),
        };
        var bytes = TfliteRewriter.Rewrite(original, g, null);
        Assert.Contains((sbyte)127, new RawTfliteReader(bytes).OperatorCodes().Where(c => c.Builtin == 150).Select(c => c.Deprecated));
        var back = TfliteImporter.Import(bytes, "gelu.tflite").Model!.Main;
        Assert.Equal(gelu with { Origin = default }, back.Operators[^1] with { Origin = default });
    }

    public static TheoryData<string, Func<Graph, int, Graph>, string> BadGraphs => new()
    {
        {
            "an attribute that is no field of the options table",
            (g, conv) => Replace(g, conv, op => op with { Attributes = op.Attributes.With("band_rows", 4), Origin = PassPlace }),
            "'band_rows'"
        },
        {
            "an enum value the schema does not have",
            (g, conv) => Replace(g, conv, op => op with { Attributes = op.Attributes.With("padding", "DIAGONAL"), Origin = PassPlace }),
            "padding = \"DIAGONAL\""
        },
        {
            "an operator type TFLite does not have",
            (g, conv) => Replace(g, conv, op => op with { OpType = "CONV_7D", Origin = PassPlace }),
            "'CONV_7D'"
        },
        {
            "an operator stored before the producer of its input",
            (g, conv) => g with
            {
                // The last operator reads something an earlier one writes; stored first it comes too early.
                Operators = new[] { g.Operators[^1] with { Origin = PassPlace } }.Concat(g.Operators.Take(g.Operators.Count - 1)).ToEquatableArray(),
            },
            "before operator"
        },
    };

    [Theory]
    [MemberData(nameof(BadGraphs))]
    public void What_tflite_cannot_express_is_an_error_at_the_ir_node(string what, Func<Graph, int, Graph> change, string expected)
    {
        var (original, main, conv) = RandomModelWithConv();
        var g = change(main, conv);
        var result = TfliteRewriter.TryRewrite(original, "random.tflite", g, null);
        Assert.False(result.Succeeded, what);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("GD2106", d.Id);
        Assert.Equal(PassPlace, d.Location);
        Assert.Contains(expected, d.Message);
    }

    [Fact]
    public void A_constant_naming_a_buffer_the_model_lacks_is_an_error_at_the_tensor()
    {
        var (original, main, conv) = RandomModelWithConv();
        var weights = main.Operators[conv].Inputs[1]!;
        var g = main with
        {
            Tensors = main.Tensors.Select(t => t.Name == weights ? t with { Data = new ConstantData.Reference("buffer/99999"), Origin = PassPlace } : t).ToEquatableArray(),
        };
        var d = Assert.Single(TfliteRewriter.TryRewrite(original, "random.tflite", g, null).Diagnostics);
        Assert.Equal(PassPlace, d.Location);
        Assert.Contains("buffer/99999", d.Message);
    }

    [Fact]
    public void A_stale_shape_signature_on_a_new_tensor_is_an_error_at_the_tensor()
    {
        var (original, main, conv) = RandomModelWithConv();
        var split = RowBands.Split(main, conv, 2).Graph;
        var band = split.Tensors.First(t => t.Name.EndsWith("/band0", StringComparison.Ordinal));
        var fullShape = main.Tensor(main.Operators[conv].Outputs[0]!).Type.Shape.Dims.Select(d => d.Value!.Value);
        var g = split with
        {
            Tensors = split.Tensors.Select(t => t == band
                ? t with { Attributes = t.Attributes.With("shape_signature", AttributeValue.Ints(fullShape)), Origin = PassPlace }
                : t).ToEquatableArray(),
        };
        var d = Assert.Single(TfliteRewriter.TryRewrite(original, "random.tflite", g, null).Diagnostics);
        Assert.Equal(PassPlace, d.Location);
        Assert.Contains("shape_signature", d.Message);
    }

    [Fact]
    public void A_plan_for_another_tensor_count_is_refused()
    {
        var (original, main, conv) = RandomModelWithConv();
        var split = RowBands.Split(main, conv, 2).Graph;
        var result = TfliteRewriter.TryRewrite(original, "random.tflite", split, RowBands.SeparatePlan(main));
        Assert.Contains($"but the lowered graph has {split.Tensors.Count} tensors", Assert.Single(result.Diagnostics).Message);
    }

    private static Graph Replace(Graph g, int index, Func<Operator, Operator> change) =>
        g with { Operators = g.Operators.Select((op, i) => i == index ? change(op) : op).ToEquatableArray() };
}
