using System.Text;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Lowering.Onnx;

/// <summary>Writes an ONNX model whose main graph a pass changed (the tile pass's row bands):
/// the graph's nodes become the planned operators in plan order, everything else of the file is
/// kept byte for byte.</summary>
/// <remarks>
/// Works on the protobuf wire format (onnx.proto field numbers: ModelProto.graph 7, opset_import
/// 8; GraphProto.node 1, initializer 5, value_info 13; NodeProto input 1, output 2, name 3,
/// op_type 4, attribute 5; AttributeProto name 1, f 2, i 3, s 4, floats 7, ints 8, strings 9,
/// type 20; TensorProto dims 1, data_type 2, name 8, raw_data 9).
/// <list type="bullet">
/// <item>An operator equal to a node of the file (same op type, inputs, outputs and attributes)
/// keeps that node's bytes.</item>
/// <item>Any other operator is a new node. When it was cut from a node (its <c>@tile</c> source, or
/// the node that wrote the same first output, of the same op type) it is that node's copy: op
/// type, domain, doc string and every attribute the operator still has with an unchanged value
/// keep their bytes; inputs, outputs, name and changed attributes (a band's <c>pads</c>) are
/// written from the IR. Weights are read by name, so no weight byte is copied.</item>
/// <item>A node of the file none of whose outputs the graph still produces in its way (replaced
/// by new operators, or cut into bands) is removed; the others (e.g. the weight sub-graphs the
/// importer folded) stay and are stored as early as their inputs allow.</item>
/// <item>New constants (a Slice's int64 starts/ends/axes from opset 10) become initializers;
/// value_info entries of values that are gone are dropped.</item>
/// </list>
/// The opset is read from the file's opset_import: a Slice whose starts/ends/axes are attributes
/// needs opset below 10, inputs opset 10 or later (onnx Operators.md, Slice-1 and Slice-10).
/// </remarks>
public static class OnnxChangedGraphWriter
{
    private const int ModelGraphField = 7, ModelOpsetField = 8;
    private const int GraphNodeField = 1, GraphInitializerField = 5, GraphInputField = 11, GraphValueInfoField = 13;
    private const int NodeInputField = 1, NodeOutputField = 2, NodeNameField = 3, NodeOpTypeField = 4, NodeAttributeField = 5, NodeDomainField = 7;
    private const int AttrName = 1, AttrF = 2, AttrI = 3, AttrS = 4, AttrFloats = 7, AttrInts = 8, AttrStrings = 9, AttrType = 20;
    private const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeFloats = 6, TypeInts = 7, TypeStrings = 8;

    /// <summary>True when every planned operator is a node of the file as it is (then only the
    /// node order changes and <see cref="OnnxNodeOrderWriter"/> writes it).</summary>
    public static bool IsUnchanged(IReadOnlyList<OnnxNode> nodes, IEnumerable<Operator> operators)
    {
        var byOutput = ByFirstOutput(nodes);
        return operators.All(op => Same(op, nodes, byOutput));
    }

    /// <summary>The model with its main graph written from <paramref name="operators"/> (in
    /// execution order) of <paramref name="graph"/>, or null after reporting why not
    /// (<see cref="LoweringDiagnostics.MalformedOnnx"/>, located at the operator or the file).</summary>
    public static byte[]? Write(ReadOnlySpan<byte> model, Graph graph, IReadOnlyList<Operator> operators, string path, DiagnosticBag diagnostics)
    {
        var fileLocation = new ModelLocation(path, "");
        byte[]? Fail(Location where, string reason)
        {
            diagnostics.Report(LoweringDiagnostics.MalformedOnnx, where, reason);
            return null;
        }
        var top = ProtobufWire.Split(model, 0, model.Length, out var error);
        var graphField = top?.SingleOrDefault(f => f.Number == ModelGraphField && f.WireType == WireField.LengthDelimited);
        if (top is null || graphField is not { Length: > 0 } g) return Fail(fileLocation, error ?? "the file has no single graph (is it an ONNX model?)");
        var graphFields = ProtobufWire.Split(model, g.PayloadStart, g.End, out error);
        var nodes = OnnxNodeOrderWriter.ReadNodes(model, out var nodeError);
        if (graphFields is null || nodes is null) return Fail(fileLocation, error ?? nodeError ?? "bad graph");
        long opset = Opset(model, top);
        var nodeFields = graphFields.Where(f => f.Number == GraphNodeField && f.WireType == WireField.LengthDelimited).ToList();
        var byOutput = ByFirstOutput(nodes);

        // Which file nodes stay: those an operator still is, and those whose outputs no operator
        // took over (folded weight sub-graphs).
        var produced = new HashSet<string>(operators.SelectMany(o => o.PresentOutputs), StringComparer.Ordinal);
        var sources = new HashSet<string>(operators.Select(TileSource).OfType<string>(), StringComparer.Ordinal);
        var kept = new HashSet<int>();
        foreach (var op in operators) if (Same(op, nodes, byOutput)) kept.Add(byOutput[op.PresentOutputs.First()]);
        var entries = new List<(OnnxNode Node, byte[] Bytes, int Priority)>();
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            bool replaced = !kept.Contains(i) && node.Outputs.Any(o => o.Length > 0 && (produced.Contains(o) || sources.Contains(o)));
            if (replaced) continue;
            entries.Add((node, model[nodeFields[i].PayloadStart..nodeFields[i].End].ToArray(), -1));
        }
        var names = new HashSet<string>(entries.Select(e => e.Node.Name).OfType<string>(), StringComparer.Ordinal);
        for (int step = 0; step < operators.Count; step++)
        {
            var op = operators[step];
            var where = op.Origin.Location ?? fileLocation;
            var first = op.PresentOutputs.FirstOrDefault();
            if (first is not null && Same(op, nodes, byOutput))
            {
                int i = byOutput[first];
                int at = entries.FindIndex(e => e.Node.Index == i);
                entries[at] = entries[at] with { Priority = step };
                continue;
            }
            if (op.OpType == "Slice" && (op.Attributes["starts"] is not null) != (opset < 10))
                return Fail(where, $"Slice writing '{first}' gives starts/ends {(opset < 10 ? "as inputs" : "as attributes")}, which opset {opset} does not read");
            var template = Template(op, nodes, byOutput);
            var name = op.Name is { } n && !names.Contains(n) ? n : UniqueName(first ?? op.OpType, names);
            names.Add(name);
            var bytes = EncodeNode(op, name, template is { } t ? model[nodeFields[t].PayloadStart..nodeFields[t].End] : default, template is not null, out var why);
            if (bytes is null) return Fail(where, $"{op.OpType} writing '{first}': {why}");
            var inputs = op.Inputs.Select(x => x ?? "").ToArray();
            var outputs = op.Outputs.Select(x => x ?? "").ToArray();
            entries.Add((new OnnxNode(-1, name, op.OpType, inputs, outputs), bytes, step));
        }

        // New constants: initializers.
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        var graphInputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in graphFields)
        {
            if (f.Number == GraphInitializerField) initializerNames.Add(FieldString(model, f, 8) ?? "");
            if (f.Number == GraphInputField) graphInputs.Add(FieldString(model, f, 1) ?? "");
        }
        var nodeOutputs = new HashSet<string>(entries.SelectMany(e => e.Node.Outputs), StringComparer.Ordinal);
        var newInitializers = new List<byte[]>();
        foreach (var input in entries.SelectMany(e => e.Node.Inputs).Where(x => x.Length > 0).Distinct().ToList())
        {
            if (initializerNames.Contains(input) || graphInputs.Contains(input) || nodeOutputs.Contains(input)) continue;
            var tensor = graph.FindTensor(input);
            if (tensor is not { Data: ConstantData.Inline inline } || OnnxTypeCode(tensor.Type.ElementType) is not { } code || !tensor.Type.Shape.IsFullyKnown)
                return Fail(fileLocation, $"'{input}' is read by a node but no node, initializer or graph input gives it");
            var t = new ProtobufWriter();
            foreach (var d in tensor.Type.Shape.Dims) t.Varint(1, (ulong)d.Value!.Value);
            t.Varint(2, (ulong)code).String(8, input).Bytes(9, inline.Bytes.AsImmutableArray().AsSpan());
            newInitializers.Add(t.ToArray());
            initializerNames.Add(input);
        }

        var order = OnnxNodeOrderWriter.TopologicalOrder(entries.Select((e, i) => e.Node with { Index = i }).ToList(), entries.Select(e => e.Priority).ToArray());
        if (order is null) return Fail(fileLocation, "the graph's nodes form a cycle");
        var stillThere = new HashSet<string>(nodeOutputs.Concat(initializerNames).Concat(graphInputs), StringComparer.Ordinal);

        var payload = new ProtobufWriter();
        bool nodesWritten = false;
        foreach (var f in graphFields)
        {
            if (f.Number == GraphNodeField && f.WireType == WireField.LengthDelimited)
            {
                if (nodesWritten) continue;
                foreach (var i in order) payload.Bytes(GraphNodeField, entries[i].Bytes);
                nodesWritten = true;
                continue;
            }
            // value_info of a value no node writes any more (a tensor inside a tiled region).
            if (f.Number == GraphValueInfoField && FieldString(model, f, 1) is { } v && !stillThere.Contains(v)) continue;
            payload.Raw(model[f.Start..f.End]);
        }
        if (!nodesWritten) foreach (var i in order) payload.Bytes(GraphNodeField, entries[i].Bytes);
        foreach (var init in newInitializers) payload.Bytes(GraphInitializerField, init);

        var output = new List<byte>(model.Length + 4096);
        output.AddRange(model[..g.Start].ToArray());
        var graphBytes = payload.ToArray();
        ProtobufWriter.WriteVarint(output, (ulong)((ModelGraphField << 3) | WireField.LengthDelimited));
        ProtobufWriter.WriteVarint(output, (ulong)graphBytes.Length);
        output.AddRange(graphBytes);
        output.AddRange(model[g.End..].ToArray());
        return output.ToArray();
    }

    private static Dictionary<string, int> ByFirstOutput(IReadOnlyList<OnnxNode> nodes)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
            if (node.Outputs.FirstOrDefault(o => o.Length > 0) is { } first) map.TryAdd(first, node.Index);
        return map;
    }

    /// <summary>True when the operator is the file's node writing its first output, unchanged.</summary>
    private static bool Same(Operator op, IReadOnlyList<OnnxNode> nodes, Dictionary<string, int> byOutput) =>
        op.PresentOutputs.FirstOrDefault() is { } first && byOutput.TryGetValue(first, out var i) && Matches(op, nodes[i]);

    /// <summary>Same op type, inputs, outputs and attribute names, and the same value of every
    /// attribute the writer can read back (a pass's changed <c>pads</c> makes a new node).</summary>
    private static bool Matches(Operator op, OnnxNode node) =>
        node.OpType == op.OpType
        && node.Inputs.SequenceEqual(op.Inputs.Select(x => x ?? ""))
        && node.Outputs.SequenceEqual(op.Outputs.Select(x => x ?? ""))
        && node.Attributes.All(a => op.Attributes[a.Key] is { } v && (a.Value is null || a.Value.Equals(v)))
        && op.Attributes.All(a => a.Key == "domain" || node.Attributes.ContainsKey(a.Key));

    /// <summary>The first output of the operator this one was cut from (<c>@tile(source=...)</c>).</summary>
    private static string? TileSource(Operator op) =>
        (op.Annotations[WellKnownAnnotations.Tile] as AttributeValue.Record)?.Fields["source"] is AttributeValue.Str s ? s.Value : null;

    /// <summary>The node a new operator is a copy of: its tile source's node, else the node that
    /// wrote its first output, when of the same op type.</summary>
    private static int? Template(Operator op, IReadOnlyList<OnnxNode> nodes, Dictionary<string, int> byOutput)
    {
        foreach (var name in new[] { TileSource(op), op.PresentOutputs.FirstOrDefault() })
            if (name is not null && byOutput.TryGetValue(name, out var i) && nodes[i].OpType == op.OpType) return i;
        return null;
    }

    private static string UniqueName(string stem, HashSet<string> taken)
    {
        var name = stem;
        for (int k = 1; taken.Contains(name); k++) name = $"{stem}_{k}";
        return name;
    }

    /// <summary>The default-domain opset of the model's opset_import (1 when absent, as onnx.proto says).</summary>
    private static long Opset(ReadOnlySpan<byte> model, List<WireField> top)
    {
        long opset = 1;
        foreach (var f in top.Where(f => f.Number == ModelOpsetField && f.WireType == WireField.LengthDelimited))
        {
            var parts = ProtobufWire.Split(model, f.PayloadStart, f.End, out _);
            if (parts is null) continue;
            var domain = parts.FirstOrDefault(p => p.Number == 1) is { PayloadStart: var s, End: var e, Length: > 0 } ? Encoding.UTF8.GetString(model[s..e]) : "";
            if (domain is not ("" or "ai.onnx")) continue;
            if (parts.FirstOrDefault(p => p.Number == 2 && p.WireType == 0) is { Length: > 0 } v) opset = (long)ProtobufWire.ReadVarint(model, v.PayloadStart);
        }
        return opset;
    }

    /// <summary>The string field <paramref name="number"/> of the message in field <paramref name="f"/>.</summary>
    private static string? FieldString(ReadOnlySpan<byte> model, WireField f, int number)
    {
        if (f.WireType != WireField.LengthDelimited) return null;
        var parts = ProtobufWire.Split(model, f.PayloadStart, f.End, out _);
        return parts?.FirstOrDefault(p => p.Number == number && p.WireType == WireField.LengthDelimited) is { Length: > 0 } p
            ? Encoding.UTF8.GetString(model[p.PayloadStart..p.End]) : null;
    }

    private static int? OnnxTypeCode(DataType type) => type switch
    {
        DataType.Float32 => 1, DataType.UInt8 => 2, DataType.Int8 => 3, DataType.Int32 => 6, DataType.Int64 => 7, _ => null,
    };

    /// <summary>A NodeProto for <paramref name="op"/>: a copy of <paramref name="template"/> (a
    /// NodeProto payload) with the operator's inputs, outputs, name and changed attributes, or
    /// written whole from the IR; null with the reason when an attribute has no ONNX form.</summary>
    private static byte[]? EncodeNode(Operator op, string name, ReadOnlySpan<byte> template, bool hasTemplate, out string? why)
    {
        why = null;
        var w = new ProtobufWriter();
        foreach (var i in op.Inputs) w.String(NodeInputField, i ?? "");
        foreach (var o in op.Outputs) w.String(NodeOutputField, o ?? "");
        w.String(NodeNameField, name);
        var written = new HashSet<string>(StringComparer.Ordinal) { "domain" };
        if (hasTemplate)
        {
            var fields = ProtobufWire.Split(template, 0, template.Length, out why);
            if (fields is null) return null;
            foreach (var f in fields)
            {
                if (f.Number is NodeInputField or NodeOutputField or NodeNameField) continue;
                if (f.Number != NodeAttributeField || f.WireType != WireField.LengthDelimited) { w.Raw(template[f.Start..f.End]); continue; }
                var attribute = template[f.PayloadStart..f.End];
                var attrName = AttributeName(attribute);
                if (attrName is null || op.Attributes[attrName] is not { } value) continue; // dropped by the pass
                written.Add(attrName);
                if (Decode(attribute) is { } old && !Equals(old, value))
                {
                    if (EncodeAttribute(attrName, value) is not { } encoded) { why = $"attribute '{attrName}' = {value} has no ONNX form"; return null; }
                    w.Bytes(NodeAttributeField, encoded);
                }
                else w.Raw(template[f.Start..f.End]);
            }
        }
        else
        {
            w.String(NodeOpTypeField, op.OpType);
            if (op.Attributes["domain"] is AttributeValue.Str d) w.String(NodeDomainField, d.Value);
        }
        foreach (var (key, value) in op.Attributes)
        {
            if (written.Contains(key)) continue;
            if (EncodeAttribute(key, value) is not { } encoded) { why = $"attribute '{key}' = {value} has no ONNX form"; return null; }
            w.Bytes(NodeAttributeField, encoded);
        }
        return w.ToArray();
    }

    internal static string? AttributeName(ReadOnlySpan<byte> attribute)
    {
        var parts = ProtobufWire.Split(attribute, 0, attribute.Length, out _);
        return parts?.FirstOrDefault(p => p.Number == AttrName && p.WireType == WireField.LengthDelimited) is { Length: > 0 } p
            ? Encoding.UTF8.GetString(attribute[p.PayloadStart..p.End]) : null;
    }

    /// <summary>The IR value of a scalar, string or numeric-list attribute (as the importer reads
    /// it), or null for tensors, graphs and other kinds, which the writer keeps as they are.</summary>
    internal static AttributeValue? Decode(ReadOnlySpan<byte> attribute)
    {
        var parts = ProtobufWire.Split(attribute, 0, attribute.Length, out _);
        if (parts is null) return null;
        var ints = new List<long>();
        var floats = new List<double>();
        AttributeValue? scalar = null;
        int type = 0;
        foreach (var p in parts)
        {
            switch (p.Number, p.WireType)
            {
                case (AttrType, 0): type = (int)ProtobufWire.ReadVarint(attribute, p.PayloadStart); break;
                case (AttrI, 0): scalar = new AttributeValue.Int((long)ProtobufWire.ReadVarint(attribute, p.PayloadStart)); break;
                case (AttrF, 5): scalar = new AttributeValue.Float(BitConverter.ToSingle(attribute.Slice(p.PayloadStart, 4))); break;
                case (AttrS, WireField.LengthDelimited): scalar = new AttributeValue.Str(Encoding.UTF8.GetString(attribute[p.PayloadStart..p.End])); break;
                case (AttrInts, 0): ints.Add((long)ProtobufWire.ReadVarint(attribute, p.PayloadStart)); break;
                case (AttrInts, WireField.LengthDelimited):
                    for (int at = p.PayloadStart; at < p.End;) ints.Add((long)ProtobufWire.ReadVarint(attribute, at, out at));
                    break;
                case (AttrFloats, 5): floats.Add(BitConverter.ToSingle(attribute.Slice(p.PayloadStart, 4))); break;
                case (AttrFloats, WireField.LengthDelimited):
                    for (int at = p.PayloadStart; at + 4 <= p.End; at += 4) floats.Add(BitConverter.ToSingle(attribute.Slice(at, 4)));
                    break;
                case (AttrStrings, _) or (5, _) or (6, _) or (10, _) or (11, _): return null;
            }
        }
        return type switch
        {
            TypeInts => AttributeValue.Ints(ints),
            TypeFloats => AttributeValue.Floats(floats),
            TypeInt or TypeFloat or TypeString => scalar,
            _ => ints.Count > 0 ? AttributeValue.Ints(ints) : floats.Count > 0 ? AttributeValue.Floats(floats) : scalar,
        };
    }

    /// <summary>An AttributeProto for an IR value: integers INT(S), reals FLOAT(S) (float32),
    /// text STRING(S), booleans INT; null for what ONNX attributes cannot hold.</summary>
    private static byte[]? EncodeAttribute(string name, AttributeValue value)
    {
        var a = new ProtobufWriter().String(AttrName, name);
        switch (value)
        {
            case AttributeValue.Int i: a.Varint(AttrI, (ulong)i.Value).Varint(AttrType, TypeInt); break;
            case AttributeValue.Bool b: a.Varint(AttrI, b.Value ? 1UL : 0UL).Varint(AttrType, TypeInt); break;
            case AttributeValue.Float f: a.Fixed32(AttrF, BitConverter.SingleToUInt32Bits((float)f.Value)).Varint(AttrType, TypeFloat); break;
            case AttributeValue.Str s: a.String(AttrS, s.Value).Varint(AttrType, TypeString); break;
            case AttributeValue.List l when l.Items.All(x => x is AttributeValue.Int):
                foreach (var x in l.Items) a.Varint(AttrInts, (ulong)((AttributeValue.Int)x).Value);
                a.Varint(AttrType, TypeInts);
                break;
            case AttributeValue.List l when l.Items.All(x => x is AttributeValue.Float or AttributeValue.Int):
                foreach (var x in l.Items) a.Fixed32(AttrFloats, BitConverter.SingleToUInt32Bits((float)(x is AttributeValue.Float f ? f.Value : ((AttributeValue.Int)x).Value)));
                a.Varint(AttrType, TypeFloats);
                break;
            case AttributeValue.List l when l.Items.All(x => x is AttributeValue.Str):
                foreach (var x in l.Items) a.String(AttrStrings, ((AttributeValue.Str)x).Value);
                a.Varint(AttrType, TypeStrings);
                break;
            default: return null;
        }
        return a.ToArray();
    }
}
