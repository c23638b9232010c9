using System.Buffers.Binary;

namespace GraphDsl.Fuzz.Mutators;

/// <summary>Structure-aware mutations of a TFLite flatbuffer. A small walker of the schema
/// (tensorflow/lite/schema/schema.fbs: Model, SubGraph, Tensor, Operator, Buffer, OperatorCode,
/// QuantizationParameters, Metadata, SignatureDef; builtin options as generic tables) finds where
/// the offsets, vtables, vector lengths, union types and scalars of the input are, then one of them
/// is changed: an offset re-aimed at another table of any kind (nested tables, cycles, aliasing), a
/// vector length made huge or off by one, a union type changed, a vtable entry dropped or sent out
/// of range, a shape dimension or tensor index given a boundary value.</summary>
/// <remarks>The walker reads the mutated input itself, so it bounds-checks every read and stops at
/// anything it cannot follow; what it found so far is still used.</remarks>
public sealed class FlatBufferMutator : IMutator
{
    public string Name => "flatbuffer";

    private enum Kind { UOffset, SOffset, VTableEntry, VectorLength, UnionType, Scalar, Element }

    /// <summary>One place in the buffer; <see cref="Width"/> bytes; <see cref="Label"/> names the
    /// schema field, for the regression tests' descriptions.</summary>
    private readonly record struct Site(Kind Kind, int Position, int Width, string Label);

    private enum T { Model, OperatorCode, SubGraph, Tensor, Quantization, Operator, Buffer, Metadata, SignatureDef, TensorMap, Generic }

    private enum F { U8, I32, U32, U64, Str, VecI32, VecI64, VecF32, VecU8, Union, Table }

    // field id -> (kind, table type when a table or vector of tables)
    private static readonly Dictionary<T, (int Id, F Kind, T Of, bool Vector)[]> Schema = new()
    {
        [T.Model] = [(0, F.U32, T.Generic, false), (1, F.Table, T.OperatorCode, true), (2, F.Table, T.SubGraph, true),
            (3, F.Str, T.Generic, false), (4, F.Table, T.Buffer, true), (5, F.VecI32, T.Generic, false),
            (6, F.Table, T.Metadata, true), (7, F.Table, T.SignatureDef, true)],
        [T.OperatorCode] = [(0, F.U8, T.Generic, false), (1, F.Str, T.Generic, false), (2, F.I32, T.Generic, false), (3, F.I32, T.Generic, false)],
        [T.SubGraph] = [(0, F.Table, T.Tensor, true), (1, F.VecI32, T.Generic, false), (2, F.VecI32, T.Generic, false),
            (3, F.Table, T.Operator, true), (4, F.Str, T.Generic, false)],
        [T.Tensor] = [(0, F.VecI32, T.Generic, false), (1, F.U8, T.Generic, false), (2, F.U32, T.Generic, false), (3, F.Str, T.Generic, false),
            (4, F.Table, T.Quantization, false), (5, F.U8, T.Generic, false), (6, F.Table, T.Generic, false), (7, F.VecI32, T.Generic, false)],
        [T.Quantization] = [(0, F.VecF32, T.Generic, false), (1, F.VecF32, T.Generic, false), (2, F.VecF32, T.Generic, false),
            (3, F.VecI64, T.Generic, false), (4, F.Union, T.Generic, false), (5, F.Table, T.Generic, false), (6, F.I32, T.Generic, false)],
        [T.Operator] = [(0, F.U32, T.Generic, false), (1, F.VecI32, T.Generic, false), (2, F.VecI32, T.Generic, false), (3, F.Union, T.Generic, false),
            (4, F.Table, T.Generic, false), (5, F.VecU8, T.Generic, false), (7, F.VecU8, T.Generic, false), (8, F.VecI32, T.Generic, false),
            (9, F.U64, T.Generic, false), (10, F.U64, T.Generic, false)],
        [T.Buffer] = [(0, F.VecU8, T.Generic, false), (1, F.U64, T.Generic, false), (2, F.U64, T.Generic, false)],
        [T.Metadata] = [(0, F.Str, T.Generic, false), (1, F.U32, T.Generic, false)],
        [T.SignatureDef] = [(0, F.Table, T.TensorMap, true), (1, F.Table, T.TensorMap, true), (2, F.Str, T.Generic, false), (4, F.U32, T.Generic, false)],
        [T.TensorMap] = [(0, F.Str, T.Generic, false), (1, F.U32, T.Generic, false)],
        [T.Generic] = [],
    };

    public byte[] Mutate(byte[] input, Random rng)
    {
        var sites = Walk(input, out var tables);
        if (sites.Count == 0) return new ByteMutator().Mutate(input, rng);
        var data = (byte[])input.Clone();
        var site = sites[rng.Next(sites.Count)];
        var span = data.AsSpan(site.Position);
        switch (site.Kind)
        {
            case Kind.UOffset:
                if (tables.Count > 0 && rng.Next(3) > 0)
                {
                    // Re-aim at another table/vector: nested tables of the wrong kind, shared
                    // children, and cycles when the target is an ancestor.
                    int target = tables[rng.Next(tables.Count)];
                    BinaryPrimitives.WriteUInt32LittleEndian(span, unchecked((uint)(target - site.Position)));
                }
                else BinaryPrimitives.WriteInt32LittleEndian(span, rng.Next(2) == 0 ? Interesting.PickInt32(rng) : BinaryPrimitives.ReadInt32LittleEndian(span) + rng.Next(-8, 9));
                break;
            case Kind.SOffset:
                BinaryPrimitives.WriteInt32LittleEndian(span, rng.Next(2) == 0 ? Interesting.PickInt32(rng) : BinaryPrimitives.ReadInt32LittleEndian(span) + rng.Next(-8, 9) * 2);
                break;
            case Kind.VTableEntry:
                ushort v = (rng.Next(4)) switch
                {
                    0 => 0,                                   // field absent
                    1 => 0xFFFF,                              // far out of the table
                    2 => (ushort)rng.Next(1, 64),             // overlapping another field
                    _ => (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span) + rng.Next(-4, 5)),
                };
                BinaryPrimitives.WriteUInt16LittleEndian(span, v);
                break;
            case Kind.VectorLength:
            {
                uint len = BinaryPrimitives.ReadUInt32LittleEndian(span);
                uint[] choices = [0, len + 1, len - 1, len * 2 + 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x40000000, 1u << 20];
                BinaryPrimitives.WriteUInt32LittleEndian(span, choices[rng.Next(choices.Length)]);
                break;
            }
            case Kind.UnionType:
                data[site.Position] = rng.Next(2) == 0 ? (byte)rng.Next(256) : (byte)(data[site.Position] + rng.Next(-2, 3));
                break;
            default:
                WriteScalar(span, site.Width, rng);
                break;
        }
        return data;
    }

    private static void WriteScalar(Span<byte> span, int width, Random rng)
    {
        switch (width)
        {
            case 1: span[0] = rng.Next(2) == 0 ? Interesting.Byte[rng.Next(Interesting.Byte.Length)] : (byte)(span[0] + rng.Next(-3, 4)); break;
            case 2: BinaryPrimitives.WriteInt16LittleEndian(span, (short)Interesting.PickInt32(rng)); break;
            case 8: BinaryPrimitives.WriteInt64LittleEndian(span, Interesting.PickInt64(rng)); break;
            default:
                int old = BinaryPrimitives.ReadInt32LittleEndian(span);
                BinaryPrimitives.WriteInt32LittleEndian(span, rng.Next(3) switch { 0 => old + rng.Next(-3, 4), 1 => old * 2, _ => Interesting.PickInt32(rng) });
                break;
        }
    }

    /// <summary>Every site reachable from the root, and the positions of every table and vector
    /// (targets for re-aimed offsets).</summary>
    private static List<Site> Walk(byte[] data, out List<int> targets)
    {
        var sites = new List<Site>();
        var found = new List<int>();
        var visited = new HashSet<int>();
        if (data.Length >= 8)
        {
            sites.Add(new Site(Kind.UOffset, 0, 4, "root"));
            if (Target(data, 0) is { } root) Table(data, root, T.Model, sites, found, visited, 0);
        }
        targets = found;
        return sites;
    }

    private static int? Target(byte[] data, int at)
    {
        if (at < 0 || at > data.Length - 4) return null;
        long target = at + (long)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
        return target <= data.Length - 4 ? (int)target : null;
    }

    private static void Table(byte[] data, int table, T type, List<Site> sites, List<int> found, HashSet<int> visited, int depth)
    {
        if (depth > 8 || sites.Count > 20000 || !visited.Add(table)) return;
        found.Add(table);
        sites.Add(new Site(Kind.SOffset, table, 4, $"{type} vtable offset"));
        long vtable = table - (long)BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(table));
        if (vtable < 0 || vtable > data.Length - 4) return;
        int vt = (int)vtable;
        int vtSize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(vt));
        if (vtSize < 4 || vt + vtSize > data.Length) return;
        int fields = (vtSize - 4) / 2;
        var schema = Schema[type];
        for (int id = 0; id < fields; id++)
        {
            int entryAt = vt + 4 + 2 * id;
            int entry = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(entryAt));
            if (entry == 0) continue;
            sites.Add(new Site(Kind.VTableEntry, entryAt, 2, $"{type} field {id} entry"));
            int at = table + entry;
            var field = schema.FirstOrDefault(f => f.Id == id);
            if (type == T.Generic || field == default)
            {
                // Unknown field (builtin options): a scalar as wide as fits.
                int width = at <= data.Length - 4 ? 4 : at < data.Length ? 1 : 0;
                if (width > 0) sites.Add(new Site(Kind.Scalar, at, width, $"{type} field {id}"));
                continue;
            }
            switch (field.Kind)
            {
                case F.U8 when at < data.Length: sites.Add(new Site(Kind.Scalar, at, 1, $"{type}.{id}")); break;
                case F.Union when at < data.Length: sites.Add(new Site(Kind.UnionType, at, 1, $"{type}.{id} union type")); break;
                case F.I32 or F.U32 when at <= data.Length - 4: sites.Add(new Site(Kind.Scalar, at, 4, $"{type}.{id}")); break;
                case F.U64 when at <= data.Length - 8: sites.Add(new Site(Kind.Scalar, at, 8, $"{type}.{id}")); break;
                case F.Str or F.VecI32 or F.VecI64 or F.VecF32 or F.VecU8 or F.Table when at <= data.Length - 4:
                    sites.Add(new Site(Kind.UOffset, at, 4, $"{type}.{id} offset"));
                    if (Target(data, at) is not { } target) break;
                    if (field.Kind == F.Table && !field.Vector) Table(data, target, field.Of, sites, found, visited, depth + 1);
                    else Vector(data, target, field, type, sites, found, visited, depth);
                    break;
            }
        }
    }

    private static void Vector(byte[] data, int vector, (int Id, F Kind, T Of, bool Vector) field, T owner,
        List<Site> sites, List<int> found, HashSet<int> visited, int depth)
    {
        found.Add(vector);
        sites.Add(new Site(Kind.VectorLength, vector, 4, $"{owner}.{field.Id} length"));
        long length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(vector));
        int width = field.Kind switch { F.VecI64 => 8, F.VecU8 or F.Str => 1, _ => 4 };
        long end = vector + 4 + length * width;
        if (end > data.Length) return;
        int count = (int)Math.Min(length, 256); // enough sites; big weight buffers add nothing
        for (int i = 0; i < count; i++)
        {
            int at = vector + 4 + i * width;
            if (field.Kind == F.Table)
            {
                sites.Add(new Site(Kind.UOffset, at, 4, $"{owner}.{field.Id}[{i}] offset"));
                if (Target(data, at) is { } element) Table(data, element, field.Of, sites, found, visited, depth + 1);
            }
            else if (field.Kind is F.VecI32 or F.VecI64) sites.Add(new Site(Kind.Element, at, width, $"{owner}.{field.Id}[{i}]"));
            else if (field.Kind == F.VecU8 && i < 8) sites.Add(new Site(Kind.Element, at, 1, $"{owner}.{field.Id}[{i}]"));
        }
    }
}
