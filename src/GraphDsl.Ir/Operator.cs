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

    // Canonical from construction on (also through `with`), so every front end and the printer
    // see one spelling and parse(print(m)) == m holds.
    private readonly string _opType = CanonicalType(OpType);

    /// <summary>The operator type, canonical (see <see cref="CanonicalType"/>).</summary>
    public string OpType { get => _opType; init => _opType = CanonicalType(value); }

    /// <summary>Optional name from the source model (ONNX node name); not required to be unique.</summary>
    public string? Name { get; init; }

    public AttributeMap Attributes { get; init; } = AttributeMap.Empty;

    public AttributeMap Annotations { get; init; } = AttributeMap.Empty;

    public Origin Origin { get; init; }

    /// <summary>The <c>custom_code</c> of a TFLite <c>CUSTOM</c> operator, else null.</summary>
    public string? CustomCode => Attributes[WellKnownAttributes.CustomCode] is AttributeValue.Str s ? s.Value : null;

    /// <summary>The type as a user knows it: <c>CUSTOM(Convolution2DTransposeBias)</c> for a custom
    /// operator (as Netron names the node by its custom code), else <see cref="OpType"/>.</summary>
    public string DisplayType => CustomCode is { } code ? $"{OpType}({code})" : OpType;

    /// <summary>The operator's own name (ONNX node name), else its first output tensor: TFLite
    /// operators have no names, and the output tensor is what Netron lists under the node and
    /// finds with its search box.</summary>
    public string DisplayName => Name ?? PresentOutputs.FirstOrDefault() ?? "";

    /// <summary><c>#12 CONV_2D 'name'</c>: index in the graph's stored operator list (for TFLite,
    /// the index in the subgraph's operators, Netron's node order), type and display name.</summary>
    public string Label(int index) => DisplayName.Length == 0 ? $"#{index} {DisplayType}" : $"#{index} {DisplayType} '{DisplayName}'";

    public IEnumerable<string> PresentInputs => Inputs.Where(i => i is not null)!;

    public IEnumerable<string> PresentOutputs => Outputs.Where(o => o is not null)!;
}
