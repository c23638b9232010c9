using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Importers.Onnx.Tests;

/// <summary>Every ONNX model of the corpus imports without errors and with every activation sized.</summary>
public sealed class CorpusImportTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Models => CorpusModels.TheoryData(".onnx");

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Imports_with_every_activation_sized(string file)
    {
        var result = OnnxImporter.Import(CorpusModels.PathOf(file), OnnxImportOptions.Default);
        foreach (var d in result.Diagnostics.Take(30)) output.WriteLine(d.ToString());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Where(d => d.Severity == Severity.Error).Take(10)));
        // The IR verifier (structure: defined names, single producers, no cycles) accepts it.
        var verified = ModelLoader.Verified(result);
        Assert.True(verified.Succeeded, string.Join("\n", result.Diagnostics.Where(d => d.Severity == Severity.Error).Take(10)));
        var graph = result.Model!.Main;
        var unsized = graph.Tensors.Where(t => t.IsActivation && t.ByteSize is null).Select(t => t.Name).ToList();
        Assert.Empty(unsized);
        Assert.NotNull(MemoryProblem.TryCreate(graph, out _));
        // Every operator input is a tensor of the table (folding must not leave dangling names).
        foreach (var op in graph.Operators)
            foreach (var name in op.PresentInputs.Concat(op.PresentOutputs))
                Assert.NotNull(graph.FindTensor(name));
        // The canonical text reads back to the same text.
        var text = IrPrinter.Print(result.Model!);
        var reparsed = GraphDsl.Syntax.GraphDslSyntax.Parse(text, file + ".gdsl");
        Assert.True(reparsed.Succeeded, string.Join("\n", reparsed.Diagnostics.Take(5)));
        Assert.Equal(text, IrPrinter.Print(reparsed.Model!));
        output.WriteLine($"{file}: {graph.Operators.Count} operators, {graph.Tensors.Count(t => t.IsActivation)} activations, " +
                         $"folded {result.Model.Attributes["folded_nodes"]}");
    }

    [SkippableFact]
    public void Loads_through_the_model_loader_by_extension()
    {
        var result = ModelLoader.Load(CorpusModels.PathOf("light_inception_v1.onnx"));
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(new AttributeValue.Str("onnx"), result.Model!.Attributes["format"]);
    }

    [SkippableFact]
    public void Symbolic_dims_take_the_given_values()
    {
        var path = CorpusModels.PathOf("ch_PP-OCRv4_det_infer.onnx");
        var options = new OnnxImportOptions
        {
            DimValues = new Dictionary<string, long> { ["p2o.DynamicDimension.0"] = 2, ["p2o.DynamicDimension.1"] = 96, ["p2o.DynamicDimension.2"] = 160 },
        };
        var result = OnnxImporter.Import(path, options);
        Assert.True(result.Succeeded);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "GD2208");
        Assert.Equal(Shape.Of(2, 3, 96, 160), result.Model!.Main.Tensor("x").Type.Shape);
        // The default is stated as a warning naming the symbol.
        var defaulted = OnnxImporter.Import(path, OnnxImportOptions.Default);
        Assert.Contains(defaulted.Diagnostics, d => d.Id == "GD2208" && d.Message.Contains("p2o.DynamicDimension.1"));
    }

    [SkippableFact]
    public void Light_models_fold_weight_chains_into_constants()
    {
        var path = CorpusModels.PathOf("light_squeezenet.onnx");
        var result = OnnxImporter.Import(path, OnnxImportOptions.Default);
        Assert.True(result.Succeeded);
        var graph = result.Model!.Main;
        Assert.DoesNotContain(graph.Operators, o => o.OpType is "ConstantOfShape" or "Constant");
        // Conv weights are constants, not activations.
        foreach (var conv in graph.Operators.Where(o => o.OpType == "Conv"))
            Assert.Equal(TensorKind.Constant, graph.Tensor(conv.Inputs[1]!).Kind);
        Assert.True(result.Model.Attributes["folded_nodes"]!.AsInt() > 0);
    }

    /// <summary>The stored-order activation peak of light_densenet121, a figure quoted elsewhere
    /// (8,429,568 bytes), as a cross-check of the inferred sizes.</summary>
    [SkippableFact]
    public void Light_densenet121_stored_order_peak()
    {
        var result = OnnxImporter.Import(CorpusModels.PathOf("light_densenet121.onnx"), OnnxImportOptions.Default);
        Assert.True(result.Succeeded);
        var graph = result.Model!.Main;
        var profile = MemoryProfile.Compute(MemoryProblem.Create(graph), ExecutionOrder.Stored(graph));
        output.WriteLine($"light_densenet121 stored-order peak: {profile.PeakBytes} bytes at step {profile.PeakStep}");
        Assert.Equal(8_429_568, profile.PeakBytes);
    }
}
