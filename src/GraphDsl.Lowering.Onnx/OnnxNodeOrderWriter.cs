using System.Text;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;

namespace GraphDsl.Lowering.Onnx;

/// <summary>Rewrites an ONNX model so that the nodes of its main graph are stored in a given
/// order, keeping every other byte of the file as it was.</summary>
/// <remarks>
/// Works on the protobuf wire format: <c>ModelProto.graph</c> is field 7 and
/// <c>GraphProto.node</c> is field 1 (onnx.proto). The node entries of the graph are permuted in
/// place; as each entry keeps its own bytes, the graph's length prefix and the file size do not
/// change, and initializers, value infos, metadata and unknown fields are untouched.
/// <para>Mapping operators to nodes: an IR operator comes from the node with the same first
/// output name. Nodes without an operator (constants the importer folded) are stored as early as
/// their inputs allow, in their original relative order.</para>
/// </remarks>
public static class OnnxNodeOrderWriter
{
    private const int ModelGraphField = 7;
    private const int GraphNodeField = 1;
    private const int NodeInputField = 1;
    private const int NodeOutputField = 2;
    private const int NodeNameField = 3;
    private const int NodeOpTypeField = 4;
    private const int NodeAttributeField = 5;

    /// <summary>The nodes of the main graph in stored order, or null with a reason.</summary>
    public static IReadOnlyList<OnnxNode>? ReadNodes(ReadOnlySpan<byte> model, out string? error)
    {
        var nodeFields = FindNodeFields(model, out error);
        if (nodeFields is null) return null;
        var nodes = new List<OnnxNode>(nodeFields.Count);
        foreach (var field in nodeFields)
        {
            var parts = ProtobufWire.Split(model, field.PayloadStart, field.End, out error);
            if (parts is null) return null;
            var inputs = new List<string>();
            var outputs = new List<string>();
            var attributes = new Dictionary<string, AttributeValue?>(StringComparer.Ordinal);
            string? name = null, opType = "";
            foreach (var p in parts)
            {
                if (p.WireType != WireField.LengthDelimited) continue;
                var text = Encoding.UTF8.GetString(model[p.PayloadStart..p.End]);
                switch (p.Number)
                {
                    case NodeInputField: inputs.Add(text); break;
                    case NodeOutputField: outputs.Add(text); break;
                    case NodeNameField: name = text; break;
                    case NodeOpTypeField: opType = text; break;
                    case NodeAttributeField:
                        var attribute = model[p.PayloadStart..p.End];
                        if (OnnxChangedGraphWriter.AttributeName(attribute) is { } attrName) attributes.TryAdd(attrName, OnnxChangedGraphWriter.Decode(attribute));
                        break;
                }
            }
            nodes.Add(new OnnxNode(nodes.Count, name, opType, inputs, outputs) { Attributes = attributes });
        }
        return nodes;
    }

    /// <summary>A copy of the model whose k-th stored node is the original node
    /// <paramref name="nodeOrder"/>[k]; null with a reason when the order is not a permutation of
    /// the nodes or the file is malformed.</summary>
    public static byte[]? Reorder(ReadOnlySpan<byte> model, IReadOnlyList<int> nodeOrder, out string? error)
    {
        var nodeFields = FindNodeFields(model, out error);
        if (nodeFields is null) return null;
        if (nodeOrder.Count != nodeFields.Count || nodeOrder.Distinct().Count() != nodeFields.Count
            || nodeOrder.Any(i => i < 0 || i >= nodeFields.Count))
        {
            error = $"the node order is not a permutation of the graph's {nodeFields.Count} nodes";
            return null;
        }
        var output = model.ToArray();
        // Node entries may be interleaved with other graph fields: the k-th node slot is refilled
        // with the chosen node, and each non-node field between slots stays where it was.
        var graphFields = ProtobufWire.Split(model, nodeFields.GraphStart, nodeFields.GraphEnd, out error)!;
        int write = nodeFields.GraphStart, slot = 0;
        foreach (var f in graphFields)
        {
            var source = f.Number == GraphNodeField && f.WireType == WireField.LengthDelimited
                ? nodeFields[nodeOrder[slot++]]
                : f;
            model[source.Start..source.End].CopyTo(output.AsSpan(write));
            write += source.Length;
        }
        return output;
    }

    /// <summary>The model with its nodes stored in the plan's execution order, or null after
    /// reporting why not. A graph a pass changed (operators that are no node of the file, e.g.
    /// the tile pass's row bands) is written by <see cref="OnnxChangedGraphWriter"/>.</summary>
    public static byte[]? Rewrite(ReadOnlyMemory<byte> model, LoweringPlan plan, string path, DiagnosticBag diagnostics)
    {
        var nodes = ReadNodes(model.Span, out var error);
        if (nodes is null)
        {
            diagnostics.Report(LoweringDiagnostics.MalformedOnnx, new ModelLocation(path, ""), error);
            return null;
        }
        var planned = plan.Order.Select(i => plan.Graph.Operators[i]).ToList();
        if (!OnnxChangedGraphWriter.IsUnchanged(nodes, planned))
            return OnnxChangedGraphWriter.Write(model.Span, plan.Graph, planned, path, diagnostics);
        var order = NodeOrder(nodes, plan, path, diagnostics);
        if (order is null) return null;
        var bytes = Reorder(model.Span, order, out error);
        if (bytes is null) diagnostics.Report(LoweringDiagnostics.MalformedOnnx, new ModelLocation(path, ""), error);
        return bytes;
    }

    /// <summary>Node indices in the order to store them: the plan's operators in plan order, with
    /// nodes that have no operator placed as soon as their inputs exist.</summary>
    public static int[]? NodeOrder(IReadOnlyList<OnnxNode> nodes, LoweringPlan plan, string path, DiagnosticBag diagnostics)
    {
        var nodeByOutput = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
            if (node.Outputs.FirstOrDefault(o => o.Length > 0) is { } first) nodeByOutput.TryAdd(first, node.Index);

        // Priority of each node: its execution step, or -1 for nodes the plan does not schedule.
        var priority = Enumerable.Repeat(-1, nodes.Count).ToArray();
        var graph = plan.Graph;
        for (int step = 0; step < plan.Order.Count; step++)
        {
            var op = graph.Operators[plan.Order[step]];
            var first = op.PresentOutputs.FirstOrDefault();
            if (first is null || !nodeByOutput.TryGetValue(first, out var node))
            {
                diagnostics.Report(LoweringDiagnostics.OnnxNodeMismatch, op.Origin.Location ?? new ModelLocation(path, ""),
                    op.Name ?? op.OpType, "[" + string.Join(", ", op.PresentOutputs) + "]");
                return null;
            }
            priority[node] = step;
        }

        var order = TopologicalOrder(nodes, priority);
        if (order is null)
        {
            diagnostics.Report(LoweringDiagnostics.MalformedOnnx, new ModelLocation(path, ""), "the graph's nodes form a cycle");
            return null;
        }
        return order;
    }

    /// <summary>A topological order of <paramref name="nodes"/> (Index = position in the list)
    /// taking, among the ready nodes, the lowest priority first (then the lowest index); null
    /// when the nodes form a cycle.</summary>
    internal static int[]? TopologicalOrder(IReadOnlyList<OnnxNode> nodes, int[] priority)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes) foreach (var o in node.Outputs) if (o.Length > 0) producer.TryAdd(o, node.Index);
        var waitingOn = new int[nodes.Count];
        var readers = nodes.Select(_ => new List<int>()).ToArray();
        foreach (var node in nodes)
            foreach (var input in node.Inputs.Distinct())
                if (producer.TryGetValue(input, out var p) && p != node.Index) { waitingOn[node.Index]++; readers[p].Add(node.Index); }

        var ready = new PriorityQueue<int, (int Priority, int Index)>();
        foreach (var node in nodes) if (waitingOn[node.Index] == 0) ready.Enqueue(node.Index, (priority[node.Index], node.Index));
        var order = new List<int>(nodes.Count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(next);
            foreach (var r in readers[next]) if (--waitingOn[r] == 0) ready.Enqueue(r, (priority[r], r));
        }
        return order.Count == nodes.Count ? order.ToArray() : null;
    }

    private static NodeFields? FindNodeFields(ReadOnlySpan<byte> model, out string? error)
    {
        var top = ProtobufWire.Split(model, 0, model.Length, out error);
        if (top is null) return null;
        var graphs = top.Where(f => f.Number == ModelGraphField && f.WireType == WireField.LengthDelimited).ToList();
        if (graphs.Count != 1)
        {
            error = graphs.Count == 0 ? "the file has no graph (is it an ONNX model?)" : "the graph field is split over several entries";
            return null;
        }
        var g = graphs[0];
        var fields = ProtobufWire.Split(model, g.PayloadStart, g.End, out error);
        if (fields is null) return null;
        return new NodeFields(g.PayloadStart, g.End,
            fields.Where(f => f.Number == GraphNodeField && f.WireType == WireField.LengthDelimited).ToList());
    }

    private sealed class NodeFields(int graphStart, int graphEnd, List<WireField> nodes)
    {
        public int GraphStart { get; } = graphStart;
        public int GraphEnd { get; } = graphEnd;
        public int Count => nodes.Count;
        public WireField this[int index] => nodes[index];
        public IEnumerator<WireField> GetEnumerator() => nodes.GetEnumerator();
    }
}
