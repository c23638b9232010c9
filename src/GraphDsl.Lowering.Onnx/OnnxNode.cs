namespace GraphDsl.Lowering.Onnx;

/// <summary>What the node reorder needs to know about one ONNX <c>NodeProto</c>: its position in
/// the graph and the value names it reads and writes.</summary>
public sealed record OnnxNode(int Index, string? Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
{
    /// <summary>The node's attributes by name, as the importer reads them (null for tensors,
    /// graphs and string lists, which are not compared); empty when not read.</summary>
    public IReadOnlyDictionary<string, GraphDsl.Ir.AttributeValue?> Attributes { get; init; } = new Dictionary<string, GraphDsl.Ir.AttributeValue?>();
}
