namespace GraphDsl.Ir;

/// <summary>Where a constant tensor's bytes are. Large weights are referenced, never inlined.</summary>
public abstract record ConstantData
{
    private ConstantData() { }

    /// <summary>Raw little-endian bytes laid out as the tensor's element type (small constants such
    /// as shape operands, which importers and passes need to read). Written as a list of numbers.</summary>
    public sealed record Inline(EquatableArray<byte> Bytes) : ConstantData;

    /// <summary>Bytes that stay in the source model, named by a key the importer understands
    /// (e.g. <c>buffer/12</c> for a TFLite buffer). Written <c>data("buffer/12")</c>.</summary>
    public sealed record Reference(string Key) : ConstantData;
}
