namespace GraphDsl.Lowering.Onnx;

/// <summary>What the node reorder needs to know about one ONNX <c>NodeProto</c>: its position in
/// the graph and the value names it reads and writes.</summary>
public sealed record OnnxNode(int Index, string? Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);
