using System.Buffers.Binary;

namespace GraphDsl.Fuzz.Mutators;

/// <summary>Format-blind mutations: bit flips, interesting bytes and 16/32/64-bit integers,
/// truncation, deletion, insertion, duplication and overwrite of chunks.</summary>
public sealed class ByteMutator : IMutator
{
    public string Name => "bytes";

    public byte[] Mutate(byte[] input, Random rng)
    {
        if (input.Length == 0) return [(byte)rng.Next(256)];
        var data = (byte[])input.Clone();
        int pos = rng.Next(data.Length);
        switch (rng.Next(10))
        {
            case 0: // flip 1..8 bits
                for (int i = rng.Next(1, 9); i > 0; i--) data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
                return data;
            case 1:
                data[pos] = Interesting.Byte[rng.Next(Interesting.Byte.Length)];
                return data;
            case 2 when data.Length >= 4:
                pos = rng.Next(data.Length - 3) & ~(rng.Next(2) == 0 ? 3 : 0);
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(pos), Interesting.PickInt32(rng));
                return data;
            case 3 when data.Length >= 8:
                pos = rng.Next(data.Length - 7);
                BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(pos), Interesting.PickInt64(rng));
                return data;
            case 4 when data.Length >= 4: // add or subtract a little from a 32-bit word
                pos = rng.Next(data.Length - 3) & ~3;
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(pos), BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos)) + rng.Next(-16, 17));
                return data;
            case 5: // truncate
                return data[..rng.Next(data.Length)];
            case 6: // delete a chunk
            {
                int len = Math.Min(data.Length - pos, 1 + rng.Next(Math.Max(1, data.Length / 8)));
                return [.. data[..pos], .. data[(pos + len)..]];
            }
            case 7: // insert random or repeated bytes
            {
                int len = 1 + rng.Next(64);
                var extra = new byte[len];
                if (rng.Next(2) == 0) rng.NextBytes(extra); else Array.Fill(extra, data[pos]);
                return [.. data[..pos], .. extra, .. data[pos..]];
            }
            case 8: // duplicate a chunk somewhere else
            {
                int len = Math.Min(data.Length - pos, 1 + rng.Next(256));
                int at = rng.Next(data.Length + 1);
                return [.. data[..at], .. data.AsSpan(pos, len), .. data[at..]];
            }
            default: // overwrite a chunk with another part of the input
            {
                int len = Math.Min(data.Length - pos, 1 + rng.Next(64));
                int from = rng.Next(data.Length - len + 1);
                Array.Copy(input, from, data, pos, len);
                return data;
            }
        }
    }
}
