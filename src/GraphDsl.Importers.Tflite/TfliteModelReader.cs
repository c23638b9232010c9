using System.Globalization;
using System.Text;
using Google.FlatBuffers;
using GraphDsl.Importers.Tflite.Schema;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using F = GraphDsl.Importers.Tflite.Schema.TfliteFields;

namespace GraphDsl.Importers.Tflite;

/// <summary>Maps one TFLite flatbuffer to a <see cref="Model"/>.</summary>
/// <remarks>
/// Mapping rules:
/// <list type="bullet">
/// <item>Each subgraph becomes a <see cref="Graph"/> named after the subgraph, or <c>main</c> /
/// <c>subgraph1</c>... when unnamed; tensors keep table order, operators stored order.</item>
/// <item>Tensor names are made unique per graph: an empty name becomes <c>tensor{i}</c>, a repeated
/// one <c>{name}__{i}</c> (first occurrence keeps its name); the original is kept in the
/// <c>tflite_name</c> attribute whenever it changed.</item>
/// <item>Classification as TFLite Micro plans its arena: <see cref="TensorKind.Variable"/> iff
/// <c>is_variable</c>; else <see cref="TensorKind.Constant"/> iff the tensor's buffer holds data
/// (inline bytes, or offset/size pointing after the flatbuffer); else an activation. DEQUANTIZE
/// outputs of fp16 weights are therefore activations, as in TFLite Micro.</item>
/// <item>Constant data is <c>data("buffer/N")</c>; the one exception, for readability of shape and
/// axis operands, is an int32/int64 constant of at most 16 elements whose inline buffer has exactly
/// the tensor's byte size: its values are written inline.</item>
/// <item>Operators: type = BuiltinOperator name (<c>CUSTOM</c> plus <c>custom_code</c> for custom
/// ops), attributes <c>version</c>, then the builtin options as typed fields (enums as their
/// names); options of an unknown table, fields newer than this reader, custom options and
/// builtin_options_2 are kept as opaque bytes. An absent optional operand (-1) is <c>_</c>.</item>
/// </list>
/// Every loop is bounded by a vector length that was checked against the buffer size, so no input
/// makes the reader run long or allocate more than a small multiple of the file size.
/// </remarks>
internal sealed class TfliteModelReader
{
    /// <summary>Largest constant still written inline (elements), see the class remarks.</summary>
    public const int MaxInlineElements = 16;

    private readonly ByteBuffer _bb;
    private readonly int _length;
    private readonly string _path;
    private readonly byte[] _bytes;

    public TfliteModelReader(ReadOnlyMemory<byte> bytes, string path)
    {
        _bytes = bytes.ToArray();
        _bb = new ByteBuffer(_bytes);
        _length = _bytes.Length;
        _path = path;
    }

    /// <summary>The element being read (<c>subgraph0/tensor12</c>), for diagnostics.</summary>
    public string Where { get; private set; } = "";

    private sealed record BufferInfo(bool HasData, bool IsExternal, int InlineStart, long Start, long Size);

    private sealed record OpCode(string Name, string? CustomCode, int Version);

    public Model Read()
    {
        if (_length == 0) throw new TfliteModelException(TfliteDiagnostics.NotTflite, "byte 0", "the file is empty");
        if (_length < 8) throw new TfliteModelException(TfliteDiagnostics.NotTflite, "byte 0", $"the file is {_length} bytes long, shorter than a flatbuffer header (8 bytes)");
        var identifier = _bytes.AsSpan(4, 4);
        if (!identifier.SequenceEqual("TFL3"u8))
            throw new TfliteModelException(TfliteDiagnostics.NotTflite, "byte 4",
                $"the file identifier is {Printable(identifier)} where \"{F.FileIdentifier}\" was expected");

        var root = FlatBufferTable.Root(_bb, _length);
        var opcodes = ReadOperatorCodes(root);
        var buffers = ReadBuffers(root);

        var subgraphVector = root.Vector(F.Model.Subgraphs, 4);
        int subgraphCount = subgraphVector?.Count ?? 0;
        if (subgraphCount == 0) throw new TfliteModelException(TfliteDiagnostics.BadReference, "model", "the model has no subgraphs");
        _offlineOffsets = ReadOfflinePlan(root, buffers);
        var graphs = new List<Graph>(subgraphCount);
        var usedGraphNames = new HashSet<string>(StringComparer.Ordinal);
        for (int g = 0; g < subgraphCount; g++)
        {
            Where = $"subgraph{g}";
            graphs.Add(ReadSubgraph(g, subgraphVector!.Value.Table(g), opcodes, buffers, usedGraphNames));
        }

        Where = "model";
        var attributes = new List<(string, AttributeValue)>
        {
            ("format", "tflite"),
            ("version", (long)root.UInt32(F.Model.Version)),
        };
        if (root.String(F.Model.Description) is { } description) attributes.Add(("description", description));
        if (root.Vector(F.Model.MetadataBuffer, 4) is { } metadataBuffer)
            attributes.Add(("metadata_buffer", AttributeValue.Ints(metadataBuffer.ToInt32Array().Select(i => (long)i))));
        if (ReadMetadata(root, buffers.Count) is { } metadata) attributes.Add(("metadata", metadata));
        if (ReadSignatures(root, graphs) is { } signatures) attributes.Add(("signature_defs", signatures));
        Where = "";
        return new Model(graphs.ToEquatableArray())
        {
            Attributes = AttributeMap.From(attributes.ToArray()),
            Origin = new ModelLocation(_path, ""),
        };
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var ascii = bytes.ToArray().All(b => b >= 0x20 && b < 0x7f);
        return ascii ? "\"" + Encoding.ASCII.GetString(bytes) + "\"" : "0x" + Convert.ToHexString(bytes);
    }

    private List<OpCode> ReadOperatorCodes(FlatBufferTable root)
    {
        var result = new List<OpCode>();
        if (root.Vector(F.Model.OperatorCodes, 4) is not { } vector) return result;
        for (int i = 0; i < vector.Count; i++)
        {
            Where = $"operator_code{i}";
            var t = vector.Table(i);
            int code = BuiltinOperators.CodeOf(t);
            var custom = t.String(F.OperatorCode.CustomCode);
            result.Add(new OpCode(BuiltinOperators.NameOf(code), custom, t.Int32(F.OperatorCode.Version, 1)));
        }
        return result;
    }

    private List<BufferInfo> ReadBuffers(FlatBufferTable root)
    {
        var result = new List<BufferInfo>();
        if (root.Vector(F.Model.Buffers, 4) is not { } vector) return result;
        for (int i = 0; i < vector.Count; i++)
        {
            Where = $"buffer{i}";
            var t = vector.Table(i);
            var data = t.Vector(F.Buffer.Data, 1);
            ulong offset = t.UInt64(F.Buffer.Offset), size = t.UInt64(F.Buffer.Size);
            if (data is { Count: > 0 } d)
            {
                result.Add(new BufferInfo(true, false, d.Start, d.Start, d.Count));
            }
            else if (offset >= F.MinimumExternalOffset)
            {
                if (offset > (ulong)_length || size > (ulong)_length - offset)
                    throw new TfliteModelException(TfliteDiagnostics.BadReference, Where,
                        $"buffer {i} refers to {size} bytes at file offset {offset}, past the end of the {_length}-byte file");
                result.Add(new BufferInfo(size > 0, true, 0, (long)offset, (long)size));
            }
            else result.Add(new BufferInfo(false, false, 0, 0, 0));
        }
        return result;
    }

    /// <summary>Offsets of the model's own offline memory plan (metadata <c>OfflineMemoryAllocation</c>:
    /// int32 <c>[version, subgraphs, N, offset_0..offset_{N-1}]</c>, tensors of all subgraphs
    /// numbered cumulatively, micro_allocation_info.cc), or null when it has none.</summary>
    private int[]? _offlineOffsets;
    private int _tensorsBefore;

    /// <summary>Name of the metadata entry holding an offline memory plan (TFLite Micro).</summary>
    public const string OfflinePlanMetadata = "OfflineMemoryAllocation";

    private int[]? ReadOfflinePlan(FlatBufferTable root, List<BufferInfo> buffers)
    {
        if (root.Vector(F.Model.Metadata, 4) is not { } vector) return null;
        for (int i = 0; i < vector.Count; i++)
        {
            var m = vector.Table(i);
            if (m.String(F.Metadata.Name) != OfflinePlanMetadata) continue;
            uint b = m.UInt32(F.Metadata.Buffer);
            if (b >= buffers.Count || buffers[(int)b] is not { HasData: true, IsExternal: false } buffer || buffer.Size < 12) return null;
            var words = new int[buffer.Size / 4];
            for (int w = 0; w < words.Length; w++) words[w] = BitConverter.ToInt32(_bytes, buffer.InlineStart + 4 * w);
            int n = words[2];
            return n >= 0 && n <= words.Length - 3 ? words[3..(3 + n)] : null;
        }
        return null;
    }

    private Graph ReadSubgraph(int g, FlatBufferTable sg, List<OpCode> opcodes, List<BufferInfo> buffers, HashSet<string> usedGraphNames)
    {
        var originalName = sg.String(F.SubGraph.Name);
        var name = string.IsNullOrEmpty(originalName) ? (g == 0 ? "main" : $"subgraph{g}") : originalName;
        if (!usedGraphNames.Add(name))
        {
            name = $"{name}__{g}";
            while (!usedGraphNames.Add(name)) name += "_";
        }

        var tensorVector = sg.Vector(F.SubGraph.Tensors, 4);
        int tensorCount = tensorVector?.Count ?? 0;
        var rawNames = new string[tensorCount];
        var tensorTables = new FlatBufferTable[tensorCount];
        for (int t = 0; t < tensorCount; t++)
        {
            Where = $"subgraph{g}/tensor{t}";
            tensorTables[t] = tensorVector!.Value.Table(t);
            rawNames[t] = tensorTables[t].String(F.Tensor.Name) ?? "";
        }
        var names = UniqueTensorNames(rawNames);

        var tensors = new List<Tensor>(tensorCount);
        for (int t = 0; t < tensorCount; t++)
        {
            Where = $"subgraph{g}/tensor{t}";
            tensors.Add(ReadTensor(tensorTables[t], names[t], rawNames[t], buffers, _tensorsBefore + t));
        }
        _tensorsBefore += tensorCount;

        var operators = new List<Operator>();
        if (sg.Vector(F.SubGraph.Operators, 4) is { } opVector)
        {
            for (int i = 0; i < opVector.Count; i++)
            {
                Where = $"subgraph{g}/op{i}";
                operators.Add(ReadOperator(g, i, opVector.Table(i), opcodes, names));
            }
        }

        Where = $"subgraph{g}";
        var inputs = TensorList(sg.Vector(F.SubGraph.Inputs, 4), names, "inputs");
        var outputs = TensorList(sg.Vector(F.SubGraph.Outputs, 4), names, "outputs");
        var attributes = new List<(string, AttributeValue)>();
        if (!string.IsNullOrEmpty(originalName) && originalName != name) attributes.Add(("tflite_name", originalName));
        return new Graph(name, tensors.ToEquatableArray(), operators.ToEquatableArray(), inputs, outputs)
        {
            Attributes = AttributeMap.From(attributes.ToArray()),
            Origin = new ModelLocation(_path, $"subgraph{g}"),
        };
    }

    /// <summary>Deterministic unique names; see the class remarks.</summary>
    private static string[] UniqueTensorNames(string[] raw)
    {
        var original = new HashSet<string>(raw, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new string[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            var name = raw[i].Length == 0 ? $"tensor{i}" : raw[i];
            if (used.Contains(name) || (raw[i].Length == 0 && original.Contains(name)))
            {
                var stem = raw[i].Length == 0 ? $"tensor{i}" : $"{raw[i]}__{i}";
                name = stem;
                while (used.Contains(name) || original.Contains(name)) name += "_";
            }
            used.Add(name);
            result[i] = name;
        }
        return result;
    }

    private EquatableArray<string> TensorList(FlatBufferVector? vector, string[] names, string what)
    {
        if (vector is not { } v) return EquatableArray<string>.Empty;
        var result = new string[v.Count];
        for (int i = 0; i < v.Count; i++)
        {
            int index = v.Int32(i);
            if (index < 0 || index >= names.Length)
                throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"{what}[{i}] is tensor {index}, but the subgraph has {names.Length} tensors");
            result[i] = names[index];
        }
        return result;
    }

    private Tensor ReadTensor(FlatBufferTable t, string name, string rawName, List<BufferInfo> buffers, int modelIndex)
    {
        var typeCode = t.Int8(F.Tensor.Type);
        if (TfliteTensorTypes.ToDataType(typeCode) is not { } elementType)
            throw new TfliteModelException(TfliteDiagnostics.UnsupportedTensorType, Where, TfliteTensorTypes.NameOf(typeCode));

        var dims = t.Vector(F.Tensor.Shape, 4)?.ToInt32Array() ?? [];
        var shape = new Shape(dims.Select(d => d >= 0 ? Dim.Known(d) : Dim.Unknown).ToEquatableArray());
        CheckSize(shape);
        var type = new TensorType(elementType, shape);

        uint bufferIndex = t.UInt32(F.Tensor.Buffer);
        if (bufferIndex != 0 && bufferIndex >= buffers.Count)
            throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"buffer index {bufferIndex} is out of range (the model has {buffers.Count} buffers)");
        var buffer = bufferIndex < buffers.Count ? buffers[(int)bufferIndex] : null;
        bool isVariable = t.Bool(F.Tensor.IsVariable);

        var attributes = new List<(string, AttributeValue)> { ("buffer", (long)bufferIndex) };
        if (rawName != name) attributes.Add(("tflite_name", rawName));
        if (t.Vector(F.Tensor.ShapeSignature, 4) is { } signature)
            attributes.Add(("shape_signature", AttributeValue.Ints(signature.ToInt32Array().Select(i => (long)i))));
        if (isVariable) attributes.Add(("is_variable", true));
        if (_offlineOffsets is { } plan && modelIndex < plan.Length && plan[modelIndex] >= 0)
            attributes.Add((WellKnownAttributes.OfflineOffset, (long)plan[modelIndex]));
        if (t.Has(F.Tensor.HasRank)) attributes.Add(("has_rank", t.Bool(F.Tensor.HasRank)));
        if (t.Table(F.Tensor.Sparsity) is { } sparsity) attributes.Add(("sparsity", new AttributeValue.Bytes(sparsity.InlineBytes())));

        var quantization = ReadQuantization(t, attributes);

        var kind = isVariable ? TensorKind.Variable : buffer is { HasData: true } ? TensorKind.Constant : TensorKind.Activation;
        ConstantData? data = null;
        if (buffer is { HasData: true })
        {
            bool inline = !buffer.IsExternal && elementType is DataType.Int32 or DataType.Int64
                && shape.ElementCount is { } n && n <= MaxInlineElements && type.ByteSize == buffer.Size;
            data = inline
                ? new ConstantData.Inline(_bytes.AsSpan(buffer.InlineStart, (int)buffer.Size).ToArray())
                : new ConstantData.Reference("buffer/" + bufferIndex.ToString(CultureInfo.InvariantCulture));
        }
        return new Tensor(name, type)
        {
            Kind = kind,
            Quantization = quantization,
            Data = data,
            Attributes = AttributeMap.From(attributes.ToArray()),
            Origin = new ModelLocation(_path, Where),
        };
    }

    /// <summary>Rejects shapes whose bit count would overflow a long, so ByteSize never throws.</summary>
    private void CheckSize(Shape shape)
    {
        long count = 1;
        foreach (var d in shape.Dims)
        {
            if (d.Value is not { } v) return;
            if (v != 0 && count > long.MaxValue / 128 / v)
                throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"shape {shape} has too many elements to size");
            count *= v;
        }
    }

    private Quantization? ReadQuantization(FlatBufferTable t, List<(string, AttributeValue)> attributes)
    {
        if (t.Table(F.Tensor.Quantization) is not { } q) return null;
        if (q.Vector(F.Quantization.Min, 4) is { } min) attributes.Add(("quant_min", AttributeValue.Floats(min.ToFloat32Array().Select(f => (double)f))));
        if (q.Vector(F.Quantization.Max, 4) is { } max) attributes.Add(("quant_max", AttributeValue.Floats(max.ToFloat32Array().Select(f => (double)f))));
        if (q.UInt8(F.Quantization.DetailsType) != 0)
        {
            attributes.Add(("quantization_details_type", (long)q.UInt8(F.Quantization.DetailsType)));
            if (q.Table(F.Quantization.Details) is { } details) attributes.Add(("quantization_details", new AttributeValue.Bytes(details.InlineBytes())));
        }
        var scales = q.Vector(F.Quantization.Scale, 4)?.ToFloat32Array() ?? [];
        var zeroPoints = q.Vector(F.Quantization.ZeroPoint, 8)?.ToInt64Array() ?? [];
        if (scales.Length == 0)
        {
            if (zeroPoints.Length > 0) attributes.Add(("quant_zero_point", AttributeValue.Ints(zeroPoints)));
            return null;
        }
        if (zeroPoints.Length != scales.Length)
            throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"quantization has {scales.Length} scales but {zeroPoints.Length} zero points");
        int axis = q.Int32(F.Quantization.QuantizedDimension);
        return new Quantization(scales.Select(s => (double)s).ToEquatableArray(), zeroPoints.ToEquatableArray(),
            scales.Length > 1 || axis != 0 ? axis : null);
    }

    private Operator ReadOperator(int g, int index, FlatBufferTable op, List<OpCode> opcodes, string[] names)
    {
        uint opcodeIndex = op.UInt32(F.Operator.OpcodeIndex);
        if (opcodeIndex >= opcodes.Count)
            throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"opcode_index {opcodeIndex} is out of range (the model has {opcodes.Count} operator codes)");
        var code = opcodes[(int)opcodeIndex];
        var inputs = OperandList(op.Vector(F.Operator.Inputs, 4), names, "inputs");
        var outputs = OperandList(op.Vector(F.Operator.Outputs, 4), names, "outputs");

        var attributes = new List<(string, AttributeValue)> { ("version", (long)code.Version) };
        if (code.CustomCode is not null) attributes.Add((WellKnownAttributes.CustomCode, code.CustomCode));
        ReadBuiltinOptions(op, attributes);
        if (op.Vector(F.Operator.CustomOptions, 1) is { } custom) attributes.Add(("custom_options", new AttributeValue.Bytes(custom.ToBytes())));
        if (op.UInt8(F.Operator.CustomOptionsFormat) is var format and not 0) attributes.Add(("custom_options_format", (long)format));
        if (op.Vector(F.Operator.MutatingVariableInputs, 1) is { } mutating)
            attributes.Add(("mutating_variable_inputs", new AttributeValue.List(mutating.ToBytes().Select(b => (AttributeValue)(b != 0)).ToEquatableArray())));
        if (op.Vector(F.Operator.Intermediates, 4) is { } intermediates)
            attributes.Add(("intermediates", new AttributeValue.List(OperandList(intermediates, names, "intermediates")
                .Select(n => (AttributeValue)(n ?? "")).ToEquatableArray())));
        ulong largeOffset = op.UInt64(F.Operator.LargeCustomOptionsOffset), largeSize = op.UInt64(F.Operator.LargeCustomOptionsSize);
        if (largeOffset >= F.MinimumExternalOffset)
        {
            if (largeOffset > (ulong)_length || largeSize > (ulong)_length - largeOffset)
                throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"large custom options ({largeSize} bytes at file offset {largeOffset}) lie past the end of the file");
            attributes.Add(("custom_options", new AttributeValue.Bytes(_bytes.AsSpan((int)largeOffset, (int)largeSize).ToArray())));
        }
        if (op.UInt8(F.Operator.BuiltinOptions2Type) is var type2 and not 0)
        {
            attributes.Add(("builtin_options_2_type", (long)type2));
            if (op.Table(F.Operator.BuiltinOptions2) is { } options2) attributes.Add(("builtin_options_2", new AttributeValue.Bytes(options2.InlineBytes())));
        }

        var opType = code.Name;
        return new Operator(opType, inputs, outputs)
        {
            Attributes = AttributeMap.From(attributes.ToArray()),
            Origin = new ModelLocation(_path, $"subgraph{g}/op{index} '{opType}'"),
        };
    }

    private EquatableArray<string?> OperandList(FlatBufferVector? vector, string[] names, string what)
    {
        if (vector is not { } v) return EquatableArray<string?>.Empty;
        var result = new string?[v.Count];
        for (int i = 0; i < v.Count; i++)
        {
            int index = v.Int32(i);
            if (index == -1) continue;
            if (index < 0 || index >= names.Length)
                throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"{what}[{i}] is tensor {index}, but the subgraph has {names.Length} tensors");
            result[i] = names[index];
        }
        return result;
    }

    private void ReadBuiltinOptions(FlatBufferTable op, List<(string, AttributeValue)> attributes)
    {
        int unionType = op.UInt8(F.Operator.BuiltinOptionsType);
        if (unionType == 0 || op.Table(F.Operator.BuiltinOptions) is not { } options) return;
        var description = BuiltinOptionsTables.Of(unionType);
        if (description is null)
        {
            attributes.Add(("builtin_options_type", (long)unionType));
            attributes.Add(("builtin_options", new AttributeValue.Bytes(options.InlineBytes())));
            return;
        }
        for (int id = 0; id < description.Fields.Count; id++)
        {
            var field = description.Fields[id];
            AttributeValue? value = field.Kind switch
            {
                OptionFieldKind.Int32 => (long)options.Int32(id, (int)field.Default),
                OptionFieldKind.UInt32 => (long)options.UInt32(id, (uint)field.Default),
                OptionFieldKind.Int64 => options.Int64(id, (long)field.Default),
                OptionFieldKind.Float32 => (double)options.Float32(id, (float)field.Default),
                OptionFieldKind.Bool => options.Bool(id, field.Default != 0),
                OptionFieldKind.ByteEnum => EnumValue(options.UInt8(id, (byte)field.Default), field.EnumNames!),
                OptionFieldKind.Int32Vector => options.Vector(id, 4) is { } iv ? AttributeValue.Ints(iv.ToInt32Array().Select(i => (long)i)) : null,
                OptionFieldKind.Float32Vector => options.Vector(id, 4) is { } fv ? AttributeValue.Floats(fv.ToFloat32Array().Select(f => (double)f)) : null,
                OptionFieldKind.String => options.String(id) is { } s ? (AttributeValue)s : null,
                _ => null, // deprecated fields are not part of the operator's meaning
            };
            if (value is not null) attributes.Add((field.Name, value));
        }
        // Fields of a newer schema than this table: kept opaque so nothing is dropped.
        var offsets = options.FieldOffsets();
        if (offsets.Skip(description.Fields.Count).Any(o => o != 0))
            attributes.Add(("builtin_options_unknown_fields", new AttributeValue.Bytes(options.InlineBytes())));
    }

    private AttributeValue? ReadMetadata(FlatBufferTable root, int bufferCount)
    {
        if (root.Vector(F.Model.Metadata, 4) is not { } vector) return null;
        var entries = new List<AttributeValue>(vector.Count);
        for (int i = 0; i < vector.Count; i++)
        {
            Where = $"metadata{i}";
            var m = vector.Table(i);
            uint buffer = m.UInt32(F.Metadata.Buffer);
            if (buffer >= bufferCount)
                throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"metadata entry {i} refers to buffer {buffer}, but the model has {bufferCount} buffers");
            entries.Add(new AttributeValue.Record(AttributeMap.From(("name", m.String(F.Metadata.Name) ?? ""), ("buffer", (long)buffer))));
        }
        return new AttributeValue.List(entries.ToEquatableArray());
    }

    private AttributeValue? ReadSignatures(FlatBufferTable root, List<Graph> graphs)
    {
        if (root.Vector(F.Model.SignatureDefs, 4) is not { } vector) return null;
        var entries = new List<AttributeValue>(vector.Count);
        for (int i = 0; i < vector.Count; i++)
        {
            Where = $"signature_def{i}";
            var s = vector.Table(i);
            uint subgraph = s.UInt32(F.SignatureDef.SubgraphIndex);
            if (subgraph >= graphs.Count)
                throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"signature {i} refers to subgraph {subgraph}, but the model has {graphs.Count} subgraphs");
            var graph = graphs[(int)subgraph];
            entries.Add(new AttributeValue.Record(AttributeMap.From(
                ("signature_key", s.String(F.SignatureDef.SignatureKey) ?? ""),
                ("subgraph_index", (long)subgraph),
                ("inputs", TensorMaps(s.Vector(F.SignatureDef.Inputs, 4), graph)),
                ("outputs", TensorMaps(s.Vector(F.SignatureDef.Outputs, 4), graph)))));
        }
        return new AttributeValue.List(entries.ToEquatableArray());
    }

    /// <summary>Signature inputs/outputs as records {name, tensor}, the tensor by its IR name.</summary>
    private AttributeValue TensorMaps(FlatBufferVector? vector, Graph graph)
    {
        var items = new List<AttributeValue>();
        if (vector is { } v)
        {
            for (int i = 0; i < v.Count; i++)
            {
                var m = v.Table(i);
                uint tensor = m.UInt32(F.TensorMap.TensorIndex);
                if (tensor >= graph.Tensors.Count)
                    throw new TfliteModelException(TfliteDiagnostics.BadReference, Where, $"signature tensor {tensor} is out of range (subgraph '{graph.Name}' has {graph.Tensors.Count} tensors)");
                items.Add(new AttributeValue.Record(AttributeMap.From(("name", m.String(F.TensorMap.Name) ?? ""), ("tensor_name", graph.Tensors[(int)tensor].Name))));
            }
        }
        return new AttributeValue.List(items.ToEquatableArray());
    }

    private static AttributeValue EnumValue(byte value, IReadOnlyList<string> names) =>
        value < names.Count ? names[value] : (long)value;
}
