using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.Ir;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Importers.Tflite.Tests;

/// <summary>Every corpus model imports, with counts from MANIFEST.md and per-tensor facts read by
/// the independent <see cref="RawTfliteReader"/>.</summary>
public sealed class CorpusImportTests
{
    public static IEnumerable<object[]> Models => CorpusModels.TheoryData(".tflite");

    /// <summary>TFLite TensorType value -> (IR type, bits per element), written from the schema here
    /// rather than taken from the importer.</summary>
    private static readonly Dictionary<sbyte, (DataType Type, int Bits)> TypeTable = new()
    {
        [0] = (DataType.Float32, 32), [1] = (DataType.Float16, 16), [2] = (DataType.Int32, 32), [3] = (DataType.UInt8, 8),
        [4] = (DataType.Int64, 64), [6] = (DataType.Bool, 8), [7] = (DataType.Int16, 16), [9] = (DataType.Int8, 8),
        [10] = (DataType.Float64, 64), [15] = (DataType.UInt32, 32), [16] = (DataType.UInt16, 16), [17] = (DataType.Int4, 4),
    };

    private static (int Ops, int Tensors) ManifestCounts(string file)
    {
        var manifest = File.ReadAllLines(Path.Combine(CorpusModels.Directory, "MANIFEST.md"));
        var row = manifest.Single(l => l.StartsWith("| `" + file + "`", StringComparison.Ordinal));
        var cells = row.Split('|').Select(c => c.Trim()).ToArray();
        // Columns: "", File, Format, Source, Licence, Bytes, SHA-256, Ops, Tensors, ...
        return (int.Parse(cells[7]), int.Parse(cells[8]));
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Imports_without_diagnostics_and_counts_match_the_manifest(string file)
    {
        var path = CorpusModels.PathOf(file);
        var result = TfliteImporter.Import(path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var (ops, tensors) = ManifestCounts(file);
        Assert.Equal(ops, result.Model!.Graphs.Sum(g => g.Operators.Count));
        Assert.Equal(tensors, result.Model.Graphs.Sum(g => g.Tensors.Count));
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Every_tensor_matches_an_independent_read_of_the_raw_flatbuffer(string file)
    {
        var path = CorpusModels.PathOf(file);
        var bytes = File.ReadAllBytes(path);
        var raw = new RawTfliteReader(bytes);
        var model = TfliteImporter.Import(bytes, path).Model!;
        Assert.Equal(raw.SubgraphCount, model.Graphs.Count);
        for (int g = 0; g < raw.SubgraphCount; g++)
        {
            var graph = model.Graphs[g];
            var rawTensors = raw.Tensors(g);
            Assert.Equal(rawTensors.Count, graph.Tensors.Count);
            Assert.Equal(raw.OperatorCount(g), graph.Operators.Count);
            Assert.Equal(rawTensors.Count, graph.Tensors.Select(t => t.Name).Distinct().Count());
            for (int i = 0; i < rawTensors.Count; i++)
            {
                var r = rawTensors[i];
                var t = graph.Tensors[i];
                var (type, bits) = TypeTable[r.Type];
                Assert.Equal(type, t.Type.ElementType);
                Assert.Equal(r.Shape.Select(d => (long?)d), t.Type.Shape.Dims.Select(d => d.Value));
                long elements = r.Shape.Aggregate(1L, (a, d) => a * d);
                Assert.Equal((elements * bits + 7) / 8, t.ByteSize);
                var expectedKind = r.IsVariable ? TensorKind.Variable
                    : raw.BufferDataLength(r.Buffer) > 0 ? TensorKind.Constant : TensorKind.Activation;
                Assert.True(expectedKind == t.Kind, $"{file} subgraph{g}/tensor{i} '{r.Name}': expected {expectedKind}, imported {t.Kind}");
                Assert.Equal((long)r.Buffer, t.Attributes["buffer"]!.AsInt());
                if (t.Name != r.Name) Assert.Equal(new AttributeValue.Str(r.Name), t.Attributes["tflite_name"]);
                if (t.Data is ConstantData.Inline inline) Assert.Equal(raw.BufferBytes(r.Buffer), inline.Bytes.ToArray());
            }
        }
    }

    [SkippableFact]
    public void Dequantize_outputs_of_fp16_weights_are_activations_as_in_tflite_micro()
    {
        var model = TfliteImporter.Import(CorpusModels.PathOf("face_detection_short_range.tflite")).Model!;
        var dequantize = model.Main.Operators.Where(o => o.OpType == "DEQUANTIZE").ToList();
        Assert.NotEmpty(dequantize);
        foreach (var op in dequantize)
        {
            var input = model.Main.Tensor(op.Inputs[0]!);
            var output = model.Main.Tensor(op.Outputs[0]!);
            Assert.Equal((DataType.Float16, TensorKind.Constant), (input.Type.ElementType, input.Kind));
            Assert.Equal((DataType.Float32, TensorKind.Activation), (output.Type.ElementType, output.Kind));
            Assert.Equal(input.Type.Shape.ElementCount * 4, output.ByteSize);
        }
    }

    [SkippableFact]
    public void Split_keeps_all_of_its_outputs()
    {
        var model = TfliteImporter.Import(CorpusModels.PathOf("split_concat.tflite")).Model!;
        var split = Assert.Single(model.Main.Operators, o => o.OpType == "SPLIT");
        var raw = new RawTfliteReader(File.ReadAllBytes(CorpusModels.PathOf("split_concat.tflite")));
        Assert.True(split.Outputs.Count >= 2);
        Assert.Equal(split.Attributes["num_splits"]!.AsInt(), split.Outputs.Count);
        Assert.All(split.Outputs, o => Assert.Equal(TensorKind.Activation, model.Main.Tensor(o!).Kind));
        Assert.Equal(raw.OperatorCount(0), model.Main.Operators.Count);
    }

    [SkippableFact]
    public void Svdf_state_tensors_are_variables()
    {
        var path = CorpusModels.PathOf("keyword_scrambled.tflite");
        var model = TfliteImporter.Import(path).Model!;
        var raw = new RawTfliteReader(File.ReadAllBytes(path)).Tensors(0);
        var variables = model.Main.Tensors.Where(t => t.Kind == TensorKind.Variable).Select(t => t.Attributes["buffer"]!.AsInt()).ToList();
        Assert.NotEmpty(variables);
        Assert.Equal(raw.Count(t => t.IsVariable), variables.Count);
    }

    [SkippableFact]
    public void Operators_carry_typed_options_and_a_location()
    {
        var path = CorpusModels.PathOf("person_detect.tflite");
        var model = TfliteImporter.Import(path).Model!;
        var conv = model.Main.Operators.First(o => o.OpType == "CONV_2D");
        Assert.IsType<AttributeValue.Str>(conv.Attributes["padding"]);
        Assert.Contains(((AttributeValue.Str)conv.Attributes["padding"]!).Value, new[] { "SAME", "VALID" });
        Assert.IsType<AttributeValue.Int>(conv.Attributes["stride_w"]);
        Assert.IsType<AttributeValue.Int>(conv.Attributes["version"]);
        var location = Assert.IsType<Ir.Diagnostics.ModelLocation>(conv.Origin.Location);
        Assert.Equal(path, location.Path);
        Assert.Matches(@"^subgraph0/op\d+ 'CONV_2D'$", location.Fragment);
    }
}
