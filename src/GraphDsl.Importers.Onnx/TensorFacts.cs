using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx;

/// <summary>What inference knows about one ONNX value: element type (null = unknown), dimensions
/// (null = unknown rank), whether it is a constant, and, for small constants, the values.</summary>
internal sealed record TensorFacts(DataType? Type, Dim[]? Dims)
{
    public ConstValue? Value { get; init; }

    public bool IsConstant { get; init; }

    public int Rank => Dims?.Length ?? -1;

    public bool IsFullyKnown => Dims is not null && Dims.All(d => d.IsKnown);

    /// <summary>Known extents, or null when some dimension is not a number.</summary>
    public long[]? KnownDims => IsFullyKnown ? Dims!.Select(d => d.Value!.Value).ToArray() : null;

    public static TensorFacts Known(DataType? type, IEnumerable<long> dims) => new(type, dims.Select(Dim.Known).ToArray());

    public static TensorFacts OfValue(DataType type, ConstValue value) =>
        Known(type, value.Shape) with { Value = value, IsConstant = true };

    public Shape ToShape() => Dims is null ? Shape.UnknownRank : new Shape(Dims.ToEquatableArray());

    public string Describe() => (Type?.ToText() ?? "?") + ToShape();

    /// <summary>Same type and shape (values and constness ignored).</summary>
    public bool SameTypeAndShape(TensorFacts other) =>
        Type == other.Type && (Dims is null ? other.Dims is null : other.Dims is not null && Dims.SequenceEqual(other.Dims));
}
