using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GraphDsl.Ir;

/// <summary>Writes a <see cref="Model"/> as canonical graph-language text.</summary>
/// <remarks>
/// Canonical means deterministic and unique: tensors are declared in table order before the
/// operators, operators follow in stored order, numbers use the invariant culture and the
/// shortest round-trip form, and names are quoted only when they are not plain identifiers or
/// are keywords. Parsing the output gives back an equal model (grammar/README.md documents the
/// syntax; the parser lives in GraphDsl.Syntax).
/// </remarks>
public static class IrPrinter
{
    /// <summary>Words that cannot be bare names because the grammar gives them a meaning.</summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "model", "graph", "tensor", "const", "var", "op", "attributes", "data", "q",
        "true", "false", "inf", "nan", "_",
    };

    public static string Print(Model model)
    {
        var sb = new StringBuilder();
        if (model.Name is not null || model.Attributes.Count > 0 || model.Annotations.Count > 0)
        {
            sb.Append("model");
            if (model.Name is not null) sb.Append(' ').Append(Name(model.Name));
            AppendAttributes(sb, model.Attributes);
            AppendAnnotations(sb, model.Annotations);
            sb.Append('\n');
        }
        for (int i = 0; i < model.Graphs.Count; i++)
        {
            if (sb.Length > 0) sb.Append('\n');
            AppendGraph(sb, model.Graphs[i]);
        }
        return sb.ToString();
    }

    public static string Print(Graph graph)
    {
        var sb = new StringBuilder();
        AppendGraph(sb, graph);
        return sb.ToString();
    }

    private static void AppendGraph(StringBuilder sb, Graph g)
    {
        sb.Append("graph ").Append(Name(g.Name)).Append('(')
          .AppendJoin(", ", g.Inputs.Select(Name)).Append(") -> (")
          .AppendJoin(", ", g.Outputs.Select(Name)).Append(") {\n");
        if (g.Attributes.Count > 0)
        {
            sb.Append("  attributes");
            AppendAttributes(sb, g.Attributes);
            sb.Append('\n');
        }
        foreach (var a in g.Annotations)
        {
            sb.Append("  ");
            AppendAnnotation(sb, a.Key, a.Value);
            sb.Append('\n');
        }
        foreach (var t in g.Tensors) AppendTensor(sb, t);
        if (g.Tensors.Count > 0 && g.Operators.Count > 0) sb.Append('\n');
        foreach (var op in g.Operators) AppendOperator(sb, op);
        sb.Append("}\n");
    }

    private static void AppendTensor(StringBuilder sb, Tensor t)
    {
        sb.Append("  ").Append(t.Kind switch
        {
            TensorKind.Constant => "const ",
            TensorKind.Variable => "var ",
            _ => "tensor ",
        });
        sb.Append(Name(t.Name)).Append(": ").Append(Type(t.Type));
        if (t.Quantization is { } q) sb.Append(' ').Append(Quant(q));
        AppendAttributes(sb, t.Attributes);
        AppendAnnotations(sb, t.Annotations);
        switch (t.Data)
        {
            case ConstantData.Reference r:
                sb.Append(" = data(").Append(Quote(r.Key)).Append(')');
                break;
            case ConstantData.Inline inline:
                sb.Append(" = ").Append(InlineValues(t.Type.ElementType, inline.Bytes));
                break;
        }
        sb.Append('\n');
    }

    private static void AppendOperator(StringBuilder sb, Operator op)
    {
        sb.Append("  ");
        if (op.Name is not null) sb.Append("op ").Append(Name(op.Name)).Append(": ");
        if (op.Outputs.Count == 0) sb.Append("()");
        else sb.AppendJoin(", ", op.Outputs.Select(o => o is null ? "_" : Name(o)));
        sb.Append(" = ").Append(OpType(op.OpType)).Append('(')
          .AppendJoin(", ", op.Inputs.Select(i => i is null ? "_" : Name(i))).Append(')');
        AppendAttributes(sb, op.Attributes);
        AppendAnnotations(sb, op.Annotations);
        sb.Append('\n');
    }

    private static void AppendAttributes(StringBuilder sb, AttributeMap attributes)
    {
        if (attributes.Count == 0) return;
        sb.Append(' ').Append(Fields(attributes));
    }

    private static void AppendAnnotations(StringBuilder sb, AttributeMap annotations)
    {
        foreach (var a in annotations)
        {
            sb.Append(' ');
            AppendAnnotation(sb, a.Key, a.Value);
        }
    }

    /// <summary><c>@name</c> for an empty record, <c>@name(k=v, ..)</c> for a record, else <c>@name(value)</c>.</summary>
    private static void AppendAnnotation(StringBuilder sb, string name, AttributeValue value)
    {
        sb.Append('@').Append(Name(name));
        if (value is AttributeValue.Record r)
        {
            if (r.Fields.Count > 0) sb.Append('(').AppendJoin(", ", r.Fields.Select(f => Name(f.Key) + "=" + Value(f.Value))).Append(')');
        }
        else sb.Append('(').Append(Value(value)).Append(')');
    }

    private static string Fields(AttributeMap map) =>
        "{" + string.Join(", ", map.Select(f => Name(f.Key) + "=" + Value(f.Value))) + "}";

    public static string Type(TensorType type) => type.ElementType.ToText() + Shape(type.Shape);

    public static string Shape(Shape shape) =>
        shape.IsRankKnown ? "[" + string.Join(",", shape.Dims.Select(DimText)) + "]" : "[*]";

    private static string DimText(Dim d) => d.Value is { } v ? Int(v) : d.Symbol is { } s ? Name(s) : "?";

    public static string Quant(Quantization q)
    {
        if (q.Axis is null && q.Scales.Count == 1 && q.ZeroPoints.Count == 1)
            return $"q(scale={Float(q.Scales[0])}, zero_point={Int(q.ZeroPoints[0])})";
        var sb = new StringBuilder("q(");
        if (q.Axis is { } axis) sb.Append("axis=").Append(Int(axis)).Append(", ");
        sb.Append("scale=[").AppendJoin(", ", q.Scales.Select(Float)).Append("], zero_point=[")
          .AppendJoin(", ", q.ZeroPoints.Select(Int)).Append("])");
        return sb.ToString();
    }

    public static string Value(AttributeValue value) => value switch
    {
        AttributeValue.Int i => Int(i.Value),
        AttributeValue.Float f => Float(f.Value),
        AttributeValue.Bool b => b.Value ? "true" : "false",
        AttributeValue.Str s => Quote(s.Value),
        AttributeValue.Bytes b => "b\"" + Convert.ToHexString(b.Value.AsImmutableArray().AsSpan()).ToLowerInvariant() + "\"",
        AttributeValue.List l => "[" + string.Join(", ", l.Items.Select(Value)) + "]",
        AttributeValue.Record r => Fields(r.Fields),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Shortest round-trip text that always reads back as a float (has '.', 'E', or is inf/nan).</summary>
    public static string Float(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    /// <summary>An operator type: a bare (possibly dotted) identifier, else a quoted string.</summary>
    private static string OpType(string opType) =>
        opType.Split('.').All(IsPlainIdentifier) && !Keywords.Contains(opType) ? opType : Quote(opType);

    /// <summary>A name: bare when it is a plain identifier and not a keyword, else quoted.</summary>
    public static string Name(string name) => IsPlainIdentifier(name) && !Keywords.Contains(name) ? name : Quote(name);

    private static bool IsPlainIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Inline constant values as a flat list of numbers when the element type has a plain
    /// numeric form, else as raw bytes <c>b"..."</c>. NaN payloads cannot be written as numbers,
    /// so any NaN also falls back to raw bytes, which keeps the round trip exact.</summary>
    private static string InlineValues(DataType type, EquatableArray<byte> bytes)
    {
        var raw = bytes.AsImmutableArray().AsSpan();
        var values = InlineElements.TryDecode(type, raw);
        if (values is null) return "b\"" + Convert.ToHexString(raw).ToLowerInvariant() + "\"";
        return "[" + string.Join(", ", values.Select(v => v is double d ? Float(d) : v is bool b ? (b ? "true" : "false") : Int((long)v))) + "]";
    }
}

/// <summary>Converts inline constant bytes to and from element values (little-endian).</summary>
public static class InlineElements
{
    /// <summary>Decodes raw bytes into longs, doubles or bools; null when the type has no plain
    /// numeric text form, the length does not fit, or a float is NaN.</summary>
    public static IReadOnlyList<object>? TryDecode(DataType type, ReadOnlySpan<byte> raw)
    {
        int size = type switch
        {
            DataType.Int8 or DataType.UInt8 or DataType.Bool => 1,
            DataType.Int16 or DataType.UInt16 or DataType.Float16 or DataType.BFloat16 => 2,
            DataType.Int32 or DataType.UInt32 or DataType.Float32 => 4,
            DataType.Int64 or DataType.Float64 => 8,
            _ => 0, // UInt64 above long range, 4-bit packing, strings, complex: raw bytes.
        };
        if (size == 0 || raw.Length % size != 0) return null;
        var result = new List<object>(raw.Length / size);
        for (int i = 0; i < raw.Length; i += size)
        {
            var s = raw.Slice(i, size);
            object v = type switch
            {
                DataType.Int8 => (long)(sbyte)s[0],
                DataType.UInt8 => (long)s[0],
                DataType.Bool => s[0] switch { 0 => false, 1 => true, _ => (object)(-1L) },
                DataType.Int16 => (long)BinaryPrimitives.ReadInt16LittleEndian(s),
                DataType.UInt16 => (long)BinaryPrimitives.ReadUInt16LittleEndian(s),
                DataType.Int32 => (long)BinaryPrimitives.ReadInt32LittleEndian(s),
                DataType.UInt32 => (long)BinaryPrimitives.ReadUInt32LittleEndian(s),
                DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(s),
                DataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(s),
                DataType.BFloat16 => (double)BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(s) << 16),
                DataType.Float32 => (double)BinaryPrimitives.ReadSingleLittleEndian(s),
                DataType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(s),
                _ => throw new InvalidOperationException(),
            };
            if (v is double d && double.IsNaN(d)) return null;
            if (v is long l && l == -1 && type == DataType.Bool) return null;
            result.Add(v);
        }
        return result;
    }

    /// <summary>Encodes one value (long, double or bool) as <paramref name="type"/>; false when it
    /// does not fit the type's range.</summary>
    public static bool TryEncode(DataType type, object value, List<byte> into)
    {
        Span<byte> b = stackalloc byte[8];
        double d = value switch { long l => l, double x => x, bool x => x ? 1 : 0, _ => double.NaN };
        long? i = value switch { long l => l, bool x => x ? 1 : 0, _ => null };
        switch (type)
        {
            case DataType.Bool: if (i is not (0 or 1)) return false; into.Add((byte)i.Value); return true;
            case DataType.Int8: if (i is not { } a || a < sbyte.MinValue || a > sbyte.MaxValue) return false; into.Add((byte)(sbyte)a); return true;
            case DataType.UInt8: if (i is not { } u || u < 0 || u > byte.MaxValue) return false; into.Add((byte)u); return true;
            case DataType.Int16: if (i is not { } c || c < short.MinValue || c > short.MaxValue) return false; BinaryPrimitives.WriteInt16LittleEndian(b, (short)c); into.AddRange(b[..2].ToArray()); return true;
            case DataType.UInt16: if (i is not { } e || e < 0 || e > ushort.MaxValue) return false; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)e); into.AddRange(b[..2].ToArray()); return true;
            case DataType.Int32: if (i is not { } f || f < int.MinValue || f > int.MaxValue) return false; BinaryPrimitives.WriteInt32LittleEndian(b, (int)f); into.AddRange(b[..4].ToArray()); return true;
            case DataType.UInt32: if (i is not { } g || g < 0 || g > uint.MaxValue) return false; BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)g); into.AddRange(b[..4].ToArray()); return true;
            case DataType.Int64: if (i is not { } h) return false; BinaryPrimitives.WriteInt64LittleEndian(b, h); into.AddRange(b[..8].ToArray()); return true;
            case DataType.Float16: BinaryPrimitives.WriteHalfLittleEndian(b, (Half)d); into.AddRange(b[..2].ToArray()); return true;
            case DataType.BFloat16:
                // Values printed from bf16 are exact bf16 values, so truncation loses nothing for them.
                BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(BitConverter.SingleToInt32Bits((float)d) >> 16)); into.AddRange(b[..2].ToArray()); return true;
            case DataType.Float32: BinaryPrimitives.WriteSingleLittleEndian(b, (float)d); into.AddRange(b[..4].ToArray()); return true;
            case DataType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(b, d); into.AddRange(b[..8].ToArray()); return true;
            default: return false;
        }
    }
}
