using Google.Protobuf;
using GraphDsl.Importers.Onnx.Protos;

namespace GraphDsl.Importers.Onnx.Tests;

/// <summary>Builds small ONNX models in memory for the importer tests.</summary>
internal static class TestModelBuilder
{
    public const int Float = 1, Int64Code = 7;

    public static ModelProto Model(GraphProto graph, long opset = 13) => new()
    {
        IrVersion = 8,
        ProducerName = "graphdsl-tests",
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = opset } },
        Graph = graph,
    };

    public static ValueInfoProto Value(string name, int elementType, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s }
                                        : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } } };
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, string? name = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Input = { inputs }, Output = { outputs }, Attribute = { attributes } };
        if (name is not null) node.Name = name;
        return node;
    }

    public static AttributeProto Ints(string name, params long[] values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    public static TensorProto FloatTensor(string name, params long[] dims)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        return new TensorProto { Name = name, DataType = Float, Dims = { dims }, RawData = ByteString.CopyFrom(new byte[count * 4]) };
    }

    public static TensorProto Int64Tensor(string name, params long[] values) =>
        new() { Name = name, DataType = Int64Code, Dims = { values.Length }, Int64Data = { values } };

    /// <summary>x[1,3,8,8] -> Conv(W[4,3,3,3], pads 1) -> Relu -> y.</summary>
    public static ModelProto ConvRelu() => Model(new GraphProto
    {
        Name = "conv_relu",
        Input = { Value("x", Float, 1, 3, 8, 8) },
        Output = { Value("y", Float, 1, 4, 8, 8) },
        Initializer = { FloatTensor("W", 4, 3, 3, 3) },
        Node =
        {
            Node("Conv", ["x", "W"], ["c"], "conv", Ints("pads", 1, 1, 1, 1)),
            Node("Relu", ["c"], ["y"], "relu"),
        },
    });
}
