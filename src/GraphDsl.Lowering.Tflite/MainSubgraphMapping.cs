using GraphDsl.Importers.Tflite.Schema;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using F = GraphDsl.Importers.Tflite.Schema.TfliteFields;

namespace GraphDsl.Lowering.Tflite;

/// <summary>How subgraph 0 of the written model is made from an IR main graph that a pass may have
/// changed: which tensors and operators are copied table for table from the source model, which
/// are written from the IR, and how source tensor indices map to the new numbering.</summary>
/// <remarks>
/// Matching is by content, not by position. An IR tensor equal to the imported source tensor of
/// the same name (annotations and the <c>offline_offset</c> attribute aside, neither is a Tensor
/// field) is copied; an IR operator equal to an imported source operator with the same first
/// output (annotations and name aside) is copied, each source operator at most once. So an
/// unchanged graph copies everything and is written byte for byte as before, and a graph a pass
/// changed keeps every untouched table exact. The new tensor numbering is the IR table order,
/// the operator order the IR order.
/// Written tensors take their buffer from <see cref="Tensor.Data"/>: <c>buffer/N</c> is the
/// existing buffer N (weights shared, never copied), inline bytes a new buffer (identical bytes
/// share one), no data buffer 0 (schema.fbs: the empty sentinel). Source buffers are never removed,
/// so every buffer index of the source (other subgraphs, metadata) stays valid.
/// Anything the IR holds that the schema cannot express, or that would be dropped, is a
/// <see cref="TfliteRewriteException"/> located at the IR node.
/// </remarks>
internal sealed class MainSubgraphMapping
{
    public abstract record TensorEntry;

    /// <summary>Source tensor table <paramref name="Source"/> of subgraph 0, copied.</summary>
    public sealed record CopiedTensor(int Source) : TensorEntry;

    /// <summary>A tensor written from the IR; <paramref name="Buffer"/> is its buffer index.</summary>
    public sealed record WrittenTensor(Tensor Tensor, uint Buffer) : TensorEntry;

    public abstract record OperatorEntry;

    /// <summary>Source operator table <paramref name="Source"/> of subgraph 0, copied with its tensor
    /// indices renumbered.</summary>
    public sealed record CopiedOperator(int Source) : OperatorEntry;

    /// <summary>An operator written from the IR: operand indices in the new numbering (-1 absent),
    /// its builtin options union type (0: none) and the options table describing it.</summary>
    public sealed record WrittenOperator(Operator Operator, uint OpcodeIndex, int[] Inputs, int[] Outputs,
        int[]? Intermediates, int UnionType, OptionsTable? Options, Location Where) : OperatorEntry;

    /// <summary>An operator code the model lacks, appended to operator_codes.</summary>
    public sealed record NewOperatorCode(int BuiltinCode, string? CustomCode, int Version);

    /// <summary>Operator attributes that are not builtin options (TfliteModelReader.ReadOperator).</summary>
    private static readonly HashSet<string> OperatorAttributes = new(StringComparer.Ordinal)
    {
        "version", "custom_code", "custom_options", "custom_options_format", "mutating_variable_inputs", "intermediates",
    };

    /// <summary>Tensor attributes the writer understands (TfliteModelReader.ReadTensor).</summary>
    private static readonly HashSet<string> TensorAttributes = new(StringComparer.Ordinal)
    {
        "buffer", "tflite_name", "shape_signature", "is_variable", "has_rank", "quant_min", "quant_max", "quant_zero_point",
        WellKnownAttributes.OfflineOffset,
    };

    private MainSubgraphMapping() { }

    public IReadOnlyList<TensorEntry> Tensors { get; private set; } = [];
    public IReadOnlyList<OperatorEntry> Operators { get; private set; } = [];
    public int[] Inputs { get; private set; } = [];
    public int[] Outputs { get; private set; } = [];

    /// <summary>New index of each source tensor of subgraph 0 (by its IR name), -1 when removed.</summary>
    public int[] NewIndexOfSourceTensor { get; private set; } = [];

    public IReadOnlyList<NewOperatorCode> AppendedOperatorCodes { get; private set; } = [];

    /// <summary>Bytes of the new constant buffers, appended in this order at <see cref="FirstNewBuffer"/>.</summary>
    public IReadOnlyList<byte[]> ConstantBuffers { get; private set; } = [];

    /// <summary>Index of the first appended buffer: after the source's buffers, and never 0 (a model
    /// without buffers first gets the empty sentinel buffer 0).</summary>
    public int FirstNewBuffer { get; private set; }

    /// <summary>Buffer indices the written subgraph 0 names (for the plan's buffer choice).</summary>
    public IReadOnlySet<long> BuffersRead { get; private set; } = new HashSet<long>();

    /// <summary>Maps <paramref name="target"/> (the new main graph) onto the source model.</summary>
    /// <param name="root">The source model's root table.</param>
    /// <param name="source">The source model as the importer reads it.</param>
    /// <param name="path">The source file, for locations of nodes without an origin.</param>
    public static MainSubgraphMapping Build(FlatBufferTable root, Model source, Graph target, string path)
    {
        var m = new MainSubgraphMapping();
        var main = source.Graphs[0];
        int bufferCount = root.Vector(F.Model.Buffers, 4)?.Count ?? 0;
        m.FirstNewBuffer = Math.Max(bufferCount, 1);

        // ---- tensors: new numbering = IR table order
        var newIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < target.Tensors.Count; i++)
            if (!newIndex.TryAdd(target.Tensors[i].Name, i))
                throw new TfliteRewriteException($"tensor name '{target.Tensors[i].Name}' is used twice in the lowered graph", Where(target.Tensors[i].Origin, path, $"subgraph0/tensor{i}"));
        var constants = new List<byte[]>();
        var constantIndex = new Dictionary<EquatableArray<byte>, int>();
        var tensors = new TensorEntry[target.Tensors.Count];
        var read = new HashSet<long>();
        for (int i = 0; i < target.Tensors.Count; i++)
        {
            var t = target.Tensors[i];
            int s = main.TensorIndex(t.Name);
            if (s >= 0 && Comparable(t) == Comparable(main.Tensors[s]))
            {
                tensors[i] = new CopiedTensor(s);
                if (main.Tensors[s].Attributes["buffer"]?.AsInt() is { } b) read.Add(b);
                continue;
            }
            var where = Where(t.Origin, path, $"subgraph0/tensor{i}");
            uint buffer = BufferOf(t, where, bufferCount, m.FirstNewBuffer, constants, constantIndex);
            read.Add(buffer);
            CheckTensor(t, where);
            tensors[i] = new WrittenTensor(t, buffer);
        }
        m.Tensors = tensors;
        m.ConstantBuffers = constants;
        m.BuffersRead = read;
        m.NewIndexOfSourceTensor = main.Tensors.Select(t => newIndex.TryGetValue(t.Name, out var n) ? n : -1).ToArray();

        // ---- operators
        var codes = ReadOperatorCodes(root);
        var unionByType = SourceUnionTypes(root, codes);
        var appendedCodes = new List<NewOperatorCode>();
        var copied = new bool[main.Operators.Count];
        var byFirstOutput = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < main.Operators.Count; i++)
        {
            var key = main.Operators[i].Outputs.FirstOrDefault(o => o is not null) ?? ""; // "": no outputs
            if (!byFirstOutput.TryGetValue(key, out var list)) byFirstOutput[key] = list = [];
            list.Add(i);
        }
        var operators = new OperatorEntry[target.Operators.Count];
        var producedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < target.Operators.Count; k++)
            foreach (var o in target.Operators[k].PresentOutputs) producedAt.TryAdd(o, k);
        for (int k = 0; k < target.Operators.Count; k++)
        {
            var op = target.Operators[k];
            var where = Where(op.Origin, path, $"subgraph0/op{k} '{op.OpType}'");
            foreach (var name in op.PresentInputs.Concat(op.PresentOutputs))
                if (!newIndex.ContainsKey(name)) throw new TfliteRewriteException($"operator {k} ({op.OpType}) names tensor '{name}', which the graph does not have", where);
            foreach (var name in op.PresentInputs)
                if (producedAt.TryGetValue(name, out var producer) && producer >= k)
                    throw new TfliteRewriteException($"operator {k} ({op.OpType}) reads '{name}' before operator {producer} writes it; operators must be stored in execution order", where);

            int s = SourceMatch(byFirstOutput, main, op, copied);
            if (s >= 0)
            {
                copied[s] = true;
                operators[k] = new CopiedOperator(s);
                continue;
            }
            operators[k] = WriteOperator(op, where, newIndex, codes, appendedCodes, unionByType);
        }
        m.Operators = operators;
        m.AppendedOperatorCodes = appendedCodes;

        m.Inputs = GraphTensors(target.Inputs, newIndex, "input", target, path);
        m.Outputs = GraphTensors(target.Outputs, newIndex, "output", target, path);
        return m;
    }

    private static Location Where(Origin origin, string path, string fragment) => origin.Location ?? new ModelLocation(path, fragment);

    private static int[] GraphTensors(EquatableArray<string> names, Dictionary<string, int> newIndex, string what, Graph g, string path) =>
        names.Select(n => newIndex.TryGetValue(n, out var i) ? i
            : throw new TfliteRewriteException($"graph {what} '{n}' is not a tensor of the graph", Where(g.Origin, path, "subgraph0"))).ToArray();

    private static Tensor Comparable(Tensor t) =>
        t with { Annotations = AttributeMap.Empty, Attributes = t.Attributes.Without(WellKnownAttributes.OfflineOffset) };

    private static Operator Comparable(Operator op) => op with { Annotations = AttributeMap.Empty, Name = null };

    /// <summary>The first unused source operator equal to <paramref name="op"/> among those with the
    /// same first output (several when a malformed model writes a tensor twice), or -1.</summary>
    private static int SourceMatch(IReadOnlyDictionary<string, List<int>> byFirstOutput, Graph main, Operator op, bool[] copied)
    {
        var wanted = Comparable(op);
        if (!byFirstOutput.TryGetValue(op.Outputs.FirstOrDefault(o => o is not null) ?? "", out var candidates)) return -1;
        foreach (var i in candidates)
            if (!copied[i] && Comparable(main.Operators[i]) == wanted) return i;
        return -1;
    }

    private static uint BufferOf(Tensor t, Location where, int bufferCount, int firstNew, List<byte[]> constants, Dictionary<EquatableArray<byte>, int> constantIndex)
    {
        switch (t.Data)
        {
            case null:
                if (t.Kind == TensorKind.Constant)
                    throw new TfliteRewriteException($"constant tensor '{t.Name}' has no data (ConstantData.Inline or Reference(\"buffer/N\") is needed)", where);
                return 0;
            case ConstantData.Reference r:
                if (t.Kind != TensorKind.Constant) throw new TfliteRewriteException($"tensor '{t.Name}' has data but is a {t.Kind}, not a constant", where);
                if (!r.Key.StartsWith("buffer/", StringComparison.Ordinal)
                    || !uint.TryParse(r.Key.AsSpan(7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                    || n == 0 || n >= bufferCount)
                    throw new TfliteRewriteException($"tensor '{t.Name}' refers to data \"{r.Key}\", which is not a non-empty buffer of the source model (buffer/1..buffer/{bufferCount - 1})", where);
                return n;
            case ConstantData.Inline inline:
                if (t.Kind != TensorKind.Constant) throw new TfliteRewriteException($"tensor '{t.Name}' has data but is a {t.Kind}, not a constant", where);
                if (t.ByteSize is { } size && size != inline.Bytes.Count)
                    throw new TfliteRewriteException($"constant '{t.Name}' holds {inline.Bytes.Count} bytes but its type {t.Type} needs {size}", where);
                if (inline.Bytes.Count == 0) throw new TfliteRewriteException($"constant '{t.Name}' has no bytes; TFLite stores an empty buffer as 'no data'", where);
                if (!constantIndex.TryGetValue(inline.Bytes, out var k))
                {
                    k = constants.Count;
                    constants.Add(inline.Bytes.ToArray());
                    constantIndex[inline.Bytes] = k;
                }
                return (uint)(firstNew + k);
            default:
                throw new TfliteRewriteException($"tensor '{t.Name}' has data of an unknown kind", where);
        }
    }

    /// <summary>Refuses what a written tensor table cannot hold faithfully.</summary>
    private static void CheckTensor(Tensor t, Location where)
    {
        foreach (var (key, _) in t.Attributes)
            if (!TensorAttributes.Contains(key))
                throw new TfliteRewriteException($"tensor '{t.Name}' has attribute '{key}', which the TFLite writer cannot express for a new or changed tensor", where);
        if (TfliteTensorTypes.FromDataType(t.Type.ElementType) is null)
            throw new TfliteRewriteException($"tensor '{t.Name}' has element type {t.Type.ElementType}, which TFLite has no type for", where);
        if ((t.Attributes["is_variable"] is AttributeValue.Bool { Value: true }) != (t.Kind == TensorKind.Variable))
            throw new TfliteRewriteException($"tensor '{t.Name}' is a {t.Kind} but its is_variable attribute says otherwise", where);
        if (t.Attributes["shape_signature"] is { } signature)
        {
            var dims = signature.AsInts();
            var shape = t.Type.Shape.Dims;
            if (dims is null || dims.Count != shape.Count
                || dims.Where((d, i) => d >= 0 && shape[i].Value is { } v && v != d).Any())
                throw new TfliteRewriteException($"tensor '{t.Name}' has shape_signature {signature}, which does not describe its shape {t.Type.Shape}", where);
        }
    }

    private static List<(int Code, string? Custom, int Version)> ReadOperatorCodes(FlatBufferTable root)
    {
        var result = new List<(int, string?, int)>();
        if (root.Vector(F.Model.OperatorCodes, 4) is not { } v) return result;
        for (int i = 0; i < v.Count; i++)
        {
            var t = v.Table(i);
            result.Add((BuiltinOperators.CodeOf(t), t.String(F.OperatorCode.CustomCode), t.Int32(F.OperatorCode.Version, 1)));
        }
        return result;
    }

    /// <summary>The options union type each operator type carries in the source's subgraph 0.</summary>
    private static Dictionary<int, int> SourceUnionTypes(FlatBufferTable root, List<(int Code, string? Custom, int Version)> codes)
    {
        var result = new Dictionary<int, int>();
        if (root.Vector(F.Model.Subgraphs, 4) is not { Count: > 0 } sgs || sgs.Table(0).Vector(F.SubGraph.Operators, 4) is not { } ops) return result;
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops.Table(i);
            int type = op.UInt8(F.Operator.BuiltinOptionsType);
            uint index = op.UInt32(F.Operator.OpcodeIndex);
            if (type != 0 && index < codes.Count) result.TryAdd(codes[(int)index].Code, type);
        }
        return result;
    }

    private static WrittenOperator WriteOperator(Operator op, Location where, Dictionary<string, int> newIndex,
        List<(int Code, string? Custom, int Version)> codes, List<NewOperatorCode> appended, Dictionary<int, int> unionByType)
    {
        int code = BuiltinOperators.CodeOf(op.OpType)
            ?? throw new TfliteRewriteException($"operator type '{op.OpType}' is no TFLite builtin operator", where);
        string? custom = op.Attributes["custom_code"] switch
        {
            null => null,
            AttributeValue.Str s => s.Value,
            var other => throw new TfliteRewriteException($"custom_code must be a string, not {other}", where),
        };
        // A CUSTOM operator without custom_code is representable (and exists: cases/int4_act), a
        // builtin one with a custom_code is not.
        if (code != BuiltinOperators.Custom && custom is not null)
            throw new TfliteRewriteException($"a {op.OpType} operator cannot have a custom_code", where);
        long version = op.Attributes["version"] is { } v ? v.AsInt() ?? throw new TfliteRewriteException($"version must be an integer, not {v}", where) : 1;
        if (version < 1 || version > int.MaxValue) throw new TfliteRewriteException($"version {version} is outside 1..{int.MaxValue}", where);

        int opcode = codes.FindIndex(c => c.Code == code && c.Custom == custom && c.Version == version);
        if (opcode < 0)
        {
            int k = appended.FindIndex(c => c.BuiltinCode == code && c.CustomCode == custom && c.Version == version);
            if (k < 0)
            {
                k = appended.Count;
                appended.Add(new NewOperatorCode(code, custom, (int)version));
            }
            opcode = codes.Count + k;
        }

        int union = unionByType.TryGetValue(code, out var seen) ? seen : BuiltinOptionsTables.DefaultUnionTypeOf(op.OpType);
        var table = BuiltinOptionsTables.Of(union);
        foreach (var (key, _) in op.Attributes)
        {
            if (OperatorAttributes.Contains(key) || table?.Fields.Any(f => f.Name == key && f.Kind != OptionFieldKind.Deprecated32) == true) continue;
            var reason = key switch
            {
                "builtin_options" or "builtin_options_type" => "options of a table this writer does not know (kept as bytes by the importer)",
                "builtin_options_unknown_fields" => "option fields newer than this writer's schema",
                "builtin_options_2" or "builtin_options_2_type" => "StableHLO options (builtin_options_2)",
                _ => table is null ? $"no builtin options table is known for {op.OpType}" : $"it is no field of {table.Name}",
            };
            throw new TfliteRewriteException($"operator {op.OpType} has attribute '{key}' that cannot be written: {reason}", where);
        }

        int[] Operands(EquatableArray<string?> names) => names.Select(n => n is null ? -1 : newIndex[n]).ToArray();
        int[]? intermediates = null;
        if (op.Attributes["intermediates"] is { } im)
        {
            if (im is not AttributeValue.List list || list.Items.Any(i => i is not AttributeValue.Str))
                throw new TfliteRewriteException("intermediates must be a list of tensor names", where);
            intermediates = list.Items.Select(i => ((AttributeValue.Str)i).Value is { Length: > 0 } n
                ? newIndex.TryGetValue(n, out var x) ? x : throw new TfliteRewriteException($"intermediate '{n}' is not a tensor of the graph", where)
                : -1).ToArray();
        }
        // The importer records every scalar field of a present options table and nothing for an
        // absent one, so an operator without option attributes had no table (CAST in movenet),
        // unless the table has no scalar fields (PadOptions): then both read back the same.
        bool scalars = table?.Fields.Any(f => !f.IsOffset && f.Kind != OptionFieldKind.Deprecated32) == true;
        if (table is not null && scalars && !table.Fields.Any(f => op.Attributes.ContainsKey(f.Name))) table = null;
        return new WrittenOperator(op, (uint)opcode, Operands(op.Inputs), Operands(op.Outputs), intermediates, table is null ? 0 : union, table, where);
    }
}
