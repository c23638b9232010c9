using Google.Protobuf;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;
using Xunit;
using static GraphDsl.Importers.Onnx.Tests.TestModelBuilder;

namespace GraphDsl.Importers.Onnx.Tests;

/// <summary>Mapping rules of the importer on small hand-built models: constants, folding,
/// opsets, value_info, external data, unsupported operators, unknown protobuf fields.</summary>
public sealed class ImporterBehaviourTests
{
    private static ReadResult Import(ModelProto model, OnnxImportOptions? options = null) =>
        OnnxImporter.Import(model.ToByteArray(), "test.onnx", options);

    private static Graph ImportOk(ModelProto model)
    {
        var result = Import(model);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Model!.Main;
    }

    [Fact]
    public void Unknown_fields_survive_a_read_and_write()
    {
        var known = ConvRelu().ToByteArray();
        // ModelProto field 25 (functions) and 20 (training_info) are not in the subset .proto.
        var extra = new MemoryStream();
        var coded = new CodedOutputStream(extra);
        coded.WriteTag(20, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFromUtf8("training"));
        coded.WriteTag(25, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFrom(1, 2, 3, 4));
        coded.Flush();
        var original = known.Concat(extra.ToArray()).ToArray();
        var parsed = ModelProto.Parser.ParseFrom(original);
        Assert.Equal(original, parsed.ToByteArray());
    }

    [Fact]
    public void Conv_output_size_follows_the_convolution_formula()
    {
        // 8x8 input, 3x3 kernel, stride 2, pads 1: floor((8 + 2 - 3) / 2) + 1 = 4.
        var model = ConvRelu();
        model.Graph.Node[0].Attribute.Add(Ints("strides", 2, 2));
        model.Graph.Output.Clear();
        model.Graph.Output.Add(new ValueInfoProto { Name = "y" });
        var graph = ImportOk(model);
        Assert.Equal(Shape.Of(1, 4, 4, 4), graph.Tensor("y").Type.Shape);
        Assert.Equal(4L * 4 * 4 * 4, graph.Tensor("y").ByteSize);
    }

    [Fact]
    public void Initializers_are_referenced_constants_and_initializer_inputs_are_not_graph_inputs()
    {
        var model = ConvRelu();
        model.Graph.Input.Add(Value("W", Float, 4, 3, 3, 3));
        var result = Import(model);
        Assert.True(result.Succeeded);
        var graph = result.Model!.Main;
        var w = graph.Tensor("W");
        Assert.Equal(TensorKind.Constant, w.Kind);
        Assert.Equal(new ConstantData.Reference("initializer/W"), w.Data);
        Assert.Equal(["x"], graph.Inputs.ToArray());
        Assert.Equal(new AttributeValue.Int(1), result.Model.Attributes["initializer_inputs"]);
    }

    [Fact]
    public void External_data_is_referenced_not_loaded()
    {
        var model = ConvRelu();
        var w = model.Graph.Initializer[0];
        w.ClearRawData();
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "4096" });
        w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "432" });
        var graph = ImportOk(model);
        Assert.Equal(new ConstantData.Reference("external/weights.bin@4096+432"), graph.Tensor("W").Data);
    }

    [Fact]
    public void Shape_subgraph_is_folded_into_an_inline_constant()
    {
        // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): exporters' flatten idiom.
        var model = Model(new GraphProto
        {
            Input = { Value("x", Float, 2, 3, 4, 5) },
            Output = { new ValueInfoProto { Name = "y" } },
            Initializer = { Int64Tensor("zero", 0), Int64Tensor("minus_one", -1) },
            Node =
            {
                Node("Shape", ["x"], ["s"]),
                Node("Gather", ["s", "zero"], ["n"], null, new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 }),
                Node("Concat", ["n", "minus_one"], ["target"], null, new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 }),
                Node("Reshape", ["x", "target"], ["y"], "reshape"),
            },
        });
        var result = Import(model);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var graph = result.Model!.Main;
        Assert.Equal("Reshape", Assert.Single(graph.Operators).OpType);
        Assert.Equal(Shape.Of(2, 60), graph.Tensor("y").Type.Shape);
        var target = graph.Tensor("target");
        Assert.Equal(TensorKind.Constant, target.Kind);
        var bytes = Assert.IsType<ConstantData.Inline>(target.Data).Bytes.ToArray();
        Assert.Equal([2L, -1L], [BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8)]);
        Assert.Equal(new AttributeValue.Int(3), result.Model.Attributes["folded_nodes"]);
    }

    [Fact]
    public void ConstantOfShape_weights_are_constants()
    {
        var model = ConvRelu();
        model.Graph.Initializer.Clear();
        model.Graph.Initializer.Add(Int64Tensor("W_shape", 4, 3, 3, 3));
        model.Graph.Node.Insert(0, Node("ConstantOfShape", ["W_shape"], ["W"], "make_w"));
        var graph = ImportOk(model);
        Assert.Equal(["Conv", "Relu"], graph.Operators.Select(o => o.OpType).ToArray());
        var w = graph.Tensor("W");
        Assert.Equal(TensorKind.Constant, w.Kind);
        Assert.Equal(Shape.Of(4, 3, 3, 3), w.Type.Shape);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Opset_decides_whether_squeeze_axes_are_an_attribute_or_an_input(long opset)
    {
        var squeeze = opset < 13
            ? Node("Squeeze", ["x"], ["y"], null, Ints("axes", 0, 2))
            : Node("Squeeze", ["x", "axes"], ["y"]);
        var graph = new GraphProto
        {
            Input = { Value("x", Float, 1, 5, 1, 7) },
            Output = { new ValueInfoProto { Name = "y" } },
            Node = { squeeze },
        };
        if (opset >= 13) graph.Initializer.Add(Int64Tensor("axes", 0, 2));
        Assert.Equal(Shape.Of(5, 7), ImportOk(Model(graph, opset)).Tensor("y").Type.Shape);
    }

    [Fact]
    public void Value_info_disagreeing_with_inference_is_a_warning_naming_the_tensor()
    {
        var model = ConvRelu();
        model.Graph.ValueInfo.Add(Value("c", Float, 1, 4, 9, 9));
        var result = Import(model);
        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics, d => d.Id == "GD2207");
        Assert.Contains("'c'", warning.Message);
        Assert.Equal(Shape.Of(1, 4, 8, 8), result.Model!.Main.Tensor("c").Type.Shape);
    }

    [Fact]
    public void Unsupported_operator_is_sized_from_value_info_or_reported()
    {
        var model = Model(new GraphProto
        {
            Input = { Value("x", Float, 2, 3) },
            Output = { new ValueInfoProto { Name = "y" } },
            Node = { new NodeProto { OpType = "FancyOp", Domain = "com.example", Name = "fancy", Input = { "x" }, Output = { "y" } } },
        });
        var failed = Import(model);
        Assert.False(failed.Succeeded);
        var error = Assert.Single(failed.Diagnostics, d => d.Id == "GD2206");
        Assert.Contains("FancyOp", error.Message);
        Assert.Contains("fancy", error.Message);

        model.Graph.ValueInfo.Add(Value("y", Float, 6));
        var result = Import(model);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains(result.Diagnostics, d => d.Id == "GD2209");
        var op = Assert.Single(result.Model!.Main.Operators);
        Assert.Equal(new AttributeValue.Str("com.example"), op.Attributes["domain"]);
        Assert.Equal(24L, result.Model.Main.Tensor("y").ByteSize);
    }

    [Fact]
    public void Operators_keep_name_attributes_and_origin()
    {
        var graph = ImportOk(ConvRelu());
        var conv = graph.Operators[0];
        Assert.Equal("conv", conv.Name);
        Assert.Equal(AttributeValue.Ints([1, 1, 1, 1]), conv.Attributes["pads"]);
        Assert.Equal("test.onnx#node0 'conv'", conv.Origin.ToString());
    }

    [Theory]
    [InlineData(1, DataType.Float32)]
    [InlineData(3, DataType.Int8)]
    [InlineData(10, DataType.Float16)]
    [InlineData(16, DataType.BFloat16)]
    [InlineData(17, DataType.Float8E4M3FN)]
    [InlineData(22, DataType.Int4)]
    public void Element_type_codes_map_to_ir_types(int code, DataType type)
    {
        Assert.Equal(type, OnnxElementTypes.FromCode(code));
        Assert.Equal(code, OnnxElementTypes.ToCode(type));
    }
}
