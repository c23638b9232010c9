using System.Text;
using Google.FlatBuffers;
using GraphDsl.Ir;
using GraphDsl.Importers.Tflite.Schema;
using F = GraphDsl.Importers.Tflite.Schema.TfliteFields;

namespace GraphDsl.Lowering.Tflite;

/// <summary>Re-emits a TFLite model table by table with <see cref="FlatBufferBuilder"/>, reading the
/// source through the importer's bounds-checked accessors.</summary>
/// <remarks>
/// What is preserved: every field of Model, OperatorCode, SubGraph, Tensor, QuantizationParameters
/// (including CustomQuantization details), Operator, Buffer, Metadata, SignatureDef and TensorMap
/// that schema.fbs defines, with its presence: <see cref="FlatBufferBuilder.ForceDefaults"/> is on
/// and a field is written exactly when the source has it, so an explicit default stays explicit.
/// Scalars are copied as raw bytes of their schema width; strings as raw bytes (no UTF-8
/// re-encoding). Builtin options are copied generically from their vtable, driven by
/// <see cref="BuiltinOptionsTables"/> which says, for every table of the union, which fields are
/// vectors or strings (re-created) and the width of each scalar (copied bit for bit). Buffer data
/// vectors keep schema.fbs's 16-byte alignment.
/// Not preserved, reported as an error instead of dropped silently: sparse tensors (sparsity),
/// variant sub-types, builtin_options_2 (StableHLO options), and any field a newer schema added
/// beyond those listed above. Bytes not referenced by the model (padding or junk after the
/// flatbuffer) are not carried over.
/// Data stored outside the flatbuffer (buffers and large custom options with offset/size) is
/// appended after the new flatbuffer, each blob 16-byte aligned, in buffer order then operator
/// order; since its offsets are only known once the flatbuffer's size is, the model is built twice:
/// first with placeholder offsets to measure it (ForceDefaults keeps every ulong field 8 bytes, so
/// the size does not depend on the values), then with the real offsets.
/// Output is a function of the model's content only, so rewriting an output again with its own
/// order and the same plan reproduces it byte for byte.
/// </remarks>
internal sealed class TfliteModelWriter
{
    private readonly FlatBufferTable _root;
    private readonly ByteBuffer _source;
    private readonly MainSubgraphMapping _main;
    private readonly Func<int, byte[]?> _bufferReplacement;
    private readonly Func<IReadOnlyList<(byte[] Name, uint Buffer)>, IReadOnlyList<(byte[] Name, uint Buffer)>> _metadataEdit;
    private readonly byte[][] _appendedBuffers;
    private FlatBufferBuilder _b = null!;
    private ulong[]? _externalOffsets;
    private int _externalIndex;

    public TfliteModelWriter(FlatBufferTable root, MainSubgraphMapping main, Func<int, byte[]?> bufferReplacement,
        byte[][] appendedBuffers, Func<IReadOnlyList<(byte[] Name, uint Buffer)>, IReadOnlyList<(byte[] Name, uint Buffer)>> metadataEdit)
    {
        _root = root;
        _source = root.Buffer;
        _main = main;
        _bufferReplacement = bufferReplacement;
        _appendedBuffers = appendedBuffers;
        _metadataEdit = metadataEdit;
    }

    /// <summary>Blobs stored after the flatbuffer: (source file offset, size), in writing order.
    /// Float vectors are copied as their int32 bit patterns, so NaN payloads survive too.</summary>
    private readonly List<(ulong Offset, ulong Size)> _external = [];

    public byte[] Write()
    {
        _externalOffsets = null;
        var measure = Build();
        long end = measure.Length;
        _externalOffsets = new ulong[_external.Count];
        for (int i = 0; i < _external.Count; i++)
        {
            end = (end + 15) / 16 * 16;
            _externalOffsets[i] = (ulong)end;
            end += (long)_external[i].Size;
        }
        if (_external.Count == 0) return measure;
        var flat = Build();
        if (flat.Length != measure.Length) throw new InvalidOperationException("External offsets changed the flatbuffer size.");
        var file = new byte[end];
        flat.CopyTo(file, 0);
        for (int i = 0; i < _external.Count; i++)
            _source.ToArray<byte>((int)_external[i].Offset, (int)_external[i].Size).CopyTo(file, (int)_externalOffsets[i]);
        return file;
    }

    private byte[] Build()
    {
        _b = new FlatBufferBuilder(1 << 16) { ForceDefaults = true };
        _external.Clear();
        _externalIndex = 0;
        var root = _root;
        RequireKnownFields(root, 8, "Model");

        int buffers = WriteBuffers(root);
        int opcodes = OffsetVector(Tables(root.Vector(F.Model.OperatorCodes, 4)).Select(WriteOperatorCode)
            .Concat(_main.AppendedOperatorCodes.Select(WriteNewOperatorCode)).ToArray());
        var subgraphTables = Tables(root.Vector(F.Model.Subgraphs, 4)).ToArray();
        int subgraphs = OffsetVector(subgraphTables.Select((t, g) => WriteSubgraph(t, g)).ToArray());
        int description = RawString(root, F.Model.Description);
        int metadataBuffer = Ints(root, F.Model.MetadataBuffer);
        int metadata = WriteMetadata(root);
        int signatures = root.Vector(F.Model.SignatureDefs, 4) is { } sv ? OffsetVector(Tables(sv).Select(WriteSignature).ToArray()) : 0;

        _b.StartTable(8);
        CopyScalar(root, F.Model.Version, 4);
        AddField(F.Model.OperatorCodes, opcodes);
        AddField(F.Model.Subgraphs, subgraphs);
        AddField(F.Model.Description, description);
        AddField(F.Model.Buffers, buffers);
        AddField(F.Model.MetadataBuffer, metadataBuffer);
        AddField(F.Model.Metadata, metadata);
        AddField(F.Model.SignatureDefs, signatures);
        _b.Finish(_b.EndTable(), F.FileIdentifier);
        return _b.SizedByteArray();
    }

    private static IEnumerable<FlatBufferTable> Tables(FlatBufferVector? vector)
    {
        if (vector is not { } v) yield break;
        for (int i = 0; i < v.Count; i++) yield return v.Table(i);
    }

    private int WriteBuffers(FlatBufferTable root)
    {
        var sources = Tables(root.Vector(F.Model.Buffers, 4)).ToArray();
        if (sources.Length == 0 && _appendedBuffers.Length == 0) return 0;
        var offsets = new List<int>();
        for (int i = 0; i < sources.Length; i++)
        {
            var t = sources[i];
            RequireKnownFields(t, 3, $"buffer {i}");
            if (_bufferReplacement(i) is { } replacement)
            {
                offsets.Add(WriteInlineBuffer(replacement));
                continue;
            }
            int data = t.Vector(F.Buffer.Data, 1) is { } d ? ByteVector(d.ToBytes(), 16) : 0;
            ulong offset = t.UInt64(F.Buffer.Offset), size = t.UInt64(F.Buffer.Size);
            _b.StartTable(3);
            AddField(F.Buffer.Data, data);
            if (offset >= F.MinimumExternalOffset) AddExternal(F.Buffer.Offset, F.Buffer.Size, offset, size);
            else
            {
                CopyScalar(t, F.Buffer.Offset, 8);
                CopyScalar(t, F.Buffer.Size, 8);
            }
            offsets.Add(_b.EndTable());
        }
        foreach (var extra in _appendedBuffers) offsets.Add(WriteInlineBuffer(extra));
        return OffsetVector(offsets.ToArray());
    }

    private int WriteInlineBuffer(byte[] bytes)
    {
        int data = ByteVector(bytes, 16);
        _b.StartTable(3);
        _b.AddOffset(F.Buffer.Data, data, 0);
        return _b.EndTable();
    }

    /// <summary>Writes an offset/size pair of data kept after the flatbuffer (see the class remarks).</summary>
    private void AddExternal(int offsetField, int sizeField, ulong sourceOffset, ulong size)
    {
        _external.Add((sourceOffset, size));
        ulong newOffset = _externalOffsets is null ? ulong.MaxValue : _externalOffsets[_externalIndex];
        _externalIndex++;
        _b.AddUlong(offsetField, newOffset, 0);
        _b.AddUlong(sizeField, size, 0);
    }

    private int WriteOperatorCode(FlatBufferTable t)
    {
        RequireKnownFields(t, 4, "operator code");
        int custom = RawString(t, F.OperatorCode.CustomCode);
        _b.StartTable(4);
        CopyScalar(t, F.OperatorCode.DeprecatedBuiltinCode, 1);
        AddField(F.OperatorCode.CustomCode, custom);
        CopyScalar(t, F.OperatorCode.Version, 4);
        CopyScalar(t, F.OperatorCode.BuiltinCode, 4);
        return _b.EndTable();
    }

    /// <summary>Writes an operator code the source lacks: deprecated_builtin_code saturates at
    /// PLACEHOLDER_FOR_GREATER_OP_CODES (127) and builtin_code holds the code (schema.fbs).</summary>
    private int WriteNewOperatorCode(MainSubgraphMapping.NewOperatorCode code)
    {
        int custom = code.CustomCode is null ? 0 : RawString(Encoding.UTF8.GetBytes(code.CustomCode));
        _b.StartTable(4);
        _b.AddSbyte(F.OperatorCode.DeprecatedBuiltinCode, (sbyte)Math.Min(code.BuiltinCode, BuiltinOperators.PlaceholderForGreaterOpCodes), 0);
        AddField(F.OperatorCode.CustomCode, custom);
        _b.AddInt(F.OperatorCode.Version, code.Version, 0);
        _b.AddInt(F.OperatorCode.BuiltinCode, code.BuiltinCode, 0);
        return _b.EndTable();
    }

    private int WriteSubgraph(FlatBufferTable sg, int g)
    {
        RequireKnownFields(sg, 6, $"subgraph {g}");
        var sourceTensors = Tables(sg.Vector(F.SubGraph.Tensors, 4)).ToArray();
        var sourceOps = Tables(sg.Vector(F.SubGraph.Operators, 4)).ToArray();
        int tensors, inputs, outputs, operators;
        if (g == 0)
        {
            // Subgraph 0 is the IR's main graph (see MainSubgraphMapping); a field absent in the
            // source and empty now stays absent, so an unchanged graph is written as before.
            tensors = sg.Has(F.SubGraph.Tensors) || _main.Tensors.Count > 0
                ? OffsetVector(_main.Tensors.Select((t, i) => t switch
                {
                    MainSubgraphMapping.CopiedTensor c => WriteTensor(sourceTensors[c.Source], $"subgraph 0 tensor {c.Source}"),
                    MainSubgraphMapping.WrittenTensor w => WriteNewTensor(w),
                    _ => throw new InvalidOperationException(),
                }).ToArray())
                : 0;
            inputs = sg.Has(F.SubGraph.Inputs) || _main.Inputs.Length > 0 ? IntVector(_main.Inputs) : 0;
            outputs = sg.Has(F.SubGraph.Outputs) || _main.Outputs.Length > 0 ? IntVector(_main.Outputs) : 0;
            operators = sg.Has(F.SubGraph.Operators) || _main.Operators.Count > 0
                ? OffsetVector(_main.Operators.Select(o => o switch
                {
                    MainSubgraphMapping.CopiedOperator c => WriteOperator(sourceOps[c.Source], $"subgraph 0 operator {c.Source}", Renumber),
                    MainSubgraphMapping.WrittenOperator w => WriteNewOperator(w),
                    _ => throw new InvalidOperationException(),
                }).ToArray())
                : 0;
        }
        else
        {
            tensors = sg.Has(F.SubGraph.Tensors) ? OffsetVector(sourceTensors.Select((t, i) => WriteTensor(t, $"subgraph {g} tensor {i}")).ToArray()) : 0;
            inputs = Ints(sg, F.SubGraph.Inputs);
            outputs = Ints(sg, F.SubGraph.Outputs);
            operators = sg.Has(F.SubGraph.Operators) ? OffsetVector(sourceOps.Select((op, i) => WriteOperator(op, $"subgraph {g} operator {i}", null)).ToArray()) : 0;
        }
        int name = RawString(sg, F.SubGraph.Name);
        _b.StartTable(6);
        AddField(F.SubGraph.Tensors, tensors);
        AddField(F.SubGraph.Inputs, inputs);
        AddField(F.SubGraph.Outputs, outputs);
        AddField(F.SubGraph.Operators, operators);
        AddField(F.SubGraph.Name, name);
        CopyScalar(sg, F.SubGraph.DebugMetadataIndex, 4);
        return _b.EndTable();
    }

    private int WriteTensor(FlatBufferTable t, string what)
    {
        RequireKnownFields(t, 9, what);
        if (t.Has(F.Tensor.Sparsity)) throw new TfliteRewriteException($"{what} is sparse; the rewriter does not copy sparsity parameters");
        int shape = Ints(t, F.Tensor.Shape);
        int name = RawString(t, F.Tensor.Name);
        int quantization = t.Table(F.Tensor.Quantization) is { } q ? WriteQuantization(q, what) : 0;
        int signature = Ints(t, F.Tensor.ShapeSignature);
        _b.StartTable(9);
        AddField(F.Tensor.Shape, shape);
        CopyScalar(t, F.Tensor.Type, 1);
        CopyScalar(t, F.Tensor.Buffer, 4);
        AddField(F.Tensor.Name, name);
        AddField(F.Tensor.Quantization, quantization);
        CopyScalar(t, F.Tensor.IsVariable, 1);
        AddField(F.Tensor.ShapeSignature, signature);
        CopyScalar(t, F.Tensor.HasRank, 1);
        return _b.EndTable();
    }

    private int WriteQuantization(FlatBufferTable q, string what)
    {
        RequireKnownFields(q, 7, what + " quantization");
        int min = Ints(q, F.Quantization.Min);
        int max = Ints(q, F.Quantization.Max);
        int scale = Ints(q, F.Quantization.Scale);
        int zeroPoint = q.Vector(F.Quantization.ZeroPoint, 8) is { } zp ? LongVector(zp.ToInt64Array()) : 0;
        int details = 0;
        if (q.Table(F.Quantization.Details) is { } d)
        {
            // QuantizationDetails has one member, CustomQuantization { custom:[ubyte] (force_align: 16) }.
            if (q.UInt8(F.Quantization.DetailsType) != 1) throw new TfliteRewriteException($"{what} has quantization details of unknown type {q.UInt8(F.Quantization.DetailsType)}");
            RequireKnownFields(d, 1, what + " custom quantization");
            int custom = d.Vector(0, 1) is { } cv ? ByteVector(cv.ToBytes(), 16) : 0;
            _b.StartTable(1);
            AddField(0, custom);
            details = _b.EndTable();
        }
        _b.StartTable(7);
        AddField(F.Quantization.Min, min);
        AddField(F.Quantization.Max, max);
        AddField(F.Quantization.Scale, scale);
        AddField(F.Quantization.ZeroPoint, zeroPoint);
        CopyScalar(q, F.Quantization.DetailsType, 1);
        AddField(F.Quantization.Details, details);
        CopyScalar(q, F.Quantization.QuantizedDimension, 4);
        return _b.EndTable();
    }

    /// <summary>A source tensor index of subgraph 0 in the new numbering (-1, "absent", stays).</summary>
    private int Renumber(int index) =>
        index < 0 ? index
        : _main.NewIndexOfSourceTensor[index] is var n and >= 0 ? n
        : throw new InvalidOperationException($"A copied operator names removed tensor {index}.");

    /// <summary>Copies an operator; <paramref name="renumber"/> maps its tensor indices (subgraph 0).</summary>
    private int WriteOperator(FlatBufferTable op, string what, Func<int, int>? renumber)
    {
        RequireKnownFields(op, 14, what);
        if (op.Has(F.Operator.BuiltinOptions2) || op.UInt8(F.Operator.BuiltinOptions2Type) != 0)
            throw new TfliteRewriteException($"{what} has builtin_options_2 (StableHLO options), which the rewriter does not copy");
        int inputs = Ints(op, F.Operator.Inputs, renumber);
        int outputs = Ints(op, F.Operator.Outputs, renumber);
        int options = op.Table(F.Operator.BuiltinOptions) is { } o ? WriteOptions(o, op.UInt8(F.Operator.BuiltinOptionsType), what) : 0;
        int custom = op.Vector(F.Operator.CustomOptions, 1) is { } cv ? ByteVector(cv.ToBytes(), 1) : 0;
        int mutating = op.Vector(F.Operator.MutatingVariableInputs, 1) is { } mv ? ByteVector(mv.ToBytes(), 1) : 0;
        int intermediates = Ints(op, F.Operator.Intermediates, renumber);
        ulong largeOffset = op.UInt64(F.Operator.LargeCustomOptionsOffset), largeSize = op.UInt64(F.Operator.LargeCustomOptionsSize);
        _b.StartTable(14);
        CopyScalar(op, F.Operator.OpcodeIndex, 4);
        AddField(F.Operator.Inputs, inputs);
        AddField(F.Operator.Outputs, outputs);
        CopyScalar(op, F.Operator.BuiltinOptionsType, 1);
        AddField(F.Operator.BuiltinOptions, options);
        AddField(F.Operator.CustomOptions, custom);
        CopyScalar(op, F.Operator.CustomOptionsFormat, 1);
        AddField(F.Operator.MutatingVariableInputs, mutating);
        AddField(F.Operator.Intermediates, intermediates);
        if (largeOffset >= F.MinimumExternalOffset)
            AddExternal(F.Operator.LargeCustomOptionsOffset, F.Operator.LargeCustomOptionsSize, largeOffset, largeSize);
        else
        {
            CopyScalar(op, F.Operator.LargeCustomOptionsOffset, 8);
            CopyScalar(op, F.Operator.LargeCustomOptionsSize, 8);
        }
        CopyScalar(op, F.Operator.DebugMetadataIndex, 4);
        return _b.EndTable();
    }

    /// <summary>Generic copy of a builtin options table, driven by its field kinds.</summary>
    private int WriteOptions(FlatBufferTable o, int unionType, string what)
    {
        var description = BuiltinOptionsTables.Of(unionType)
            ?? throw new TfliteRewriteException($"{what} has builtin options of unknown type {unionType}");
        RequireKnownFields(o, description.Fields.Count, $"{what} {description.Name}");
        var offsets = new int[description.Fields.Count];
        for (int id = 0; id < offsets.Length; id++)
        {
            offsets[id] = description.Fields[id].Kind switch
            {
                OptionFieldKind.Int32Vector or OptionFieldKind.Float32Vector => Ints(o, id),
                OptionFieldKind.String => RawString(o, id),
                _ => 0,
            };
        }
        _b.StartTable(description.Fields.Count);
        for (int id = 0; id < offsets.Length; id++)
        {
            var field = description.Fields[id];
            if (field.IsOffset)
            {
                AddField(id, offsets[id]);
                continue;
            }
            CopyScalar(o, id, field.Kind switch
            {
                OptionFieldKind.Int64 => 8,
                OptionFieldKind.Bool or OptionFieldKind.ByteEnum => 1,
                _ => 4,
            });
        }
        return _b.EndTable();
    }

    private int WriteMetadata(FlatBufferTable root)
    {
        var source = Tables(root.Vector(F.Model.Metadata, 4))
            .Select(m =>
            {
                RequireKnownFields(m, 2, "metadata entry");
                return (Name: m.Vector(F.Metadata.Name, 1)?.ToBytes() ?? [], Buffer: m.UInt32(F.Metadata.Buffer));
            })
            .ToList();
        var edited = _metadataEdit(source);
        if (edited.Count == 0 && !root.Has(F.Model.Metadata)) return 0;
        var entries = edited.Select(e =>
        {
            int name = RawString(e.Name);
            _b.StartTable(2);
            _b.AddOffset(F.Metadata.Name, name, 0);
            _b.AddUint(F.Metadata.Buffer, e.Buffer, 0);
            return _b.EndTable();
        }).ToArray();
        return OffsetVector(entries);
    }

    private int WriteSignature(FlatBufferTable s)
    {
        RequireKnownFields(s, 5, "signature def");
        bool main = s.UInt32(F.SignatureDef.SubgraphIndex) == 0;
        int inputs = s.Vector(F.SignatureDef.Inputs, 4) is { } iv ? OffsetVector(Tables(iv).Select(m => WriteTensorMap(m, main)).ToArray()) : 0;
        int outputs = s.Vector(F.SignatureDef.Outputs, 4) is { } ov ? OffsetVector(Tables(ov).Select(m => WriteTensorMap(m, main)).ToArray()) : 0;
        int key = RawString(s, F.SignatureDef.SignatureKey);
        int tag = RawString(s, F.SignatureDef.DeprecatedTag);
        _b.StartTable(5);
        AddField(F.SignatureDef.Inputs, inputs);
        AddField(F.SignatureDef.Outputs, outputs);
        AddField(F.SignatureDef.SignatureKey, key);
        AddField(F.SignatureDef.DeprecatedTag, tag);
        CopyScalar(s, F.SignatureDef.SubgraphIndex, 4);
        return _b.EndTable();
    }

    /// <summary>Copies a signature's tensor map; one of subgraph 0 names its tensor in the new numbering.</summary>
    private int WriteTensorMap(FlatBufferTable m, bool main)
    {
        RequireKnownFields(m, 2, "signature tensor map");
        int name = RawString(m, F.TensorMap.Name);
        _b.StartTable(2);
        AddField(F.TensorMap.Name, name);
        // An absent tensor_index is 0 (the schema default), which renumbering can move too.
        uint index = m.UInt32(F.TensorMap.TensorIndex);
        int renumbered = main ? _main.NewIndexOfSourceTensor[index] : (int)index;
        if (renumbered < 0) throw new TfliteRewriteException($"signature tensor {index} ('{Encoding.UTF8.GetString(m.Vector(F.TensorMap.Name, 1)?.ToBytes() ?? [])}') was removed from subgraph 0");
        if (renumbered == index) CopyScalar(m, F.TensorMap.TensorIndex, 4);
        else _b.AddUint(F.TensorMap.TensorIndex, (uint)renumbered, 0);
        return _b.EndTable();
    }

    // ---- tables written from the IR (new or changed by a pass), the inverse of TfliteModelReader ----

    private int WriteNewTensor(MainSubgraphMapping.WrittenTensor w)
    {
        var t = w.Tensor;
        int shape = IntVector(t.Type.Shape.Dims.Select(d => d.Value is { } v ? checked((int)v) : -1).ToArray());
        var rawName = t.Attributes["tflite_name"] is AttributeValue.Str raw ? raw.Value : t.Name;
        int name = RawString(Encoding.UTF8.GetBytes(rawName));
        int quantization = WriteNewQuantization(t);
        int signature = t.Attributes["shape_signature"]?.AsInts() is { } sig ? IntVector(sig.Select(d => checked((int)d)).ToArray()) : 0;
        _b.StartTable(9);
        AddField(F.Tensor.Shape, shape);
        _b.AddSbyte(F.Tensor.Type, TfliteTensorTypes.FromDataType(t.Type.ElementType)!.Value, 0);
        _b.AddUint(F.Tensor.Buffer, w.Buffer, 0);
        AddField(F.Tensor.Name, name);
        AddField(F.Tensor.Quantization, quantization);
        if (t.Kind == TensorKind.Variable) _b.AddBool(F.Tensor.IsVariable, true, false);
        AddField(F.Tensor.ShapeSignature, signature);
        if (t.Attributes["has_rank"] is AttributeValue.Bool hasRank) _b.AddBool(F.Tensor.HasRank, hasRank.Value, false);
        return _b.EndTable();
    }

    /// <summary>QuantizationParameters from <see cref="Tensor.Quantization"/> and the importer's
    /// quant_min / quant_max / quant_zero_point attributes, or 0 when the tensor has none.</summary>
    private int WriteNewQuantization(Tensor t)
    {
        var q = t.Quantization;
        var minimum = t.Attributes["quant_min"];
        var maximum = t.Attributes["quant_max"];
        var zeroOnly = t.Attributes["quant_zero_point"]?.AsInts();
        if (q is null && minimum is null && maximum is null && zeroOnly is null) return 0;
        int min = minimum is null ? 0 : FloatVector(minimum);
        int max = maximum is null ? 0 : FloatVector(maximum);
        int scale = q is null ? 0 : IntVector(q.Scales.Select(v => BitConverter.SingleToInt32Bits((float)v)).ToArray());
        int zeroPoint = q is not null ? LongVector(q.ZeroPoints.ToArray()) : zeroOnly is not null ? LongVector(zeroOnly.ToArray()) : 0;
        _b.StartTable(7);
        AddField(F.Quantization.Min, min);
        AddField(F.Quantization.Max, max);
        AddField(F.Quantization.Scale, scale);
        AddField(F.Quantization.ZeroPoint, zeroPoint);
        if (q?.Axis is { } axis) _b.AddInt(F.Quantization.QuantizedDimension, axis, 0);
        return _b.EndTable();
    }

    /// <summary>An attribute value as the IR text spells simple values.</summary>
    private static string Show(AttributeValue value) => value switch
    {
        AttributeValue.Str s => "\"" + s.Value + "\"",
        AttributeValue.Int i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AttributeValue.Float f => f.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        AttributeValue.Bool b => b.Value ? "true" : "false",
        _ => "a " + value.GetType().Name.ToLowerInvariant(),
    };

    private int FloatVector(AttributeValue value) =>
        IntVector(((AttributeValue.List)value).Items.Select(i => BitConverter.SingleToInt32Bits((float)(i switch
        {
            AttributeValue.Float f => f.Value,
            AttributeValue.Int n => n.Value,
            _ => throw new TfliteRewriteException($"expected a number, got {i}"),
        }))).ToArray());

    private int WriteNewOperator(MainSubgraphMapping.WrittenOperator w)
    {
        var a = w.Operator.Attributes;
        int inputs = IntVector(w.Inputs);
        int outputs = IntVector(w.Outputs);
        int options = w.Options is { } table ? WriteNewOptions(table, a, w.Where) : 0;
        int custom = a["custom_options"] is AttributeValue.Bytes bytes ? ByteVector(bytes.Value.ToArray(), 1) : 0;
        int mutating = a["mutating_variable_inputs"] is AttributeValue.List flags
            ? ByteVector(flags.Items.Select(f => f is AttributeValue.Bool { Value: true } ? (byte)1 : (byte)0).ToArray(), 1) : 0;
        int intermediates = w.Intermediates is { } im ? IntVector(im) : 0;
        _b.StartTable(14);
        _b.AddUint(F.Operator.OpcodeIndex, w.OpcodeIndex, 0);
        AddField(F.Operator.Inputs, inputs);
        AddField(F.Operator.Outputs, outputs);
        if (options != 0)
        {
            _b.AddByte(F.Operator.BuiltinOptionsType, (byte)w.UnionType, 0);
            AddField(F.Operator.BuiltinOptions, options);
        }
        AddField(F.Operator.CustomOptions, custom);
        if (a["custom_options_format"]?.AsInt() is { } format) _b.AddByte(F.Operator.CustomOptionsFormat, checked((byte)format), 0);
        AddField(F.Operator.MutatingVariableInputs, mutating);
        AddField(F.Operator.Intermediates, intermediates);
        return _b.EndTable();
    }

    /// <summary>A builtin options table from the operator's attributes, each field spelled and typed
    /// as TfliteModelReader.ReadBuiltinOptions records it; an absent attribute leaves the field at
    /// its schema default.</summary>
    private int WriteNewOptions(OptionsTable table, AttributeMap attributes, Ir.Diagnostics.Location where)
    {
        TfliteRewriteException Bad(OptionField field, AttributeValue value) =>
            new($"attribute {field.Name} = {Show(value)} does not fit {table.Name}.{field.Name} ({field.Kind})", where);
        var offsets = new int[table.Fields.Count];
        for (int id = 0; id < offsets.Length; id++)
        {
            var field = table.Fields[id];
            if (!field.IsOffset || attributes[field.Name] is not { } value) continue;
            offsets[id] = field.Kind switch
            {
                OptionFieldKind.Int32Vector => value.AsInts() is { } ints && ints.All(i => i is >= int.MinValue and <= int.MaxValue)
                    ? IntVector(ints.Select(i => (int)i).ToArray()) : throw Bad(field, value),
                OptionFieldKind.Float32Vector => value is AttributeValue.List ? FloatVector(value) : throw Bad(field, value),
                _ => value is AttributeValue.Str text ? RawString(Encoding.UTF8.GetBytes(text.Value)) : throw Bad(field, value),
            };
        }
        _b.StartTable(table.Fields.Count);
        for (int id = 0; id < offsets.Length; id++)
        {
            var field = table.Fields[id];
            if (field.IsOffset) { AddField(id, offsets[id]); continue; }
            if (attributes[field.Name] is not { } value || field.Kind == OptionFieldKind.Deprecated32) continue;
            switch (field.Kind)
            {
                case OptionFieldKind.Int32:
                    _b.AddInt(id, value.AsInt() is { } i and >= int.MinValue and <= int.MaxValue ? (int)i : throw Bad(field, value), 0);
                    break;
                case OptionFieldKind.UInt32:
                    _b.AddUint(id, value.AsInt() is { } u and >= 0 and <= uint.MaxValue ? (uint)u : throw Bad(field, value), 0);
                    break;
                case OptionFieldKind.Int64:
                    _b.AddLong(id, value.AsInt() ?? throw Bad(field, value), 0);
                    break;
                case OptionFieldKind.Float32:
                    _b.AddFloat(id, value switch { AttributeValue.Float f => (float)f.Value, AttributeValue.Int n => n.Value, _ => throw Bad(field, value) }, 0);
                    break;
                case OptionFieldKind.Bool:
                    _b.AddBool(id, value is AttributeValue.Bool b ? b.Value : throw Bad(field, value), false);
                    break;
                case OptionFieldKind.ByteEnum:
                    int index = value switch
                    {
                        AttributeValue.Str name => field.EnumNames!.ToList().IndexOf(name.Value),
                        AttributeValue.Int n and { Value: >= 0 and <= 255 } => (int)n.Value,
                        _ => -1,
                    };
                    _b.AddByte(id, index >= 0 ? (byte)index : throw Bad(field, value), 0);
                    break;
            }
        }
        return _b.EndTable();
    }

    // ---- primitives -------------------------------------------------------------------------

    /// <summary>Refuses tables with fields beyond the <paramref name="known"/> ones, which a newer
    /// schema may have added and a copy would lose.</summary>
    private static void RequireKnownFields(FlatBufferTable t, int known, string what)
    {
        var offsets = t.FieldOffsets();
        for (int id = known; id < offsets.Length; id++)
            if (offsets[id] != 0) throw new TfliteRewriteException($"{what} has field {id}, which this rewriter does not know and would drop");
    }

    /// <summary>Adds an offset field written from a present source field (0 means absent: the
    /// builder never returns 0 for an object it wrote).</summary>
    private void AddField(int id, int offset)
    {
        if (offset != 0) _b.AddOffset(id, offset, 0);
    }

    /// <summary>A copy of the vector of 4-byte elements (int32, uint32 or float32 bit patterns) in
    /// field <paramref name="id"/>, or 0 when absent.</summary>
    private int Ints(FlatBufferTable t, int id, Func<int, int>? map = null) =>
        t.Vector(id, 4) is { } v ? IntVector(map is null ? v.ToInt32Array() : v.ToInt32Array().Select(map).ToArray()) : 0;

    /// <summary>Copies a present scalar field bit for bit; absent fields stay absent.</summary>
    private void CopyScalar(FlatBufferTable t, int id, int size)
    {
        int p = t.FieldPosition(id, size);
        if (p == 0) return;
        switch (size)
        {
            case 1: _b.AddByte(id, _source.Get(p), 0); break;
            case 4: _b.AddInt(id, _source.GetInt(p), 0); break;
            default: _b.AddLong(id, _source.GetLong(p), 0); break;
        }
    }

    private int RawString(FlatBufferTable t, int id) => t.Vector(id, 1) is { } v ? RawString(v.ToBytes()) : 0;

    /// <summary>A flatbuffer string from raw bytes (length, bytes, NUL), so names that are not
    /// valid UTF-8 survive unchanged.</summary>
    private int RawString(byte[] bytes)
    {
        _b.AddByte(0);
        _b.StartVector(1, bytes.Length, 1);
        for (int i = bytes.Length - 1; i >= 0; i--) _b.AddByte(bytes[i]);
        return _b.EndVector().Value;
    }

    private int ByteVector(byte[] bytes, int alignment)
    {
        _b.StartVector(1, bytes.Length, alignment);
        for (int i = bytes.Length - 1; i >= 0; i--) _b.AddByte(bytes[i]);
        return _b.EndVector().Value;
    }

    private int IntVector(int[] values)
    {
        _b.StartVector(4, values.Length, 4);
        for (int i = values.Length - 1; i >= 0; i--) _b.AddInt(values[i]);
        return _b.EndVector().Value;
    }

    private int LongVector(long[] values)
    {
        _b.StartVector(8, values.Length, 8);
        for (int i = values.Length - 1; i >= 0; i--) _b.AddLong(values[i]);
        return _b.EndVector().Value;
    }

    private int OffsetVector(int[] offsets)
    {
        _b.StartVector(4, offsets.Length, 4);
        for (int i = offsets.Length - 1; i >= 0; i--) _b.AddOffset(offsets[i]);
        return _b.EndVector().Value;
    }
}
