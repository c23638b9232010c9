using Google.FlatBuffers;

namespace GraphDsl.TestKit.Tflite;

/// <summary>A small TFLite model described in plain objects and written with FlatBufferBuilder,
/// field ids taken from schema.fbs, independently of the importer's accessors.</summary>
public sealed class TestTfliteModel
{
    public string? Description { get; set; }
    public List<TestBuffer> Buffers { get; } = [new TestBuffer(null)];
    public List<TestOpCode> OpCodes { get; } = [];
    public List<TestSubgraph> Subgraphs { get; } = [];
    public List<(string Name, uint Buffer)> Metadata { get; } = [];
    public List<TestSignature> Signatures { get; } = [];

    /// <summary>Adds a buffer and returns its index.</summary>
    public uint AddBuffer(byte[]? data, bool external = false)
    {
        Buffers.Add(new TestBuffer(data, external));
        return (uint)(Buffers.Count - 1);
    }

    /// <summary>The flatbuffer, followed by the data of external buffers (16-byte aligned), whose
    /// offset/size fields point there. Written twice: the first pass only measures the size.</summary>
    public byte[] Build()
    {
        var measure = BuildFlatBuffer(Buffers.Select(_ => ulong.MaxValue).ToArray());
        var offsets = new ulong[Buffers.Count];
        long end = measure.Length;
        for (int i = 0; i < Buffers.Count; i++)
        {
            if (!Buffers[i].External) continue;
            end = (end + 15) / 16 * 16;
            offsets[i] = (ulong)end;
            end += Buffers[i].Data!.Length;
        }
        var flat = BuildFlatBuffer(offsets);
        if (flat.Length != measure.Length) throw new InvalidOperationException("external offsets changed the flatbuffer size");
        var file = new byte[end];
        flat.CopyTo(file, 0);
        for (int i = 0; i < Buffers.Count; i++)
            if (Buffers[i].External) Buffers[i].Data!.CopyTo(file, (int)offsets[i]);
        return file;
    }

    private byte[] BuildFlatBuffer(ulong[] externalOffsets)
    {
        var b = new FlatBufferBuilder(1024);
        var buffers = Buffers.Select((buf, i) => WriteBuffer(b, buf, externalOffsets[i])).ToArray();
        var opcodes = OpCodes.Select(c => WriteOpCode(b, c)).ToArray();
        var subgraphs = Subgraphs.Select(s => s.Write(b)).ToArray();
        var metadata = Metadata.Select(m =>
        {
            var name = b.CreateString(m.Name);
            b.StartTable(2); b.AddOffset(0, name.Value, 0); b.AddUint(1, m.Buffer, 0);
            return b.EndTable();
        }).ToArray();
        var signatures = Signatures.Select(s => s.Write(b)).ToArray();
        var description = Description is null ? 0 : b.CreateString(Description).Value;
        int opcodesVec = Offsets(b, opcodes), subgraphsVec = Offsets(b, subgraphs), buffersVec = Offsets(b, buffers);
        int metadataVec = Metadata.Count > 0 ? Offsets(b, metadata) : 0;
        int signaturesVec = Signatures.Count > 0 ? Offsets(b, signatures) : 0;
        b.StartTable(8);
        b.AddUint(0, 3, 0);
        b.AddOffset(1, opcodesVec, 0);
        b.AddOffset(2, subgraphsVec, 0);
        if (description != 0) b.AddOffset(3, description, 0);
        b.AddOffset(4, buffersVec, 0);
        if (metadataVec != 0) b.AddOffset(6, metadataVec, 0);
        if (signaturesVec != 0) b.AddOffset(7, signaturesVec, 0);
        b.Finish(b.EndTable(), "TFL3");
        return b.SizedByteArray();
    }

    private static int WriteBuffer(FlatBufferBuilder b, TestBuffer buffer, ulong externalOffset)
    {
        int data = 0;
        if (buffer.Data is { } bytes && !buffer.External)
        {
            b.StartVector(1, bytes.Length, 16);
            for (int i = bytes.Length - 1; i >= 0; i--) b.AddByte(bytes[i]);
            data = b.EndVector().Value;
        }
        b.StartTable(3);
        if (data != 0) b.AddOffset(0, data, 0);
        if (buffer.External)
        {
            b.AddUlong(1, externalOffset, 0);
            b.AddUlong(2, (ulong)buffer.Data!.Length, 0);
        }
        return b.EndTable();
    }

    private static int WriteOpCode(FlatBufferBuilder b, TestOpCode c)
    {
        var custom = c.CustomCode is null ? 0 : b.CreateString(c.CustomCode).Value;
        b.StartTable(4);
        b.AddSbyte(0, (sbyte)Math.Min(c.Builtin, 127), 0);
        if (custom != 0) b.AddOffset(1, custom, 0);
        b.AddInt(2, c.Version, 1);
        b.AddInt(3, c.Builtin, 0);
        return b.EndTable();
    }

    internal static int Offsets(FlatBufferBuilder b, int[] offsets)
    {
        b.StartVector(4, offsets.Length, 4);
        for (int i = offsets.Length - 1; i >= 0; i--) b.AddOffset(offsets[i]);
        return b.EndVector().Value;
    }

    internal static int Ints(FlatBufferBuilder b, int[] values)
    {
        b.StartVector(4, values.Length, 4);
        for (int i = values.Length - 1; i >= 0; i--) b.AddInt(values[i]);
        return b.EndVector().Value;
    }
}

public sealed record TestBuffer(byte[]? Data, bool External = false);

public sealed record TestOpCode(int Builtin, string? CustomCode = null, int Version = 1);

public sealed record TestSignature(string Key, uint Subgraph, (string Name, uint Tensor)[] Inputs, (string Name, uint Tensor)[] Outputs)
{
    internal int Write(FlatBufferBuilder b)
    {
        int Maps((string Name, uint Tensor)[] maps) => TestTfliteModel.Offsets(b, maps.Select(m =>
        {
            var name = b.CreateString(m.Name);
            b.StartTable(2); b.AddOffset(0, name.Value, 0); b.AddUint(1, m.Tensor, 0);
            return b.EndTable();
        }).ToArray());
        int inputs = Maps(Inputs), outputs = Maps(Outputs);
        var key = b.CreateString(Key);
        b.StartTable(5);
        b.AddOffset(0, inputs, 0); b.AddOffset(1, outputs, 0); b.AddOffset(2, key.Value, 0); b.AddUint(4, Subgraph, 0);
        return b.EndTable();
    }
}

public sealed class TestSubgraph
{
    public string? Name { get; set; }
    public List<TestTensor> Tensors { get; } = [];
    public List<TestOperator> Operators { get; } = [];
    public int[] Inputs { get; set; } = [];
    public int[] Outputs { get; set; } = [];

    public int Add(TestTensor t) { Tensors.Add(t); return Tensors.Count - 1; }

    internal int Write(FlatBufferBuilder b)
    {
        var tensors = Tensors.Select(t => t.Write(b)).ToArray();
        var ops = Operators.Select(o => o.Write(b)).ToArray();
        int tv = TestTfliteModel.Offsets(b, tensors), ov = TestTfliteModel.Offsets(b, ops);
        int iv = TestTfliteModel.Ints(b, Inputs), outv = TestTfliteModel.Ints(b, Outputs);
        var name = Name is null ? 0 : b.CreateString(Name).Value;
        b.StartTable(5);
        b.AddOffset(0, tv, 0); b.AddOffset(1, iv, 0); b.AddOffset(2, outv, 0); b.AddOffset(3, ov, 0);
        if (name != 0) b.AddOffset(4, name, 0);
        return b.EndTable();
    }
}

public sealed record TestTensor(string Name, sbyte Type, int[] Shape, uint Buffer = 0)
{
    public bool IsVariable { get; init; }
    public int[]? ShapeSignature { get; init; }
    public float[]? Scales { get; init; }
    public long[]? ZeroPoints { get; init; }
    public int QuantizedDimension { get; init; }

    internal int Write(FlatBufferBuilder b)
    {
        int quant = 0;
        if (Scales is not null)
        {
            b.StartVector(4, Scales.Length, 4);
            for (int i = Scales.Length - 1; i >= 0; i--) b.AddFloat(Scales[i]);
            int scales = b.EndVector().Value;
            b.StartVector(8, ZeroPoints!.Length, 8);
            for (int i = ZeroPoints.Length - 1; i >= 0; i--) b.AddLong(ZeroPoints[i]);
            int zps = b.EndVector().Value;
            b.StartTable(7);
            b.AddOffset(2, scales, 0); b.AddOffset(3, zps, 0); b.AddInt(6, QuantizedDimension, 0);
            quant = b.EndTable();
        }
        int shape = TestTfliteModel.Ints(b, Shape);
        int signature = ShapeSignature is null ? 0 : TestTfliteModel.Ints(b, ShapeSignature);
        var name = b.CreateString(Name);
        b.StartTable(8);
        b.AddOffset(0, shape, 0);
        b.AddSbyte(1, Type, 0);
        b.AddUint(2, Buffer, 0);
        b.AddOffset(3, name.Value, 0);
        if (quant != 0) b.AddOffset(4, quant, 0);
        b.AddBool(5, IsVariable, false);
        if (signature != 0) b.AddOffset(7, signature, 0);
        return b.EndTable();
    }
}

public sealed record TestOperator(uint OpcodeIndex, int[] Inputs, int[] Outputs)
{
    public int[]? Intermediates { get; init; }
    /// <summary>BuiltinOptions union type and a writer of the options table.</summary>
    public byte OptionsType { get; init; }
    public Func<FlatBufferBuilder, int>? Options { get; init; }
    public byte[]? CustomOptions { get; init; }

    internal int Write(FlatBufferBuilder b)
    {
        int options = Options?.Invoke(b) ?? 0;
        int custom = 0;
        if (CustomOptions is { } bytes)
        {
            b.StartVector(1, bytes.Length, 1);
            for (int i = bytes.Length - 1; i >= 0; i--) b.AddByte(bytes[i]);
            custom = b.EndVector().Value;
        }
        int inputs = TestTfliteModel.Ints(b, Inputs), outputs = TestTfliteModel.Ints(b, Outputs);
        int intermediates = Intermediates is null ? 0 : TestTfliteModel.Ints(b, Intermediates);
        b.StartTable(9);
        b.AddUint(0, OpcodeIndex, 0);
        b.AddOffset(1, inputs, 0);
        b.AddOffset(2, outputs, 0);
        if (options != 0) { b.AddByte(3, OptionsType, 0); b.AddOffset(4, options, 0); }
        if (custom != 0) b.AddOffset(5, custom, 0);
        if (intermediates != 0) b.AddOffset(8, intermediates, 0);
        return b.EndTable();
    }
}
