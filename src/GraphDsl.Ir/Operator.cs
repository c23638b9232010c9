namespace GraphDsl.Ir;

/// <summary>One operator application: <c>outputs = OP_TYPE(inputs) {attributes}</c>.</summary>
/// <remarks>Inputs and outputs name tensors of the same graph; a null entry is an absent
/// optional operand (written <c>_</c>), which keeps operand positions stable.</remarks>
public sealed record Operator(string OpType, EquatableArray<string?> Inputs, EquatableArray<string?> Outputs)
{
    /// <summary>The operator type without the ONNX default-domain prefix: <c>ai.onnx.Concat</c>
    /// is <c>Concat</c> (ONNX's default domain is "" or "ai.onnx", onnx.proto), so every rule keyed
    /// by type sees one spelling. Other qualified types (<c>com.microsoft.X</c>) are kept.</summary>
    public static string CanonicalType(string opType) =>
        opType.StartsWith("ai.onnx.", StringComparison.Ordinal) && opType.Length > 8 && opType.IndexOf('.', 8) < 0 ? opType[8..] : opType;

    /// <summary>Optional name from the source model (ONNX node name); not required to be unique.</summary>
    public string? Name { get; init; }

    public AttributeMap Attributes { get; init; } = AttributeMap.Empty;

    public AttributeMap Annotations { get; init; } = AttributeMap.Empty;

    public Origin Origin { get; init; }

    public IEnumerable<string> PresentInputs => Inputs.Where(i => i is not null)!;

    public IEnumerable<string> PresentOutputs => Outputs.Where(o => o is not null)!;
}
