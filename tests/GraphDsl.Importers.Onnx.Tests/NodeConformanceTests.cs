using Google.Protobuf;
using GraphDsl.Importers.Onnx.Inference;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Importers.Onnx.Tests;

/// <summary>ONNX backend node tests (Debian package libonnx-testdata): for every test whose
/// operators all have shape inference, the inferred graph-output shapes and element types must
/// equal those of the reference outputs in <c>test_data_set_0/output_*.pb</c>.</summary>
/// <remarks>Small inputs (at most <see cref="MaxConstantInputElements"/> elements) are given to
/// the importer as initializers, because node tests pass shape operands (Reshape's shape,
/// Resize's scales, Slice's starts) as graph inputs; their values come from input_*.pb.</remarks>
public sealed class NodeConformanceTests(ITestOutputHelper output)
{
    public const string NodeTestDirectory = "/usr/share/libonnx-testdata/data/node";

    private const int MaxConstantInputElements = 64;

    private const double RequiredPassRate = 0.95;

    [SkippableFact]
    public void Inferred_output_shapes_match_the_reference_outputs()
    {
        Skip.IfNot(Directory.Exists(NodeTestDirectory),
            $"ONNX NODE TESTS NOT FOUND at {NodeTestDirectory}: install the Debian package libonnx-testdata (apt-get install -y libonnx-testdata). Conformance test skipped.");
        var supported = OperatorInference.SupportedOperators.ToHashSet();
        var failures = new List<string>();
        var unsupported = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int passed = 0, total = 0;
        foreach (var dir in Directory.GetDirectories(NodeTestDirectory).Order(StringComparer.Ordinal))
        {
            var modelPath = Path.Combine(dir, "model.onnx");
            var dataDir = Path.Combine(dir, "test_data_set_0");
            if (!File.Exists(modelPath) || !Directory.Exists(dataDir)) continue;
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath));
            var missing = model.Graph.Node.Where(n => n.Domain is not ("" or "ai.onnx") || !supported.Contains(n.OpType))
                .Select(n => n.Domain is "" or "ai.onnx" ? n.OpType : n.Domain + "." + n.OpType).Distinct().ToList();
            if (missing.Count > 0)
            {
                foreach (var op in missing) unsupported[op] = unsupported.GetValueOrDefault(op) + 1;
                continue;
            }
            total++;
            var problem = Check(dir, model, dataDir);
            if (problem is null) passed++;
            else failures.Add($"{Path.GetFileName(dir)}: {problem}");
        }
        double rate = total == 0 ? 0 : (double)passed / total;
        output.WriteLine($"ONNX node conformance: {passed}/{total} supported-operator tests pass ({rate:P1})");
        output.WriteLine($"Failures ({failures.Count}):");
        foreach (var f in failures) output.WriteLine("  " + f);
        output.WriteLine($"Unsupported operators ({unsupported.Count}, with test counts): " +
                         string.Join(", ", unsupported.Select(kv => $"{kv.Key}({kv.Value})")));
        Assert.True(total > 0, "no node test uses only supported operators");
        Assert.True(rate >= RequiredPassRate, $"pass rate {rate:P1} below {RequiredPassRate:P0}");
    }

    /// <summary>Null when every graph output matches, else what differs.</summary>
    private static string? Check(string dir, ModelProto model, string dataDir)
    {
        var graph = model.Graph;
        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet();
        var inputs = graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList();
        var rewritten = model.Clone();
        for (int i = 0; i < inputs.Count; i++)
        {
            var file = Path.Combine(dataDir, $"input_{i}.pb");
            if (!File.Exists(file)) continue;
            TensorProto value;
            try { value = TensorProto.Parser.ParseFrom(File.ReadAllBytes(file)); }
            catch (InvalidProtocolBufferException) { continue; }
            if (value.Dims.Aggregate(1L, (a, b) => a * b) > MaxConstantInputElements || value.DataType == 8) continue;
            value.Name = inputs[i].Name;
            rewritten.Graph.Initializer.Add(value);
        }
        var result = OnnxImporter.Import(rewritten.ToByteArray(), Path.Combine(dir, "model.onnx"), OnnxImportOptions.Default);
        if (result.Model is null)
            return "import failed: " + string.Join(" | ", result.Diagnostics.Where(d => d.Severity == Ir.Diagnostics.Severity.Error).Take(2));
        var ir = result.Model.Main;
        var problems = new List<string>();
        for (int k = 0; k < graph.Output.Count; k++)
        {
            var file = Path.Combine(dataDir, $"output_{k}.pb");
            if (!File.Exists(file)) continue;
            TensorProto expected;
            try { expected = TensorProto.Parser.ParseFrom(File.ReadAllBytes(file)); }
            catch (InvalidProtocolBufferException) { problems.Add($"output_{k}.pb is not a TensorProto"); continue; }
            var name = graph.Output[k].Name;
            var tensor = ir.FindTensor(name);
            var expectedType = OnnxElementTypes.FromCode(expected.DataType);
            var expectedShape = Shape.Of(expected.Dims.ToArray());
            if (tensor is null) problems.Add($"output '{name}' missing");
            else if (!tensor.Type.Shape.Equals(expectedShape) || tensor.Type.ElementType != expectedType)
                problems.Add($"'{name}': inferred {tensor.Type}, reference {expectedType?.ToText() ?? "?"}{expectedShape}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
