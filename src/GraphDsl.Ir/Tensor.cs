namespace GraphDsl.Ir;

/// <summary>A named value of a graph: an activation, a constant or a variable.</summary>
public sealed record Tensor(string Name, TensorType Type)
{
    public TensorKind Kind { get; init; } = TensorKind.Activation;

    public Quantization? Quantization { get; init; }

    /// <summary>Where a constant's bytes are; null for activations and for constants whose
    /// values do not matter (hand-written weights).</summary>
    public ConstantData? Data { get; init; }

    /// <summary>Facts from the source model that are not part of the type (e.g. a TFLite
    /// <c>shape_signature</c> or buffer index).</summary>
    public AttributeMap Attributes { get; init; } = AttributeMap.Empty;

    /// <summary>Results that passes attach (e.g. <c>@arena(offset=..)</c>).</summary>
    public AttributeMap Annotations { get; init; } = AttributeMap.Empty;

    public Origin Origin { get; init; }

    /// <summary>Exact size in bytes, or null when the shape is not fully known.</summary>
    public long? ByteSize => Type.ByteSize;

    public bool IsActivation => Kind == TensorKind.Activation;
}
