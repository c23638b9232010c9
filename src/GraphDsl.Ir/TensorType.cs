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

    /// <summary>Largest tensor GraphDsl accepts: 2^31 - 1 bytes. TensorFlow Lite Micro's offline
    /// memory plan stores arena offsets as int32 (the <c>OfflineMemoryAllocation</c> metadata read
    /// by micro_allocation_info.cc) and a flatbuffer cannot exceed 2 GiB, so no deployable tensor
    /// is larger; the bound also keeps every sum of sizes and offsets far from overflow.</summary>
    public const long MaxByteSize = int.MaxValue;

    /// <summary>Why this type cannot be a tensor (a negative dimension, or more than
    /// <see cref="MaxByteSize"/> bytes), or null. Never throws: computed without overflow, so a
    /// shape of 2^40 x 2^40 is refused instead of breaking <see cref="ByteSize"/>.</summary>
    public string? SizeProblem()
    {
        if (Shape.Dims.Any(d => d.Value < 0)) return "a dimension is negative";
        var bits = ElementType.BitsPerElement();
        if (!Shape.IsFullyKnown || bits == 0) return null;
        UInt128 total = (ulong)bits;
        foreach (var d in Shape.Dims)
        {
            total *= (ulong)d.Value!.Value;
            if (total > (UInt128)MaxByteSize * 8) return $"it has more than {MaxByteSize} bytes";
        }
        return null;
    }

    public override string ToString() => ElementType.ToText() + Shape;
}
