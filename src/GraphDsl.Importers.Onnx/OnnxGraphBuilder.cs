using System.Globalization;
using System.Text;
using GraphDsl.Importers.Onnx.Inference;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Importers.Onnx;

/// <summary>Turns a decoded <see cref="ModelProto"/> into an IR <see cref="Model"/>: infers the
/// facts of every value in topological order, folds constant sub-graphs and checks that every
/// activation is sized.</summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>Assumed when a model imports no default-domain opset (invalid, but harmless to read).</summary>
    private const int AssumedOpset = 17;

    /// <summary>Long constants up to this many elements are written inline (shape operands).</summary>
    private const int MaxInlineElements = 64;

    private static readonly HashSet<string> NeverFolded = new(StringComparer.Ordinal)
    {
        "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli",
        "If", "Loop", "Scan",
    };

    private readonly List<string> _assumedDims = [];
    private readonly List<string> _setDims = [];
    private readonly ModelProto _model;
    private readonly string _path;
    private readonly OnnxImportOptions _options;
    private readonly DiagnosticBag _diagnostics = new();
    private readonly Dictionary<string, TensorFacts> _facts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConstantData?> _constantData = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Origin> _origins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Node, string Op, string Reason)> _unsizedReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorFacts> _valueInfo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _opsets = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _dimParams = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedUnsupported = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(ModelProto model, string path, OnnxImportOptions options)
    {
        _model = model;
        _path = path;
        _options = options;
    }

    public ReadResult Build()
    {
        if (_model.Graph is not { } graph)
        {
            _diagnostics.Report(OnnxDiagnostics.NoGraph, Where(""));
            return new ReadResult(null, _diagnostics.ToList());
        }
        ReadOpsets();
        ReadInitializers(graph);
        foreach (var vi in graph.ValueInfo.Concat(graph.Output))
            if (ReadValueInfo(vi, defaultDynamic: false) is { } f) _valueInfo.TryAdd(vi.Name, f);
        var inputs = ReadGraphInputs(graph, out int overridable);
        if (_diagnostics.HasErrors) return new ReadResult(null, _diagnostics.ToList());

        var order = TopologicalOrder(graph);
        if (order is null) return new ReadResult(null, _diagnostics.ToList());

        var operators = new List<Operator>();
        int folded = 0;
        foreach (int index in order)
        {
            var node = graph.Node[index];
            if (InferNode(node, index)) folded++;
            else operators.Add(ToOperator(node, index));
        }
        foreach (var output in graph.Output)
            if (!_facts.ContainsKey(output.Name)) _diagnostics.Report(OnnxDiagnostics.DanglingOutput, Where("output '" + output.Name + "'"), output.Name);
        if (_diagnostics.HasErrors) return new ReadResult(null, _diagnostics.ToList());

        var tensors = BuildTensors(graph, inputs, operators);
        CheckSizes(tensors);
        var irGraph = new Graph(graph.Name, tensors.ToEquatableArray(), operators.ToEquatableArray(),
            inputs.ToEquatableArray(), graph.Output.Select(o => o.Name).ToEquatableArray())
        {
            Origin = Where("graph"),
            // Sizes taken for dynamic dims travel with the graph, so the JSON, the C header and
            // the report say under which assumption their figures hold (not only stderr).
            Attributes = AttributeMap.From(new[] { (WellKnownAttributes.AssumedDims, _assumedDims), (WellKnownAttributes.SetDims, _setDims) }
                .Where(a => a.Item2.Count > 0)
                .Select(a => (a.Item1, (AttributeValue)new AttributeValue.List(a.Item2.Select(d => (AttributeValue)d).ToEquatableArray())))
                .ToArray()),
        };
        // A --dim for a name the model does not have is a typo, not a no-op.
        foreach (var name in _options.DimValues.Keys.Where(n => !_dimParams.Contains(n)).Order(StringComparer.Ordinal))
            _diagnostics.Report(OnnxDiagnostics.UnknownDim, Where(""), name,
                _dimParams.Count == 0 ? "(none)" : string.Join(", ", _dimParams));
        var model = new Model(EquatableArray.Create(irGraph))
        {
            Name = string.IsNullOrEmpty(graph.Name) ? null : graph.Name,
            Attributes = ModelAttributes(folded, overridable),
            Origin = Where(""),
        };
        return new ReadResult(_diagnostics.HasErrors ? null : model, _diagnostics.ToList());
    }

    private ModelLocation Where(string fragment) => new(_path, fragment);

    private static string NodeLabel(NodeProto node, int index) =>
        string.IsNullOrEmpty(node.Name) ? $"node{index}" : $"node{index} '{node.Name}'";

    private void ReadOpsets()
    {
        foreach (var o in _model.OpsetImport)
        {
            var domain = o.Domain == "ai.onnx" ? "" : o.Domain;
            _opsets[domain] = (int)Math.Max(o.Version, _opsets.GetValueOrDefault(domain));
        }
        if (!_opsets.ContainsKey(""))
        {
            _diagnostics.Report(OnnxDiagnostics.NoDefaultOpset, Where(""), AssumedOpset);
            _opsets[""] = AssumedOpset;
        }
    }

    private void ReadInitializers(GraphProto graph)
    {
        foreach (var t in graph.Initializer)
        {
            var where = Where($"initializer '{t.Name}'");
            if (string.IsNullOrEmpty(t.Name)) { _diagnostics.Report(OnnxDiagnostics.BadInitializer, where, "", "it has no name"); continue; }
            if (!_initializers.Add(t.Name)) { _diagnostics.Report(OnnxDiagnostics.DuplicateDefinition, where, t.Name, "two initializers"); continue; }
            var (facts, error) = TensorProtoDecoder.Decode(t);
            if (facts is null) { _diagnostics.Report(OnnxDiagnostics.BadInitializer, where, t.Name, error); continue; }
            _facts[t.Name] = facts;
            _origins[t.Name] = where;
            _constantData[t.Name] = new ConstantData.Reference(t.DataLocation == TensorProto.Types.DataLocation.External
                ? ExternalKey(t) : "initializer/" + t.Name);
        }
    }

    /// <summary><c>external/&lt;location&gt;@offset+length</c>, from the external_data entries.</summary>
    private static string ExternalKey(TensorProto t)
    {
        string Entry(string key, string fallback) => t.ExternalData.FirstOrDefault(e => e.Key == key)?.Value ?? fallback;
        return $"external/{Entry("location", "?")}@{Entry("offset", "0")}+{Entry("length", "all")}";
    }

    private List<string> ReadGraphInputs(GraphProto graph, out int overridable)
    {
        var inputs = new List<string>();
        overridable = 0;
        foreach (var vi in graph.Input)
        {
            // An input that is also an initializer is a weight with a default value (IR < 4
            // listed every weight as an input): for memory planning it is a constant.
            if (_initializers.Contains(vi.Name)) { overridable++; continue; }
            if (_facts.ContainsKey(vi.Name)) { _diagnostics.Report(OnnxDiagnostics.DuplicateDefinition, Where($"input '{vi.Name}'"), vi.Name, "two graph inputs"); continue; }
            var facts = ReadValueInfo(vi, defaultDynamic: true) ?? new TensorFacts(null, null);
            _facts[vi.Name] = facts;
            _origins[vi.Name] = Where($"input '{vi.Name}'");
            if (vi.Type?.TensorType is null)
                _unsizedReasons[vi.Name] = ("graph input", "-", "the input is not a tensor (sequence, map and optional types are not supported)");
            else if (facts.Dims is null || facts.Type is null)
                _unsizedReasons[vi.Name] = ("graph input", "-", "the input declares no " + (facts.Type is null ? "element type" : "shape"));
            inputs.Add(vi.Name);
        }
        return inputs;
    }

    /// <summary>Type and shape of a ValueInfoProto; symbolic dims take their --dim value. For
    /// graph inputs (<paramref name="defaultDynamic"/>) other dynamic dims get the default, with a warning.</summary>
    private TensorFacts? ReadValueInfo(ValueInfoProto vi, bool defaultDynamic)
    {
        if (vi.Type?.TensorType is not { } tt) return null;
        DataType? type = null;
        if (tt.HasElemType && tt.ElemType != 0)
        {
            type = OnnxElementTypes.FromCode(tt.ElemType);
            if (type is null) _diagnostics.Report(OnnxDiagnostics.UnsupportedElementType, Where($"value '{vi.Name}'"), vi.Name, tt.ElemType);
        }
        if (tt.Shape is null) return new TensorFacts(type, null);
        var dims = new Dim[tt.Shape.Dim.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            var d = tt.Shape.Dim[i];
            if (d.HasDimParam) _dimParams.Add(d.DimParam);
            if (d.HasDimValue && d.DimValue >= 0) dims[i] = d.DimValue;
            else if (d.HasDimParam && _options.DimValues.TryGetValue(d.DimParam, out var v))
            {
                dims[i] = v;
                if (defaultDynamic) _setDims.Add(string.Create(CultureInfo.InvariantCulture, $"{vi.Name} dim {i} ('{d.DimParam}') = {v}"));
            }
            else if (defaultDynamic)
            {
                var symbol = d.HasDimParam ? d.DimParam : "?";
                _diagnostics.Report(OnnxDiagnostics.DynamicDimDefaulted, Where($"input '{vi.Name}'"), vi.Name, i, symbol, _options.DefaultDynamicDim);
                _assumedDims.Add(string.Create(CultureInfo.InvariantCulture, $"{vi.Name} dim {i} ('{symbol}') = {_options.DefaultDynamicDim}"));
                dims[i] = _options.DefaultDynamicDim;
            }
            else dims[i] = d.HasDimParam ? Dim.Named(d.DimParam) : Dim.Unknown;
        }
        return new TensorFacts(type, dims);
    }

    /// <summary>Kahn's algorithm, always taking the lowest stored index that is ready, so a
    /// correctly sorted file keeps its stored order. Null (and GD2205) on a cycle.</summary>
    private List<int>? TopologicalOrder(GraphProto graph)
    {
        int n = graph.Node.Count;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
            foreach (var o in graph.Node[i].Output)
                if (o.Length > 0 && !producer.TryAdd(o, i))
                    _diagnostics.Report(OnnxDiagnostics.DuplicateDefinition, Where(NodeLabel(graph.Node[i], i)), o, "two nodes");
        var pending = new int[n];
        var dependents = new List<int>[n];
        for (int i = 0; i < n; i++) dependents[i] = new List<int>();
        for (int i = 0; i < n; i++)
            foreach (var input in graph.Node[i].Input.Distinct())
                if (producer.TryGetValue(input, out int p)) { pending[i]++; dependents[p].Add(i); }
        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < n; i++) if (pending[i] == 0) ready.Enqueue(i, i);
        var order = new List<int>(n);
        while (ready.TryDequeue(out int i, out _))
        {
            order.Add(i);
            foreach (var d in dependents[i]) if (--pending[d] == 0) ready.Enqueue(d, d);
        }
        if (order.Count == n) return order;
        var stuck = Enumerable.Range(0, n).Where(i => pending[i] > 0).Take(10).Select(i => NodeLabel(graph.Node[i], i));
        _diagnostics.Report(OnnxDiagnostics.Cycle, Where(""), string.Join(", ", stuck));
        return null;
    }

    /// <summary>Infers the node's outputs; returns true when the node was folded into constants.</summary>
    private bool InferNode(NodeProto node, int index)
    {
        var label = NodeLabel(node, index);
        var inputs = new List<TensorFacts?>();
        foreach (var name in node.Input)
        {
            if (name.Length == 0) { inputs.Add(null); continue; }
            if (!_facts.TryGetValue(name, out var f))
            {
                _diagnostics.Report(OnnxDiagnostics.DanglingInput, Where(label), label, node.OpType, name);
                f = new TensorFacts(null, null);
            }
            inputs.Add(f);
        }
        var domain = node.Domain == "ai.onnx" ? "" : node.Domain;
        var infer = OperatorInference.Find(domain, Operator.CanonicalType(node.OpType));
        TensorFacts[]? outputs = null;
        string reason;
        if (infer is null)
        {
            reason = $"operator {node.OpType}{(domain.Length > 0 ? " (domain " + domain + ")" : "")} has no shape inference and no value_info gives the shape";
            if (_reportedUnsupported.Add(domain + "/" + node.OpType))
                _diagnostics.Report(OnnxDiagnostics.UnsupportedOperator, Where(label), label, node.OpType);
        }
        else
        {
            var context = new InferenceContext(node, _opsets.GetValueOrDefault(domain, _opsets[""]), inputs);
            try { outputs = infer(context); }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidOperationException or OverflowException or DivideByZeroException)
            {
                // Inconsistent operands (an index past a rank, a zero stride) are the model's fault.
                context.Fail("inconsistent operands (" + e.Message + ")");
            }
            reason = context.Failure ?? "inference gave no result";
            if (outputs is null) _diagnostics.Report(OnnxDiagnostics.InferenceFailed, Where(label), label, node.OpType, reason);
        }

        var present = inputs.Where(i => i is not null).ToList();
        bool fold = infer is not null && !NeverFolded.Contains(node.OpType) && domain.Length == 0
            && (present.Count > 0 ? present.All(i => i!.IsConstant) : node.OpType == "Constant")
            || node.OpType is "Shape" or "Size" && outputs is [{ Value: not null }];
        for (int i = 0; i < node.Output.Count; i++)
        {
            var name = node.Output[i];
            if (name.Length == 0) continue;
            var facts = outputs is not null && i < outputs.Length ? outputs[i] : new TensorFacts(null, null);
            facts = CrossCheck(name, facts);
            facts = fold ? facts with { IsConstant = true } : facts with { IsConstant = false, Value = null };
            if (!_facts.TryAdd(name, facts))
            {
                _diagnostics.Report(OnnxDiagnostics.DuplicateDefinition, Where(label), name, label);
                continue;
            }
            _origins[name] = Where(label);
            if (!facts.IsFullyKnown || facts.Type is null) _unsizedReasons[name] = (label, node.OpType, reason);
            if (fold) _constantData[name] = FoldedData(name, facts);
        }
        return fold;
    }

    private static ConstantData FoldedData(string name, TensorFacts facts) =>
        facts.Value is { IsInteger: true } v && v.Count <= MaxInlineElements && facts.Type is { } t && t.BitsPerElement() % 8 == 0 && t.BitsPerElement() > 0
            ? new ConstantData.Inline(TensorProtoDecoder.EncodeInts(v, t).ToEquatableArray())
            : new ConstantData.Reference("folded/" + name);

    /// <summary>Fills what inference left open from value_info, and warns where both are
    /// known and disagree.</summary>
    private TensorFacts CrossCheck(string name, TensorFacts inferred)
    {
        if (!_valueInfo.TryGetValue(name, out var declared)) return inferred;
        var type = inferred.Type ?? declared.Type;
        Dim[]? dims = inferred.Dims;
        if (dims is null) dims = declared.Dims;
        else if (declared.Dims is not null && declared.Dims.Length == dims.Length)
            dims = dims.Select((d, i) => d.IsKnown ? d : declared.Dims[i].IsKnown ? declared.Dims[i] : d).ToArray();
        var merged = inferred with { Type = type, Dims = dims };
        bool conflict = inferred.Type is not null && declared.Type is not null && inferred.Type != declared.Type
            || inferred.Dims is not null && declared.Dims is not null && (inferred.Dims.Length != declared.Dims.Length
                || inferred.Dims.Where((d, i) => d.IsKnown && declared.Dims[i].IsKnown && d.Value != declared.Dims[i].Value).Any());
        if (conflict) _diagnostics.Report(OnnxDiagnostics.ValueInfoMismatch, Where($"value '{name}'"), name, declared.Describe(), inferred.Describe());
        return conflict ? inferred : merged;
    }

    private Operator ToOperator(NodeProto node, int index)
    {
        var attributes = new List<KeyValuePair<string, AttributeValue>>();
        foreach (var a in node.Attribute)
            if (attributes.All(e => e.Key != a.Name)) attributes.Add(KeyValuePair.Create(a.Name, ConvertAttribute(a)));
        if (node.Domain is { Length: > 0 } d && d != "ai.onnx" && attributes.All(e => e.Key != "domain"))
            attributes.Add(KeyValuePair.Create("domain", (AttributeValue)d));
        return new Operator(node.OpType,
            node.Input.Select(i => i.Length == 0 ? null : i).ToEquatableArray(),
            node.Output.Select(o => o.Length == 0 ? null : o).ToEquatableArray())
        {
            Name = string.IsNullOrEmpty(node.Name) ? null : node.Name,
            Attributes = AttributeMap.From(attributes),
            Origin = Where(NodeLabel(node, index)),
        };
    }

    /// <summary>Typed attributes; tensors and graphs are summarised (their bytes stay in the file).</summary>
    private static AttributeValue ConvertAttribute(AttributeProto a)
    {
        static string Text(Google.Protobuf.ByteString s) => s.ToString(Encoding.UTF8);
        static string TensorSummary(TensorProto t) =>
            "tensor " + (OnnxElementTypes.FromCode(t.DataType)?.ToText() ?? "?") + Shape.Of(t.Dims.ToArray());
        static string GraphSummary(GraphProto g) => $"graph '{g.Name}' ({g.Node.Count} nodes)";
        var type = a.Type;
        if (type == AttributeProto.Types.AttributeType.Undefined)
        {
            // IR version 1 had no type field: the set field says what it is.
            type = a.HasF ? AttributeProto.Types.AttributeType.Float : a.HasI ? AttributeProto.Types.AttributeType.Int
                : a.HasS ? AttributeProto.Types.AttributeType.String : a.T is not null ? AttributeProto.Types.AttributeType.Tensor
                : a.G is not null ? AttributeProto.Types.AttributeType.Graph : a.Floats.Count > 0 ? AttributeProto.Types.AttributeType.Floats
                : a.Ints.Count > 0 ? AttributeProto.Types.AttributeType.Ints : a.Strings.Count > 0 ? AttributeProto.Types.AttributeType.Strings
                : AttributeProto.Types.AttributeType.Undefined;
        }
        return type switch
        {
            AttributeProto.Types.AttributeType.Float => new AttributeValue.Float(a.F),
            AttributeProto.Types.AttributeType.Int => new AttributeValue.Int(a.I),
            AttributeProto.Types.AttributeType.String => new AttributeValue.Str(Text(a.S)),
            AttributeProto.Types.AttributeType.Tensor => new AttributeValue.Str(a.T is null ? "tensor" : TensorSummary(a.T)),
            AttributeProto.Types.AttributeType.Graph => new AttributeValue.Str(a.G is null ? "graph" : GraphSummary(a.G)),
            AttributeProto.Types.AttributeType.Floats => AttributeValue.Floats(a.Floats.Select(f => (double)f)),
            AttributeProto.Types.AttributeType.Ints => AttributeValue.Ints(a.Ints),
            AttributeProto.Types.AttributeType.Strings => new AttributeValue.List(a.Strings.Select(s => (AttributeValue)Text(s)).ToEquatableArray()),
            AttributeProto.Types.AttributeType.Tensors => new AttributeValue.List(a.Tensors.Select(t => (AttributeValue)TensorSummary(t)).ToEquatableArray()),
            AttributeProto.Types.AttributeType.Graphs => new AttributeValue.List(a.Graphs.Select(g => (AttributeValue)GraphSummary(g)).ToEquatableArray()),
            _ => new AttributeValue.Str(type.ToString().ToLowerInvariant()),
        };
    }

    /// <summary>Tensor table: graph inputs, initializers, then values in production order.
    /// Folded constants that no remaining operator or graph output reads are dropped.</summary>
    private List<Tensor> BuildTensors(GraphProto graph, List<string> inputs, List<Operator> operators)
    {
        var referenced = new HashSet<string>(operators.SelectMany(o => o.PresentInputs.Concat(o.PresentOutputs)), StringComparer.Ordinal);
        referenced.UnionWith(graph.Output.Select(o => o.Name));
        referenced.UnionWith(inputs);
        referenced.UnionWith(_initializers);
        var names = new List<string>(inputs);
        names.AddRange(graph.Initializer.Select(t => t.Name).Where(n => _facts.ContainsKey(n)));
        foreach (var node in graph.Node) names.AddRange(node.Output.Where(o => o.Length > 0));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new List<Tensor>();
        foreach (var name in names)
        {
            if (!referenced.Contains(name) || !seen.Add(name) || !_facts.TryGetValue(name, out var f)) continue;
            tensors.Add(new Tensor(name, new TensorType(f.Type ?? DataType.Float32, f.ToShape()))
            {
                Kind = f.IsConstant ? TensorKind.Constant : TensorKind.Activation,
                Data = f.IsConstant ? _constantData.GetValueOrDefault(name) : null,
                Origin = _origins.GetValueOrDefault(name),
            });
        }
        return tensors;
    }

    private void CheckSizes(List<Tensor> tensors)
    {
        foreach (var t in tensors.Where(t => t.IsActivation))
        {
            var f = _facts[t.Name];
            // Too large or negative: the IR verifier refuses it (GD1110); ByteSize would overflow.
            if (t.Type.SizeProblem() is not null) continue;
            if (f.IsFullyKnown && f.Type is not null && t.ByteSize is not null) continue;
            if (f.IsFullyKnown && f.Type == DataType.String)
            {
                _diagnostics.Report(OnnxDiagnostics.StringActivation, t.Origin.Location, t.Name);
                continue;
            }
            var (node, op, reason) = _unsizedReasons.GetValueOrDefault(t.Name, ("?", "?", "its element type or shape is unknown"));
            if (f.Type is null && f.IsFullyKnown) reason = "the element type is unknown";
            else if (f.Dims is not null && !f.IsFullyKnown)
                reason += $" (inferred {f.Describe()}; symbolic dims can be fixed with --dim NAME=N)";
            _diagnostics.Report(OnnxDiagnostics.UnsizedTensor, t.Origin.Location, t.Name, node, op, reason);
        }
    }

    private AttributeMap ModelAttributes(int folded, int overridable)
    {
        var entries = new List<(string, AttributeValue)>
        {
            ("format", "onnx"),
            ("ir_version", _model.IrVersion),
            ("opset_import", new AttributeValue.List(_model.OpsetImport
                .Select(o => (AttributeValue)((o.Domain.Length == 0 ? "ai.onnx" : o.Domain) + ":" + o.Version.ToString(CultureInfo.InvariantCulture))).ToEquatableArray())),
            ("folded_nodes", folded),
        };
        if (overridable > 0) entries.Add(("initializer_inputs", overridable));
        if (_model.HasProducerName) entries.Add(("producer", _model.ProducerName + (_model.HasProducerVersion ? " " + _model.ProducerVersion : "")));
        if (_model.MetadataProps.Count > 0)
            entries.Add(("metadata", new AttributeValue.List(_model.MetadataProps.Select(p => (AttributeValue)p.Key).ToEquatableArray())));
        return AttributeMap.From(entries.ToArray());
    }
}
