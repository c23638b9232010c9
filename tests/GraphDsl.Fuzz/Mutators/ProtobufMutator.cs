namespace GraphDsl.Fuzz.Mutators;

/// <summary>Structure-aware mutations of a Protobuf message (an ONNX ModelProto) on the wire
/// format alone (https://protobuf.dev/programming-guides/encoding/): the input is parsed into a
/// tree of fields, length-delimited fields that parse cleanly as messages become subtrees, and one
/// field is changed: its field number or wire type, a varint set to a boundary value (huge
/// dimensions such as 2^40, negative sizes), a length prefix that lies, a field deleted,
/// repeated many times or moved into another message, a string or bytes payload cut or grown.
/// The tree is then written back, lengths recomputed unless the mutation lied about one.</summary>
public sealed class ProtobufMutator : IMutator
{
    public string Name => "protobuf";

    private sealed class Field
    {
        public int Number;
        public int WireType;
        public ulong Value;              // varint, fixed32, fixed64
        public byte[] Bytes = [];        // length-delimited payload
        public List<Field>? Children;    // the payload parsed as a message
        public long LengthDelta;         // written length = real length + delta (a lying prefix)
        public bool HugeLength;          // written length = 2^31 + something
    }

    public byte[] Mutate(byte[] input, Random rng)
    {
        var root = Parse(input, 0);
        if (root is null || root.Count == 0) return new ByteMutator().Mutate(input, rng);
        var all = new List<(List<Field> Parent, Field Field)>();
        Collect(root, all);
        var (parent, field) = all[rng.Next(all.Count)];
        // Fields that look like dimensions (varints in small messages) get huge values more often.
        switch (rng.Next(9))
        {
            case 0:
                field.Number = rng.Next(4) == 0 ? rng.Next(1, 1 << 29) : Math.Max(1, field.Number + rng.Next(-3, 4));
                break;
            case 1:
                field.WireType = new[] { 0, 1, 2, 3, 4, 5, 6, 7 }[rng.Next(8)];
                if (field.WireType == 2 && field.Children is null && field.Bytes.Length == 0) field.Bytes = [1, 2, 3];
                break;
            case 2 or 3:
                if (field.WireType == 0) field.Value = unchecked((ulong)Interesting.PickInt64(rng));
                else if (field.WireType == 2) { if (rng.Next(2) == 0) field.LengthDelta = rng.Next(-4, 5); else field.HugeLength = true; }
                else field.Value = unchecked((ulong)Interesting.PickInt64(rng));
                break;
            case 4:
                parent.Remove(field);
                break;
            case 5: // repeat: many copies make huge repeated fields (dims, nodes, inputs)
            {
                int copies = rng.Next(3) == 0 ? rng.Next(100, 2000) : rng.Next(1, 4);
                int at = parent.IndexOf(field);
                for (int i = 0; i < copies; i++) parent.Insert(at, field);
                break;
            }
            case 6: // move a field into another message (nested structure of the wrong kind)
            {
                var messages = all.Where(x => x.Field.Children is not null && x.Field != field).ToList();
                if (messages.Count == 0) goto case 4;
                // A copy: the target may lie inside the moved field's own subtree.
                messages[rng.Next(messages.Count)].Field.Children!.Add(Copy(field));
                break;
            }
            case 7 when field.WireType == 2 && field.Children is null:
                field.Bytes = rng.Next(2) == 0 ? field.Bytes[..rng.Next(field.Bytes.Length + 1)] : [.. field.Bytes, .. field.Bytes];
                break;
            default: // swap with a sibling
            {
                int i = parent.IndexOf(field), j = rng.Next(parent.Count);
                (parent[i], parent[j]) = (parent[j], parent[i]);
                break;
            }
        }
        var output = new MemoryStream();
        Write(root, output);
        return output.ToArray();
    }

    private static Field Copy(Field f) => new()
    {
        Number = f.Number, WireType = f.WireType, Value = f.Value, Bytes = f.Bytes,
        Children = f.Children?.Select(Copy).ToList(), LengthDelta = f.LengthDelta, HugeLength = f.HugeLength,
    };

    private static void Collect(List<Field> message, List<(List<Field>, Field)> all)
    {
        foreach (var f in message)
        {
            if (all.Count > 50000) return;
            all.Add((message, f));
            if (f.Children is not null) Collect(f.Children, all);
        }
    }

    /// <summary>The fields of <paramref name="data"/>, or null when it is not a well-formed
    /// message (then a length-delimited field stays bytes).</summary>
    private static List<Field>? Parse(ReadOnlySpan<byte> data, int depth)
    {
        var fields = new List<Field>();
        int pos = 0;
        while (pos < data.Length)
        {
            if (!ReadVarint(data, ref pos, out var key)) return null;
            int number = (int)(key >> 3), wire = (int)(key & 7);
            if (number <= 0 || number > 64) return null; // ONNX field numbers are small
            var field = new Field { Number = number, WireType = wire };
            switch (wire)
            {
                case 0:
                    if (!ReadVarint(data, ref pos, out field.Value)) return null;
                    break;
                case 1:
                    if (pos + 8 > data.Length) return null;
                    field.Value = BitConverter.ToUInt64(data.Slice(pos, 8)); pos += 8;
                    break;
                case 5:
                    if (pos + 4 > data.Length) return null;
                    field.Value = BitConverter.ToUInt32(data.Slice(pos, 4)); pos += 4;
                    break;
                case 2:
                    if (!ReadVarint(data, ref pos, out var length) || length > (ulong)(data.Length - pos)) return null;
                    var payload = data.Slice(pos, (int)length);
                    pos += (int)length;
                    field.Bytes = payload.ToArray();
                    // Weights (raw_data) are large: do not parse them as messages.
                    if (depth < 12 && payload.Length > 0 && payload.Length < 4096) field.Children = Parse(payload, depth + 1);
                    break;
                default:
                    return null;
            }
            fields.Add(field);
        }
        return fields;
    }

    private static bool ReadVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) return false;
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    private static void Write(List<Field> message, Stream output)
    {
        foreach (var f in message)
        {
            WriteVarint(output, ((ulong)(uint)f.Number << 3) | (uint)(f.WireType & 7));
            switch (f.WireType)
            {
                case 0: WriteVarint(output, f.Value); break;
                case 1: output.Write(BitConverter.GetBytes(f.Value)); break;
                case 5: output.Write(BitConverter.GetBytes((uint)f.Value)); break;
                case 2:
                {
                    byte[] payload = f.Bytes;
                    if (f.Children is not null)
                    {
                        var inner = new MemoryStream();
                        Write(f.Children, inner);
                        payload = inner.ToArray();
                    }
                    long length = f.HugeLength ? (1L << 31) + payload.Length : Math.Max(0, payload.Length + f.LengthDelta);
                    WriteVarint(output, (ulong)length);
                    output.Write(payload);
                    break;
                }
                default:
                    output.Write(f.Bytes); // groups (3, 4) and invalid types: whatever bytes it had
                    break;
            }
        }
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}
