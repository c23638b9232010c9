using GraphDsl.Ir;

namespace GraphDsl.Pipeline.Tests;

/// <summary>Small graphs built in code for pipeline tests.</summary>
internal static class TestGraphs
{
    /// <summary>x -> RELU -> a -> RELU -> y, f32[1,64] activations (256 bytes each).</summary>
    public static Model Chain()
    {
        var type = new TensorType(DataType.Float32, Shape.Of(1, 64));
        var graph = new Graph("chain",
            EquatableArray.Create(new Tensor("x", type), new Tensor("a", type), new Tensor("y", type)),
            EquatableArray.Create(
                new Operator("RELU", EquatableArray.Create<string?>("x"), EquatableArray.Create<string?>("a")),
                new Operator("RELU", EquatableArray.Create<string?>("a"), EquatableArray.Create<string?>("y"))),
            EquatableArray.Create("x"), EquatableArray.Create("y"));
        return Model.Of(graph);
    }
}
