namespace GraphDsl.Fuzz.Mutators;

/// <summary>Makes one variant of an input. Mutators are deterministic in <c>rng</c>, so an input of
/// a campaign is reproduced from the campaign seed and its index alone.</summary>
public interface IMutator
{
    string Name { get; }

    byte[] Mutate(byte[] input, Random rng);
}

/// <summary>Values that break size and index arithmetic: zero, one, sign and width boundaries,
/// and the 2^31 / 2^40 sizes of issue #17.</summary>
public static class Interesting
{
    public static readonly long[] Int64 = [
        0, 1, -1, 2, 3, 4, 7, 8, 16, 127, 128, 255, 256, 1023, 1024, 4096, 65535, 65536,
        int.MaxValue, (long)int.MaxValue + 1, int.MinValue, uint.MaxValue, 1L << 32, 1L << 40,
        1L << 62, long.MaxValue, long.MinValue, -2, -128, -129, 1_000_000_000,
    ];

    public static readonly int[] Int32 = [
        0, 1, -1, 2, 3, 4, 8, 16, 127, 128, 255, 256, 4096, 65535, 65536, 1 << 24,
        int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, -2, -8, 0x40000000, 0x7FFFFFF8,
    ];

    public static readonly byte[] Byte = [0, 1, 2, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x10, 0x20, 0x40];

    public static long PickInt64(Random rng) => Int64[rng.Next(Int64.Length)];
    public static int PickInt32(Random rng) => Int32[rng.Next(Int32.Length)];
}
