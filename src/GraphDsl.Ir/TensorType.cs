namespace GraphDsl.Ir;

/// <summary>Element type and shape, written <c>i8[1,96,96,3]</c> in the graph language.</summary>
public sealed record TensorType(DataType ElementType, Shape Shape)
{
    /// <summary>Exact bytes of one tensor of this type: elements times element bits, rounded up
    /// to whole bytes (4-bit types pack two elements per byte). Null when the shape is not fully
    /// known or the element type has no fixed size.</summary>
    public long? ByteSize
    {
        get
        {
            var bits = ElementType.BitsPerElement();
            var count = Shape.ElementCount;
            if (bits == 0 || count is null) return null;
            return checked((count.Value * bits + 7) / 8);
        }
    }

    public override string ToString() => ElementType.ToText() + Shape;
}
