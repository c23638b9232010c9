using Google.Protobuf;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using Xunit;
using static GraphDsl.Importers.Onnx.Tests.TestModelBuilder;

namespace GraphDsl.Importers.Onnx.Tests;

/// <summary>Malformed models give one clear GD22xx error and no model, never an exception.</summary>
public sealed class BadInputTests
{
    private static Diagnostic SingleError(ReadResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Model);
        return Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
    }

    private static ReadResult Import(ModelProto model) => OnnxImporter.Import(model.ToByteArray(), "test.onnx");

    [Fact]
    public void The_well_formed_base_model_imports()
    {
        var result = Import(ConvRelu());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(4L * 8 * 8 * 4, result.Model!.Main.Tensor("c").ByteSize);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(0.99)]
    public void Truncated_file(double fraction)
    {
        var bytes = ConvRelu().ToByteArray();
        var truncated = bytes[..(int)(bytes.Length * fraction)];
        var error = SingleError(OnnxImporter.Import(truncated, "test.onnx"));
        Assert.Equal("GD2202", error.Id);
        Assert.Contains("truncated", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Garbage_bytes()
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes("this is certainly not an ONNX model, just text");
        Assert.Equal("GD2202", SingleError(OnnxImporter.Import(bytes, "test.onnx")).Id);
    }

    [Fact]
    public void Missing_file()
    {
        var error = SingleError(OnnxImporter.Import(Path.Combine(Path.GetTempPath(), "graphdsl-no-such-model.onnx")));
        Assert.Equal("GD2201", error.Id);
    }

    [Fact]
    public void Graph_field_with_the_wrong_wire_type()
    {
        // Field 7 (graph) written as a varint instead of a length-delimited message.
        var output = new MemoryStream();
        var coded = new CodedOutputStream(output);
        coded.WriteTag(1, WireFormat.WireType.Varint);
        coded.WriteInt64(8);
        coded.WriteTag(7, WireFormat.WireType.Varint);
        coded.WriteInt64(42);
        coded.Flush();
        Assert.Equal("GD2203", SingleError(OnnxImporter.Import(output.ToArray(), "test.onnx")).Id);
    }

    [Fact]
    public void Initializer_data_does_not_match_its_type()
    {
        var model = ConvRelu();
        model.Graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[7]);
        var error = SingleError(Import(model));
        Assert.Equal("GD2212", error.Id);
        Assert.Contains("'W'", error.Message);
    }

    [Fact]
    public void Unknown_element_type_code()
    {
        var model = ConvRelu();
        model.Graph.Initializer[0].DataType = 99;
        var error = SingleError(Import(model));
        Assert.Equal("GD2212", error.Id);
        Assert.Contains("99", error.Message);
    }

    [Fact]
    public void Missing_initializer()
    {
        var model = ConvRelu();
        model.Graph.Initializer.Clear();
        var error = SingleError(Import(model));
        Assert.Equal("GD2204", error.Id);
        Assert.Contains("'W'", error.Message);
        Assert.Contains("Conv", error.Message);
    }

    [Fact]
    public void Initializer_without_data()
    {
        var model = ConvRelu();
        model.Graph.Initializer[0].ClearRawData();
        Assert.Equal("GD2212", SingleError(Import(model)).Id);
    }

    [Fact]
    public void Dangling_tensor_name()
    {
        var model = ConvRelu();
        model.Graph.Node[1].Input[0] = "nowhere";
        var error = SingleError(Import(model));
        Assert.Equal("GD2204", error.Id);
        Assert.Contains("'nowhere'", error.Message);
        Assert.Contains("relu", error.Message);
    }

    [Fact]
    public void Dangling_graph_output()
    {
        var model = ConvRelu();
        model.Graph.Output.Add(Value("ghost", Float, 1));
        Assert.Equal("GD2211", SingleError(Import(model)).Id);
    }

    [Fact]
    public void Cycle()
    {
        var model = ConvRelu();
        // conv reads relu's output and relu reads conv's: neither can run first.
        model.Graph.Node[0].Input[0] = "y";
        var error = SingleError(Import(model));
        Assert.Equal("GD2205", error.Id);
        Assert.Contains("conv", error.Message);
        Assert.Contains("relu", error.Message);
    }

    [Fact]
    public void Unknowable_size_names_node_operator_and_what_is_missing()
    {
        // Reshape whose target shape is a runtime input: its output size cannot be known.
        var model = Model(new GraphProto
        {
            Input = { Value("x", Float, 2, 6), Value("s", Int64Code, 2) },
            Output = { new ValueInfoProto { Name = "y" } },
            Node = { Node("Reshape", ["x", "s"], ["y"], "reshape") },
        });
        var error = SingleError(Import(model));
        Assert.Equal("GD2206", error.Id);
        Assert.Contains("'y'", error.Message);
        Assert.Contains("reshape", error.Message);
        Assert.Contains("Reshape", error.Message);
        Assert.Contains("not a known constant", error.Message);
    }
}
