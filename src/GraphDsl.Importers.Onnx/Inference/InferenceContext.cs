using System.Text;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>One node as an inference function sees it: its inputs' facts (null = absent optional
/// input), typed attribute access, the opset version, and a way to give up with a reason.</summary>
internal sealed class InferenceContext(NodeProto node, int opset, IReadOnlyList<TensorFacts?> inputs)
{
    public NodeProto Node { get; } = node;

    public int Opset { get; } = opset;

    public IReadOnlyList<TensorFacts?> Inputs { get; } = inputs;

    public int OutputCount => Node.Output.Count;

    /// <summary>Why inference gave up (set by <see cref="Fail"/>).</summary>
    public string? Failure { get; private set; }

    public TensorFacts? Input(int i) => i < Inputs.Count ? Inputs[i] : null;

    public TensorFacts[]? Fail(string reason) { Failure = reason; return null; }

    public AttributeProto? Attribute(string name) => Node.Attribute.FirstOrDefault(a => a.Name == name);

    public long Int(string name, long fallback) => Attribute(name) is { HasI: true } a ? a.I : fallback;

    public float Float(string name, float fallback) => Attribute(name) is { HasF: true } a ? a.F : fallback;

    public string Str(string name, string fallback) => Attribute(name) is { HasS: true } a ? a.S.ToString(Encoding.UTF8) : fallback;

    public long[]? Ints(string name) => Attribute(name) is { } a && (a.Ints.Count > 0 || a.Type == AttributeProto.Types.AttributeType.Ints) ? a.Ints.ToArray() : null;

    public float[]? Floats(string name) => Attribute(name) is { } a && (a.Floats.Count > 0 || a.Type == AttributeProto.Types.AttributeType.Floats) ? a.Floats.ToArray() : null;

    /// <summary>Integers given either as an attribute (older opsets) or as a constant input
    /// (newer opsets); null when neither is there. <paramref name="missing"/> is set when the
    /// input exists but its values are not known.</summary>
    public long[]? IntsFromAttributeOrInput(string attribute, int input, out bool missing)
    {
        missing = false;
        if (Ints(attribute) is { } fromAttribute) return fromAttribute;
        var operand = Input(input);
        if (operand is null) return null;
        if (operand.Value is { } v) return v.AsLongs();
        missing = true;
        return null;
    }

    /// <summary>Normalizes a possibly negative axis against <paramref name="rank"/>.</summary>
    public static long Axis(long axis, int rank) => axis < 0 ? axis + rank : axis;

    /// <summary>Facts of the first input with its dims replaced (most ops keep the element type).</summary>
    public TensorFacts Like0(IEnumerable<Dim> dims) => new(Input(0)?.Type, dims.ToArray());
}
