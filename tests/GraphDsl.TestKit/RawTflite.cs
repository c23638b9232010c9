using System.Buffers.Binary;
using System.Text;

namespace GraphDsl.TestKit;

/// <summary>Reads the few parts of a .tflite flatbuffer the tests check, straight from the bytes
/// (independently of the importer and the rewriter): subgraph 0's operators, tensor counts, and
/// metadata entries with their buffer contents.</summary>
/// <remarks>Schema facts (tensorflow/lite/schema/schema.fbs): Model.subgraphs = field 2,
/// Model.buffers = 4, Model.metadata = 6; SubGraph.tensors = 0, .operators = 3;
/// Operator.opcode_index = 0, .inputs = 1, .outputs = 2; Buffer.data = 0; Metadata.name = 0,
/// .buffer = 1. A table starts with a signed offset back to its vtable, whose entry for field k
/// is the uint16 at 4 + 2k.</remarks>
public sealed class RawTflite(byte[] bytes)
{
    public sealed record Op(uint OpcodeIndex, int[] Inputs, int[] Outputs)
    {
        public string Key => $"{OpcodeIndex}:{string.Join(",", Inputs)}->{string.Join(",", Outputs)}";
    }

    private int I32(int at) => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
    private int Root => I32(0);

    private int? Field(int table, int id)
    {
        int vtable = table - I32(table);
        int vsize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable));
        int slot = 4 + 2 * id;
        if (slot >= vsize) return null;
        int off = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + slot));
        return off == 0 ? null : table + off;
    }

    /// <summary>(start of elements, count) of the vector in field <paramref name="id"/>.</summary>
    private (int Start, int Count) Vector(int table, int id)
    {
        if (Field(table, id) is not { } at) return (0, 0);
        int vec = at + I32(at);
        return (vec + 4, I32(vec));
    }

    private int TableAt(int start, int i) { int e = start + 4 * i; return e + I32(e); }

    private int[] Ints(int table, int id)
    {
        var (s, n) = Vector(table, id);
        return Enumerable.Range(0, n).Select(i => I32(s + 4 * i)).ToArray();
    }

    public int SubgraphCount => Vector(Root, 2).Count;

    public int TensorCount(int subgraph)
    {
        var (s, _) = Vector(Root, 2);
        return Vector(TableAt(s, subgraph), 0).Count;
    }

    public IReadOnlyList<Op> MainOperators()
    {
        var (s, _) = Vector(Root, 2);
        var (ops, n) = Vector(TableAt(s, 0), 3);
        return Enumerable.Range(0, n).Select(i =>
        {
            int op = TableAt(ops, i);
            uint opcode = Field(op, 0) is { } at ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) : 0;
            return new Op(opcode, Ints(op, 1), Ints(op, 2));
        }).ToList();
    }

    /// <summary>Metadata entries by name, with the bytes of the buffer each names.</summary>
    public IReadOnlyList<(string Name, byte[] Data)> Metadata()
    {
        var (buffers, bufferCount) = Vector(Root, 4);
        var (meta, n) = Vector(Root, 6);
        var list = new List<(string, byte[])>();
        for (int i = 0; i < n; i++)
        {
            int m = TableAt(meta, i);
            var (ns, nl) = Vector(m, 0);
            var name = Encoding.UTF8.GetString(bytes, ns, nl);
            uint buffer = Field(m, 1) is { } at ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) : 0;
            byte[] data = [];
            if (buffer < bufferCount)
            {
                var (ds, dl) = Vector(TableAt(buffers, (int)buffer), 0);
                data = bytes.AsSpan(ds, dl).ToArray();
            }
            list.Add((name, data));
        }
        return list;
    }

    /// <summary>The offline plan: [version, subgraph, N, N offsets], as int32 little endian.</summary>
    public int[]? OfflinePlan()
    {
        var entry = Metadata().Where(m => m.Name == "OfflineMemoryAllocation").Select(m => m.Data).FirstOrDefault();
        if (entry is null) return null;
        return Enumerable.Range(0, entry.Length / 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(4 * i))).ToArray();
    }
}
