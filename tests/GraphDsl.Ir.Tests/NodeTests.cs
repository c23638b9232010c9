using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Ir.Tests;

/// <summary>Operator type spelling (onnx.proto: the default domain is "" or "ai.onnx"), attribute
/// maps, and the value equality that makes parse(print(m)) == m meaningful.</summary>
public sealed class NodeTests
{
    [Theory]
    [InlineData("ai.onnx.Concat", "Concat")]
    [InlineData("Concat", "Concat")]
    [InlineData("CONV_2D", "CONV_2D")]
    [InlineData("com.microsoft.FusedConv", "com.microsoft.FusedConv")] // another domain stays qualified
    [InlineData("ai.onnx.ml.TreeEnsembleClassifier", "ai.onnx.ml.TreeEnsembleClassifier")] // ai.onnx.ml is its own domain
    [InlineData("ai.onnx.", "ai.onnx.")] // nothing after the prefix: not an operator of the default domain
    public void Operator_types_of_the_default_onnx_domain_are_stored_unqualified(string written, string stored)
    {
        var op = new Operator(written, new EquatableArray<string?>(["x"]), new EquatableArray<string?>(["y"]));
        Assert.Equal(stored, op.OpType);
        Assert.Equal(stored, (op with { OpType = written }).OpType);
    }

    [Fact]
    public void Attribute_maps_keep_their_order_replace_in_place_and_refuse_duplicates()
    {
        var map = AttributeMap.From(("stride_w", (AttributeValue)2L), ("padding", (AttributeValue)"SAME"), ("stride_h", (AttributeValue)2L));
        var replaced = map.With("padding", "VALID");
        Assert.Equal(["stride_w", "padding", "stride_h"], replaced.Select(e => e.Key));
        Assert.Equal((AttributeValue)"VALID", replaced["padding"]);
        Assert.Equal((AttributeValue)"SAME", map["padding"]); // the original is unchanged
        Assert.Equal(["stride_w", "padding", "stride_h", "dilation"], map.With("dilation", 1L).Select(e => e.Key));
        Assert.Same(map, map.Without("absent"));
        Assert.Equal(["stride_w", "stride_h"], map.Without("padding").Select(e => e.Key));
        Assert.Throws<ArgumentException>(() => AttributeMap.From(("a", (AttributeValue)1L), ("a", (AttributeValue)2L)));
        Assert.Same(AttributeMap.Empty, AttributeMap.From());
    }

    [Fact]
    public void Equality_is_by_value_and_ignores_where_a_node_came_from()
    {
        var here = new Origin(new SourceSpan("a.gdsl", 3, 1));
        var there = new Origin(new SourceSpan("b.gdsl", 9, 4));
        var a = new Tensor("x", new TensorType(DataType.Int8, Shape.Of(1, 4))) { Origin = here };
        var b = new Tensor("x", new TensorType(DataType.Int8, Shape.Of(1, 4))) { Origin = there };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Type = new TensorType(DataType.Int8, Shape.Of(1, 5)) });
        Assert.NotEqual(a, b with { Kind = TensorKind.Constant });
        Assert.NotEqual(a, b with { Annotations = AttributeMap.From(("arena", (AttributeValue)0L)) });
    }
}
