using Google.Protobuf;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;
using GraphDsl.TestKit;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Importers.Onnx.Tests;

/// <summary>Runs each corpus model in OnnxRuntime with every intermediate value exposed as a graph
/// output (the model bytes are rewritten in memory) and compares each runtime shape and element
/// type with the importer's inferred ones.</summary>
public sealed class OnnxRuntimeCrossCheckTests(ITestOutputHelper output)
{
    /// <summary>Symbolic dims of the inputs: the leading (batch) dim gets 1, spatial ones 64 (a
    /// multiple of 32 so the FPN up-sampling of the OCR model lines up).</summary>
    private const long BatchValue = 1, SpatialValue = 64;

    /// <summary>Outputs per session run: bounds the memory held by exposed intermediates.</summary>
    private const int OutputsPerRun = 300;

    public static IEnumerable<object[]> Models => CorpusModels.TheoryData(".onnx");

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Inferred_shapes_equal_runtime_shapes(string file)
    {
        var path = CorpusModels.PathOf(file);
        var bytes = File.ReadAllBytes(path);
        var model = ModelProto.Parser.ParseFrom(bytes);
        var graph = model.Graph;
        var dims = new Dictionary<string, long>();
        foreach (var input in graph.Input)
            for (int i = 0; i < (input.Type?.TensorType?.Shape?.Dim.Count ?? 0); i++)
                if (input.Type!.TensorType.Shape.Dim[i] is { HasDimParam: true } d) dims[d.DimParam] = i == 0 ? BatchValue : SpatialValue;

        var result = OnnxImporter.Import(bytes, path, new OnnxImportOptions { DimValues = dims });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var ir = result.Model!.Main;

        // Every node output the importer kept (activations and folded constants still read).
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var names = graph.Node.SelectMany(n => n.Output).Where(n => n.Length > 0 && ir.FindTensor(n) is not null).Distinct().ToList();
        var inputs = ir.Inputs.Select(n => ir.Tensor(n)).ToList();

        var mismatches = new List<string>();
        int compared = 0;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        foreach (var chunk in names.Chunk(OutputsPerRun))
        {
            var rewritten = model.Clone();
            rewritten.Graph.Output.Clear();
            // No declared type: the runtime infers it, and the test compares it below.
            foreach (var name in chunk) rewritten.Graph.Output.Add(new ValueInfoProto { Name = name });
            using var session = new InferenceSession(rewritten.ToByteArray(), options);
            var inputValues = inputs.Select(RandomInput).ToList();
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs.Select(t => t.Name).ToList(), inputValues, chunk);
            for (int i = 0; i < chunk.Length; i++)
            {
                var info = outputs[i].GetTensorTypeAndShape();
                var actual = Shape.Of(info.Shape);
                var inferred = ir.Tensor(chunk[i]).Type;
                compared++;
                // TensorElementType values are the ONNX TensorProto.DataType codes.
                if (!inferred.Shape.Equals(actual) || OnnxElementTypes.ToCode(inferred.ElementType) != (int)info.ElementDataType)
                    mismatches.Add($"{chunk[i]}: inferred {inferred}, runtime {info.ElementDataType}{actual}");
            }
            foreach (var v in inputValues) v.Dispose();
        }
        output.WriteLine($"{file}: compared {compared} intermediates, {mismatches.Count} mismatches");
        foreach (var m in mismatches.Take(50)) output.WriteLine(m);
        Assert.Empty(mismatches);
    }

    private static OrtValue RandomInput(Tensor tensor)
    {
        var shape = tensor.Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var random = new Random(1234);
        return tensor.Type.ElementType switch
        {
            DataType.Float32 => OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, (int)count).Select(_ => (float)random.NextDouble()).ToArray(), shape),
            DataType.Int64 => OrtValue.CreateTensorValueFromMemory(new long[count], shape),
            DataType.Int32 => OrtValue.CreateTensorValueFromMemory(new int[count], shape),
            DataType.UInt8 => OrtValue.CreateTensorValueFromMemory(new byte[count], shape),
            DataType.Int8 => OrtValue.CreateTensorValueFromMemory(new sbyte[count], shape),
            _ => throw new NotSupportedException($"test inputs of type {tensor.Type.ElementType}"),
        };
    }
}
